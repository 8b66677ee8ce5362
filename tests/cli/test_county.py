"""``countyhub county``, and every command that needs a county, on a new database."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from countyhub.platform.county.gazetteer import default_county_dir
from countyhub.platform.errors import NoCounty
from tests.test_cli import invoker, own_database

Run = Callable[..., tuple[int, str]]
NO_COUNTY = f"error: {NoCounty()}\n"
LOADED = re.compile(
    r"铜鼓县: 14 townships, 113 villages, 108 service points "
    r"\(\d+ with approximate coordinates\)\n"
)
PARCEL = ("--courier", "SF", "--waybill", "SF1385628716739")
ADDRESS = ("--address", "铜鼓县棋坪镇棋坪村")


def upgraded(database_url: str, tmp: Path) -> Iterator[Run]:
    """countyhub on a database that ``db upgrade`` just made: no county in it."""
    for env in own_database(database_url, tmp):
        run = invoker(env)
        code, out = run("db", "upgrade")
        assert code == 0, out
        yield run


@pytest.fixture(scope="module")
def bare(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    """One new database for the refusals (they change nothing)."""
    yield from upgraded(database_url, tmp_path_factory.mktemp("bare"))


@pytest.fixture
def fresh(database_url: str, tmp_path: Path):
    """A new database for one test that loads a county into it."""
    yield from upgraded(database_url, tmp_path)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A manifest of one parcel and a file of surveyed coordinates."""
    tmp = tmp_path_factory.mktemp("files")
    manifest, points = tmp / "m.csv", tmp / "points.csv"
    manifest.write_text(
        "运单号,收件人,电话,地址\n73610555582883,张三,,铜鼓县大塅镇浒村\n"
    )
    points.write_text("code,lon,lat\n360926100001,114.44,28.52\n")
    return {"manifest": manifest, "points": points}


NEEDS_A_COUNTY = {
    "parcels-import": ("parcels", "import", "{manifest}", "--courier", "ZTO"),
    "parcels-add": ("parcels", "add", *PARCEL, *ADDRESS),
    "plan-make": ("plan", "make", "--date", "today", "--seconds", "0.5"),
    "plan-cycle": ("plan", "cycle", "--seconds", "0.5"),
    "county-points-list": ("county", "points-list"),
    "county-cadence": ("county", "cadence", "2", "X"),
    "county-points": ("county", "points", "{points}", "--crs", "wgs84"),
}


@pytest.mark.parametrize("args", NEEDS_A_COUNTY.values(), ids=NEEDS_A_COUNTY.keys())
def test_a_command_that_needs_a_county_says_how_to_load_one(
    bare: Run, files: dict[str, Path], args: tuple[str, ...]
):
    """Exit 2 and one line naming `countyhub county load`, never a traceback."""
    code, out = bare(*(arg.format_map(files) for arg in args))
    assert code == 2 and out.endswith(NO_COUNTY), out
    assert "Traceback" not in out and out.count("error:") == 1


def test_county_load_without_a_folder_loads_the_default_county(fresh: Run):
    """铜鼓县 from the package; loading it again changes nothing; then it serves."""
    code, first = fresh("county", "load")
    assert code == 0 and LOADED.fullmatch(first), first
    assert fresh("county", "load") == (0, first)
    code, listed = fresh("county", "points-list")
    assert code == 0 and len(listed.splitlines()) == 108
    assert fresh("parcels", "add", *PARCEL, *ADDRESS) == (0, "SF1385628716739: new\n")


def test_county_load_takes_another_countys_folder(fresh: Run, tmp_path: Path):
    """A folder of county files is loaded; one without them is refused (exit 2)."""
    folder = shutil.copytree(default_county_dir(), tmp_path / "another")
    code, out = fresh("county", "load", str(folder))
    assert code == 0 and LOADED.fullmatch(out), out
    (folder / "villages.csv").unlink()
    code, out = fresh("county", "load", str(folder))
    assert code == 2 and "missing villages.csv" in out
    assert fresh("county", "load", str(tmp_path / "none"))[0] == 2  # no such folder


def test_help_names_the_default_county(bare: Run):
    """`county load --help` says that a folder is only for another county."""
    code, out = bare("county", "load", "--help")
    assert code == 0 and "[FOLDER]" in out and "default county" in out
