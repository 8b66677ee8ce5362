"""The default county and loading another one; surveyed coordinates."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.county.files import MAX_PROBLEMS
from countyhub.platform.county.gazetteer import default_county_dir, load_county
from countyhub.platform.county.points import apply_surveyed_points, read_points_file
from countyhub.platform.county.villages import update_village
from countyhub.platform.errors import Forbidden, InvalidInput
from countyhub.platform.models import (
    AuditEntry,
    County,
    ServicePoint,
    Township,
    User,
    Village,
)
from countyhub.routing.geo import wgs84_to_gcj02


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_default_county_is_tonggu(session: Session):
    """Tonggu: 14 township-level units, 113 village-level units, 108 service points."""
    assert count(session, Township) == 14
    assert count(session, Village) == 113
    assert count(session, ServicePoint) == 108


def test_every_point_says_whether_it_is_approximate(session: Session):
    """Derived points are flagged approximate, with how they were made."""
    points = session.scalars(select(ServicePoint)).all()
    assert all(p.lon is not None and p.coord_source for p in points)
    approximate = [p for p in points if p.coord_approximate]
    assert 95 <= len(approximate) < len(points)


def test_loading_again_changes_nothing(session: Session, admin: User):
    """Loading the same folder twice is an upsert: no new rows."""
    before = count(session, Village)
    load_county(session, admin, default_county_dir())
    assert count(session, Village) == before


def test_loading_another_county_folder(session: Session, admin: User, tmp_path: Path):
    """A folder of the same shape loads, and a new village in it is added."""
    folder = tmp_path / "other"
    shutil.copytree(default_county_dir(), folder)
    villages = folder / "villages.csv"
    with villages.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows.append({**rows[0], "code": "360926100999", "name": "新村委会"})
    with villages.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    summary = load_county(session, admin, folder)
    assert summary.villages == 114
    assert session.scalar(select(Village).where(Village.code == "360926100999"))


def test_a_folder_without_the_files_is_refused(
    session: Session, admin: User, tmp_path: Path
):
    """The error names the missing files."""
    with pytest.raises(InvalidInput, match=r"villages\.csv"):
        load_county(session, admin, tmp_path)


def test_surveyed_points_in_gcj02_are_stored_as_wgs84(
    session: Session, admin: User, tmp_path: Path
):
    """A GCJ-02 file is converted; the point is no longer approximate."""
    lon, lat = 114.5541, 28.6602
    glon, glat = wgs84_to_gcj02(lon, lat)
    path = tmp_path / "points.csv"
    path.write_text(
        f"code,lon,lat,source\n360926105204,{glon},{glat},GPS survey 2026\n"
    )
    apply_surveyed_points(session, admin, read_points_file(path, "gcj02"))
    point = session.scalar(
        select(ServicePoint).where(ServicePoint.code == "360926105204")
    )
    assert abs(point.lon - lon) < 1e-5 and abs(point.lat - lat) < 1e-5
    assert not point.coord_approximate and point.coord_source == "GPS survey 2026"


def test_surveyed_points_survive_a_reload(
    session: Session, admin: User, tmp_path: Path
):
    """Reloading the county keeps surveyed coordinates."""
    path = tmp_path / "points.csv"
    path.write_text("code,lon,lat\n360926105204,114.55,28.66\n")
    apply_surveyed_points(session, admin, read_points_file(path, "wgs84"))
    load_county(session, admin, default_county_dir())
    point = session.scalar(
        select(ServicePoint).where(ServicePoint.code == "360926105204")
    )
    assert (point.lon, point.coord_approximate) == (114.55, False)


def test_bad_points_file_names_rows(tmp_path: Path):
    """Swapped or non-numeric coordinates are refused naming the row."""
    path = tmp_path / "p.csv"
    path.write_text("code,lon,lat\n360926105204,28.66,114.55\n360926105205,x,1\n")
    with pytest.raises(InvalidInput, match=r"row 2: .*swapped.*row 3"):
        read_points_file(path, "wgs84")


def test_only_admins_change_points(session: Session, dispatcher: User, tmp_path: Path):
    """A dispatcher may not replace coordinates."""
    path = tmp_path / "p.csv"
    path.write_text("code,lon,lat\n360926105204,114.55,28.66\n")
    with pytest.raises(Forbidden):
        apply_surveyed_points(session, dispatcher, read_points_file(path, "wgs84"))


# -- poverty villages (贫困村) ------------------------------------------------------


def with_poverty(tmp_path: Path, cells: dict[str, str]) -> Path:
    """A copy of the default county whose villages.csv has these poverty cells, by
    village code (the others empty)."""
    folder = tmp_path / "county"
    shutil.copytree(default_county_dir(), folder)
    villages = folder / "villages.csv"
    with villages.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["poverty"] = cells.get(row["code"], "")
    with villages.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def poverty(session: Session, code: str) -> bool | None:
    village = session.scalar(select(Village).where(Village.code == code))
    session.refresh(village)
    return village.poverty


def test_the_default_county_declares_no_poverty_village(session: Session):
    """Its list is unknown: the column is there, every cell empty, no flag set."""
    with (default_county_dir() / "villages.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["poverty"] for row in rows} == {""}
    assert session.scalar(select(func.count()).where(Village.poverty.is_not(None))) == 0


def test_poverty_cells_set_the_flag_and_an_empty_one_leaves_it(
    session: Session, admin: User, tmp_path: Path
):
    """1 and 0 set a village's flag; an empty cell keeps what was set before (an
    admin's edit survives a reload)."""
    first, second, third = session.scalars(
        select(Village.code).order_by(Village.code).limit(3)
    )
    load_county(session, admin, with_poverty(tmp_path / "a", {first: "1", second: "0"}))
    assert [poverty(session, c) for c in (first, second, third)] == [True, False, None]
    village = session.scalar(select(Village).where(Village.code == third))
    update_village(session, admin, village.id, {"poverty": True})
    load_county(session, admin, with_poverty(tmp_path / "b", {second: "1"}))
    assert [poverty(session, c) for c in (first, second, third)] == [True, True, True]


@pytest.mark.parametrize("cell", ["yes", "2", "是", "true"])
def test_a_poverty_cell_other_than_1_0_or_empty_is_refused(
    session: Session, admin: User, tmp_path: Path, cell: str
):
    """Anything else is an error naming the file, the row and the column."""
    code = session.scalar(select(Village.code).order_by(Village.code).offset(4))
    folder = with_poverty(tmp_path, {code: cell})
    with pytest.raises(InvalidInput) as caught:
        load_county(session, admin, folder)
    message = str(caught.value)
    assert str(folder / "villages.csv") in message
    assert "row 6, column poverty" in message and repr(cell) in message


# -- bad county files --------------------------------------------------------------


def table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_table(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def put(name: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """Set the cell of ``row`` (1 the header) and ``column`` of file ``name``."""

    def change(folder: Path) -> None:
        rows = table(folder / name)
        rows[row - 1][rows[0].index(column)] = value
        write_table(folder / name, rows)

    return change


def write(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(content)


def edit_rows(
    name: str, edit: Callable[[list[list[str]]], list[list[str]]]
) -> Callable[[Path], None]:
    return lambda folder: write_table(folder / name, edit(table(folder / name)))


def named_with(text: bytes) -> bytes:
    """villages.csv with its first village's name replaced by these bytes."""
    data = (default_county_dir() / "villages.csv").read_bytes()
    return data.replace("城南社区居委会".encode(), text, 1)


# id: the change to a copy of the default county; the file, row and column (None:
# the whole row) the error names, and a part of why.
BAD_FILES: dict[str, tuple[Callable[[Path], None], str, int, str | None, str]] = {
    "not-a-number": (
        put("county.csv", 2, "seat_lon", "x"),
        "county.csv",
        2,
        "seat_lon",
        "not a decimal number",
    ),
    "nan": (
        put("county.csv", 2, "seat_lon", "nan"),
        "county.csv",
        2,
        "seat_lon",
        "not a decimal number",
    ),
    "infinite": (
        put("townships.csv", 3, "lon", "1e309"),
        "townships.csv",
        3,
        "lon",
        "not a decimal number",
    ),
    "beyond-wgs84": (
        put("villages.csv", 4, "lat", "95.5"),
        "villages.csv",
        4,
        "lat",
        "outside -90..90",
    ),
    "lon-without-lat": (
        put("townships.csv", 2, "lat", ""),
        "townships.csv",
        2,
        "lat",
        "empty while lon",
    ),
    "no-county-row": (
        edit_rows("county.csv", lambda r: r[:1]),
        "county.csv",
        2,
        "code",
        "no county row",
    ),
    "two-county-rows": (
        edit_rows("county.csv", lambda r: [*r, r[1]]),
        "county.csv",
        3,
        "code",
        "a second county row",
    ),
    "missing-column": (
        write("county.csv", b"code\n360926\n"),
        "county.csv",
        1,
        "name",
        "missing from the header",
    ),
    "column-twice": (
        edit_rows("townships.csv", lambda r: [[*x, x[1]] for x in r]),
        "townships.csv",
        1,
        "name",
        "named twice",
    ),
    "empty-file": (
        write("townships.csv", b""),
        "townships.csv",
        1,
        None,
        "header row is missing",
    ),
    "cells-beyond-the-header": (
        edit_rows("villages.csv", lambda r: [*r[:5], [*r[5], "x"], *r[6:]]),
        "villages.csv",
        6,
        None,
        "12 cells, the header has 11",
    ),
    "not-utf-8": (
        write("villages.csv", b"\xff\xfe\x00x"),
        "villages.csv",
        1,
        None,
        "not UTF-8",
    ),
    "gb18030": (
        write("villages.csv", named_with("城南".encode("gb18030"))),
        "villages.csv",
        2,
        None,
        "not UTF-8",
    ),
    "lone-surrogate": (
        write("villages.csv", named_with("城\ud800".encode("utf-8", "surrogatepass"))),
        "villages.csv",
        2,
        None,
        "not UTF-8",
    ),
    "nul": (
        put("villages.csv", 2, "name", "城\x00南"),
        "villages.csv",
        2,
        "name",
        "'\\x00'",
    ),
    "line-break": (
        put("townships.csv", 2, "name", "永宁\n镇"),
        "townships.csv",
        2,
        "name",
        "'\\n'",
    ),
    "empty-name": (
        put("townships.csv", 2, "name", ""),
        "townships.csv",
        2,
        "name",
        "required",
    ),
    "name-too-long": (
        put("villages.csv", 7, "name", "村" * 61),
        "villages.csv",
        7,
        "name",
        "61 characters, at most 60",
    ),
    "kind-too-long": (
        put("townships.csv", 2, "kind", "k" * 21),
        "townships.csv",
        2,
        "kind",
        "at most 20",
    ),
    "code-too-long": (
        put("villages.csv", 2, "code", "3" * 16),
        "villages.csv",
        2,
        "code",
        "not a code of 12 digits",
    ),
    "code-not-digits": (
        put("county.csv", 2, "code", "３６０９２６"),
        "county.csv",
        2,
        "code",
        "not a code of 6 digits",
    ),
    "duplicate-code": (
        put("villages.csv", 3, "code", "360926100001"),
        "villages.csv",
        3,
        "code",
        "again (first in row 2)",
    ),
    "unknown-township": (
        put("villages.csv", 2, "township_code", "360926199"),
        "villages.csv",
        2,
        "township_code",
        "not a row of townships.csv",
    ),
    "village-of-another-township": (
        put("villages.csv", 2, "township_code", "360926101"),
        "villages.csv",
        2,
        "code",
        "does not start with its township_code",
    ),
    "township-of-another-county": (
        put("townships.csv", 2, "code", "360927100"),
        "townships.csv",
        2,
        "code",
        "county's code 360926",
    ),
    "service-point": (
        put("villages.csv", 2, "service_point", "yes"),
        "villages.csv",
        2,
        "service_point",
        "not one of '1', '0'",
    ),
    "approximate": (
        put("villages.csv", 2, "approximate", "2"),
        "villages.csv",
        2,
        "approximate",
        "not one of '1', '0', empty",
    ),
}


def counts(session: Session) -> list[int]:
    models = (County, Township, Village, ServicePoint, AuditEntry)
    return [count(session, model) for model in models]


@pytest.mark.parametrize(
    ("change", "name", "row", "column", "why"), BAD_FILES.values(), ids=BAD_FILES
)
def test_a_bad_county_file_is_refused_naming_the_place(
    session: Session,
    admin: User,
    tmp_path: Path,
    change: Callable[[Path], None],
    name: str,
    row: int,
    column: str | None,
    why: str,
):
    """InvalidInput naming the file, the row (the header is 1) and the column;
    nothing written, not even pending."""
    folder = shutil.copytree(default_county_dir(), tmp_path / "county")
    change(folder)
    before = counts(session)
    with pytest.raises(InvalidInput) as caught:
        load_county(session, admin, folder)
    message = str(caught.value)
    where = f"row {row}" if column is None else f"row {row}, column {column}"
    assert f"{folder / name}: {where}: " in message, message
    assert why in message, message
    assert not session.new and not session.dirty
    assert counts(session) == before


def test_every_problem_of_the_files_is_named(
    session: Session, admin: User, tmp_path: Path
):
    """Problems in several files are reported together, the first
    MAX_PROBLEMS of them, and how many more there are."""
    folder = shutil.copytree(default_county_dir(), tmp_path / "county")
    put("county.csv", 2, "seat_lat", "x")(folder)
    put("townships.csv", 5, "name", "")(folder)
    edit_rows("villages.csv", lambda r: [r[0], *([c[0], "", *c[2:]] for c in r[1:])])(
        folder
    )
    with pytest.raises(InvalidInput) as caught:
        load_county(session, admin, folder)
    message = str(caught.value)
    assert f"{folder / 'county.csv'}: row 2, column seat_lat" in message
    assert f"{folder / 'townships.csv'}: row 5, column name" in message
    assert f"{folder / 'villages.csv'}: row 2, column name" in message
    assert message.count(str(folder)) == MAX_PROBLEMS + 1  # and "nothing loaded"
    assert f"and {2 + 113 - MAX_PROBLEMS} more" in message


def test_a_file_with_a_byte_order_mark_loads(
    session: Session, admin: User, tmp_path: Path
):
    """UTF-8 with a BOM (Excel's "CSV UTF-8") is read like UTF-8 without."""
    folder = shutil.copytree(default_county_dir(), tmp_path / "county")
    for name in ("county.csv", "townships.csv", "villages.csv"):
        (folder / name).write_bytes(b"\xef\xbb\xbf" + (folder / name).read_bytes())
    assert load_county(session, admin, folder).villages == 113


def test_a_point_without_approximate_is_approximate(
    session: Session, admin: User, tmp_path: Path
):
    """Only approximate=0 says surveyed: an empty cell with a point is approximate
    (so a later load may still replace it)."""
    folder = shutil.copytree(default_county_dir(), tmp_path / "county")
    code = table(folder / "villages.csv")[2][0]
    put("villages.csv", 3, "approximate", "")(folder)
    load_county(session, admin, folder)
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == code))
    assert point.coord_approximate
