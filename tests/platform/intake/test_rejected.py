"""The rejected rows of an import as a file to fix: exactly those rows under the
manifest's own headers, what is wrong with each, and a clean upload once fixed."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.errors import NotFound
from countyhub.platform.intake.imports import ManifestUpload, upload_manifest
from countyhub.platform.intake.rejected import PROBLEM_COLUMN, rejected_rows_csv
from countyhub.platform.models import ImportProblem, User
from tests.platform.intake.test_imports import BAD, upload
from tests.platform.intake.test_manifests import GOOD, HEADER

HEAVY = ["73610555582891", "钱七", "13512345678", "棋坪镇棋坪村", "1,5", "1"]


def read(data: bytes) -> list[list[str]]:
    """The CSV's rows (the BOM must be there, and is dropped)."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_file_holds_exactly_the_rejected_rows(session: Session, zto_clerk: User):
    """Two bad rows of five come back whole, under the file's headers, each with
    what is wrong with it in the last column."""
    report = upload(session, zto_clerk, [GOOD[0], BAD, *GOOD[1:], HEAVY])
    found = rejected_rows_csv(session, zto_clerk, report.id)
    rows = read(found.data)
    assert found.filename == "清单-rejected.csv" and found.rows == 2
    assert rows[0] == [*HEADER, PROBLEM_COLUMN]
    assert [r[:4] + r[5:6] for r in rows[1:]] == [
        BAD[:4] + BAD[5:],
        HEAVY[:4] + HEAVY[5:],
    ]
    assert rows[1][4] == "1kg"  # a weight read right is given with its unit
    assert rows[2][4] == "1,5"  # one that could not be read, as written
    assert rows[1][-1].startswith("运单号: not a 中通快递 number")
    assert rows[2][-1].startswith("重量(kg): use a decimal point")


def test_the_fixed_file_uploads_cleanly(session: Session, zto_clerk: User):
    """The rejected rows, corrected in their cells only, are all taken."""
    report = upload(session, zto_clerk, [*GOOD, BAD, HEAVY])
    rows = read(rejected_rows_csv(session, zto_clerk, report.id).data)
    rows[1][0] = "73610555582890"
    rows[2][4] = "1.5"
    fixed = io.BytesIO()
    fixed.write(b"\xef\xbb\xbf")
    fixed.write(_csv(rows).encode())
    fixed.seek(0)
    again = upload_manifest(session, zto_clerk, ManifestUpload(fixed, "fixed.csv"))
    assert again.counts["new"] == 2 and again.counts["rejected"] == 0
    assert [p for p in again.problems if p.severity == "error"] == []


def test_a_file_rejected_twice_keeps_one_problem_column(
    session: Session, zto_clerk: User
):
    """Uploaded again unfixed, its rejected rows come back with one problem
    column, saying what is wrong now."""
    report = upload(session, zto_clerk, [*GOOD, BAD])
    first = rejected_rows_csv(session, zto_clerk, report.id).data
    again = upload_manifest(
        session, zto_clerk, ManifestUpload(io.BytesIO(first), "m-rejected.csv")
    )
    rows = read(rejected_rows_csv(session, zto_clerk, again.id).data)
    assert rows[0] == [*HEADER, PROBLEM_COLUMN] and len(rows) == 2


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def test_a_reader_who_may_not_upload_gets_names_and_phones_masked(
    session: Session, zto_clerk: User, analyst: User
):
    """The analyst reads the file, but not the recipients' names and numbers."""
    report = upload(session, zto_clerk, [*GOOD, BAD])
    row = read(rejected_rows_csv(session, analyst, report.id).data)[1]
    assert row[1:3] == ["赵*", "136****5678"]


def test_another_depots_clerk_finds_no_file(session: Session, zto_clerk: User):
    """The YTO clerk is told no such import exists."""
    report = upload(session, zto_clerk, [*GOOD, BAD])
    yto = session.scalar(select(User).where(User.username == "clerk-yto"))
    with pytest.raises(NotFound):
        rejected_rows_csv(session, yto, report.id)


def test_only_a_rejected_rows_first_error_keeps_its_cells(
    session: Session, zto_clerk: User
):
    """Good rows and warnings keep no cells; the one rejected row keeps them once."""
    report = upload(session, zto_clerk, [*GOOD, BAD])
    kept = session.scalars(
        select(ImportProblem.row_number).where(
            ImportProblem.import_id == report.id, ImportProblem.cells.is_not(None)
        )
    ).all()
    assert kept == [5]  # the header is row 1, BAD the fifth line
