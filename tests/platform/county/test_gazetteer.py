"""The default county and loading another one; surveyed coordinates."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.county.gazetteer import default_county_dir, load_county
from countyhub.platform.county.points import apply_surveyed_points, read_points_file
from countyhub.platform.county.villages import update_village
from countyhub.platform.errors import Forbidden, InvalidInput
from countyhub.platform.models import ServicePoint, Township, User, Village
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
