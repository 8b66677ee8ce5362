"""Importing manifest files: row-level reports, atomic files, refused files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.couriers.manifest import SNIFF_BYTES
from countyhub.platform.errors import ImportAborted, ManifestRefused
from countyhub.platform.intake.imports import ManifestUpload, upload_manifest
from countyhub.platform.intake.manifests import import_manifest
from countyhub.platform.models import ImportProblem, ManifestImport, Parcel, User
from tests.couriers.manifest.files import raw_xlsx

HEADER = ["运单号", "收件人", "电话", "地址", "重量(kg)", "件数"]
GOOD = [
    ["73610555582883", "张三", "13812345678", "铜鼓县大塅镇浒村村委会三组", "1.5", "1"],
    ["75352218881013", "李四", "13912345678", "棋坪镇棋坪村", "0.8", "1"],
    [
        "78673256637951",
        "王五",
        "13712345678",
        "江西省宜春市铜鼓县三都镇东浒村",
        "2",
        "2",
    ],
]


def write_csv(
    path: Path,
    rows: list[list[str]],
    encoding: str = "gb18030",
    title: str | None = "中通快递铜鼓网点 派件清单",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        if title:
            writer.writerow([title])
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def parcels(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Parcel))


def test_import_registers_good_rows_and_reports_bad_ones(
    session: Session, admin: User, tmp_path: Path
):
    """Good rows are registered; each bad row is reported with row, column, reason."""
    rows = [*GOOD[:2], ["12", "赵六", "13612345678", "大塅镇大塅村", "1", "1"], GOOD[2]]
    path = write_csv(tmp_path / "清单.csv", rows)
    before = parcels(session)
    report = import_manifest(session, admin, path, courier="ZTO")
    assert report.counts["new"] == 3
    assert report.rejected == 1
    bad = [p for p in report.problems if p.severity == "error"]
    assert [(p.row, p.column, p.value) for p in bad] == [(5, "waybill", "12")]
    assert parcels(session) == before + 3
    record = session.get(ManifestImport, report.import_id)
    assert (record.state, record.new, record.rejected) == ("done", 3, 1)
    stored = session.scalars(
        select(ImportProblem.row_number).where(
            ImportProblem.import_id == record.id, ImportProblem.severity == "error"
        )
    ).all()
    assert stored == [5]


def test_import_again_recognises_every_row(
    session: Session, admin: User, tmp_path: Path
):
    """The same file twice: the second time every row is already known."""
    path = write_csv(tmp_path / "m.csv", GOOD, encoding="utf-8-sig")
    import_manifest(session, admin, path, courier="ZTO")
    again = import_manifest(session, admin, path, courier="ZTO")
    assert again.counts["known"] == 3 and again.counts["new"] == 0


def test_atomic_import_with_a_bad_row_half_way_writes_nothing(
    session: Session, admin: User, tmp_path: Path
):
    """--atomic: a bad row after 2,500 good ones leaves the database as it was."""
    rows = [
        [f"7361{n:010d}", "张三", "13812345678", "大塅镇浒村", "1", "1"]
        for n in range(2500)
    ]
    rows.append(["not-a-number", "李四", "13912345678", "大塅镇浒村", "1", "1"])
    rows += [
        [f"7362{n:010d}", "张三", "13812345678", "大塅镇浒村", "1", "1"]
        for n in range(100)
    ]
    path = write_csv(tmp_path / "half.csv", rows)
    before = parcels(session)
    imports = session.scalar(select(func.count()).select_from(ManifestImport))
    with pytest.raises(ImportAborted) as err, session.begin_nested():
        import_manifest(
            session, admin, path, courier="ZTO", atomic=True, chunk_rows=1000
        )
    assert err.value.report.rejected == 1
    assert parcels(session) == before
    assert session.scalar(select(func.count()).select_from(ManifestImport)) == imports


@pytest.mark.parametrize(
    "content", [b"", b"\x00\x01\x02binary\xff\xfe" * 50, "名字,年龄\n张三,3\n".encode()]
)
def test_a_file_that_is_no_manifest_is_refused(
    session: Session, admin: User, tmp_path: Path, content: bytes
):
    """Empty, binary or wrong-column files are refused before anything is written."""
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    imports = session.scalar(select(func.count()).select_from(ManifestImport))
    with pytest.raises(ManifestRefused, match=r"x\.csv"):
        import_manifest(session, admin, path, courier="ZTO")
    assert session.scalar(select(func.count()).select_from(ManifestImport)) == imports


def test_truncated_xlsx_is_refused(session: Session, admin: User, tmp_path: Path):
    """An XLSX cut short is refused with a message naming the file."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(row)
    whole = tmp_path / "whole.xlsx"
    book.save(whole)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ManifestRefused, match=r"cut\.xlsx"):
        import_manifest(session, admin, cut, courier="ZTO")


def test_xlsx_with_numbers_stored_as_numbers(
    session: Session, admin: User, tmp_path: Path
):
    """Waybills and phones that Excel stored as numbers are read exactly."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["快递公司", *HEADER])
    sheet.append(["中通", 73610555582883, "张三", 13812345678, "大塅镇浒村", 1.5, 1])
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    report = import_manifest(session, admin, path)
    assert report.counts["new"] == 1
    parcel = session.scalar(select(Parcel).where(Parcel.waybill_no == "73610555582883"))
    assert parcel.recipient_phone == "13812345678"


def test_file_without_courier_needs_one_named(
    session: Session, admin: User, tmp_path: Path
):
    """A file with no courier column and no --courier is refused, saying what to do."""
    path = write_csv(tmp_path / "m.csv", GOOD)
    with pytest.raises(ManifestRefused, match="--courier"):
        import_manifest(session, admin, path)


def test_progress_is_reported(session: Session, admin: User, tmp_path: Path):
    """The import tells how far it has read the file."""
    path = write_csv(tmp_path / "m.csv", GOOD)
    seen: list[tuple[int, int]] = []
    import_manifest(
        session,
        admin,
        path,
        courier="ZTO",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen and seen[-1][0] == seen[-1][1] == path.stat().st_size


# -- characters no database stores ---------------------------------------------------

SPOILT = ["73610555582890", "赵六", "13612345678", "大塅镇大塅村", "1", "1"]


def spoilt_csv(tmp_path: Path) -> tuple[Path, str, str]:
    """A NUL in the name of the third parcel (row 4)."""
    bad = [SPOILT[0], "赵\x00六", *SPOILT[2:]]
    path = write_csv(tmp_path / "nul.csv", [*GOOD[:2], bad, GOOD[2]], title=None)
    return path, "收件人", "U+0000"


def spoilt_xlsx(tmp_path: Path) -> tuple[Path, str, str]:
    """Half a surrogate pair in the address of row 4, as openpyxl writes it."""
    book = Workbook()
    for row in [HEADER, *GOOD[:2], [*SPOILT[:3], "大塅镇\ud800大塅村", *SPOILT[4:]]]:
        book.active.append(row)
    book.active.append(GOOD[2])
    book.save(tmp_path / "surrogate.xlsx")
    return tmp_path / "surrogate.xlsx", "地址", "U+D800"


def spoilt_shared_strings(tmp_path: Path) -> tuple[Path, str, str]:
    """A NUL reference in the shared strings (Excel's place for text), row 4."""
    bad = [*SPOILT[:3], "大塅镇&#0;大塅村", *SPOILT[4:]]
    path = raw_xlsx(tmp_path / "nul.xlsx", [HEADER, *GOOD[:2], bad, GOOD[2]])
    return path, "地址", "U+0000"


SPOILT_FILES = [spoilt_csv, spoilt_xlsx, spoilt_shared_strings]


@pytest.mark.parametrize("spoilt", SPOILT_FILES)
def test_a_cell_no_database_stores_rejects_only_its_row(
    session: Session, admin: User, tmp_path: Path, spoilt
):
    """A NUL or half a surrogate pair in a cell: its row is rejected naming row and
    column, the good rows are registered, and the report is stored as shown."""
    path, column, code = spoilt(tmp_path)
    before = parcels(session)
    with path.open("rb") as file:
        upload = ManifestUpload(file, path.name, courier="ZTO")
        report = upload_manifest(session, admin, upload)
    assert (report.state, report.counts["new"], report.counts["rejected"]) == (
        "done",
        3,
        1,
    )
    errors = [p for p in report.problems if p.severity == "error"]
    assert [(p.row, p.column) for p in errors] == [(4, column)]
    assert "\ufffd" in errors[0].value and code in errors[0].reason
    assert parcels(session) == before + 3
    assert session.scalar(select(Parcel).where(Parcel.waybill_no == SPOILT[0])) is None


@pytest.mark.parametrize("spoilt", SPOILT_FILES)
def test_an_atomic_file_with_such_a_cell_writes_nothing(
    session: Session, admin: User, tmp_path: Path, spoilt
):
    """All or nothing: the spoilt row aborts the file and nothing is written."""
    path, _, _ = spoilt(tmp_path)
    before = parcels(session)
    imports = session.scalar(select(func.count()).select_from(ManifestImport))
    with pytest.raises(ImportAborted) as err, session.begin_nested():
        import_manifest(session, admin, path, courier="ZTO", atomic=True)
    assert err.value.report.rejected == 1
    assert parcels(session) == before
    assert session.scalar(select(func.count()).select_from(ManifestImport)) == imports


def test_a_nul_past_the_first_block_rejects_only_its_row(
    session: Session, admin: User, tmp_path: Path
):
    """A NUL far into a CSV (past the bytes that decide the encoding) is a problem of
    its row too, not a database error."""
    rows = [
        [f"7361{n:010d}", "张三", "13812345678", "大塅镇浒村", "1", "1"]
        for n in range(1500)
    ]
    rows.insert(1400, [*SPOILT[:3], "大塅镇\x00大塅村", *SPOILT[4:]])
    path = write_csv(tmp_path / "late.csv", rows, title=None)
    assert path.read_bytes().index(b"\x00") > SNIFF_BYTES
    before = parcels(session)
    report = import_manifest(session, admin, path, courier="ZTO")
    assert (report.counts["new"], report.rejected) == (1500, 1)
    errors = [(p.row, p.column) for p in report.problems if p.severity == "error"]
    assert errors == [(1402, "地址")]
    assert parcels(session) == before + 1500


def test_a_category_column_is_checked_row_by_row(
    session: Session, admin: User, tmp_path: Path
):
    """A 品类 column: an empty cell is no category; a depot's manifest is inbound,
    so a category there, a good one (水果) or a bad one, is a problem of its row."""
    path = tmp_path / "品类.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*HEADER, "品类"])
        writer.writerows([[*GOOD[0], ""], [*GOOD[1], "水果"], [*GOOD[2], "榴莲"]])
    report = import_manifest(session, admin, path, courier="ZTO")
    assert (report.counts["new"], report.rejected) == (1, 2)
    bad = [(p.row, p.column, p.value) for p in report.problems if p.severity == "error"]
    assert bad == [(3, "category", "水果"), (4, "category", "榴莲")]
    reasons = [p.reason for p in report.problems]
    assert "only an outbound parcel" in reasons[0]
    assert "not a product category" in reasons[1]
    new = session.scalar(select(Parcel).where(Parcel.waybill_no == GOOD[0][0]))
    assert new.category is None
