"""Every failure of the ``countyhub`` console script is one line and an exit status.

Run as a user runs it: the installed script in a process of its own, so that what
reaches the terminal (stderr, the exit status) is what is checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from countyhub.platform.db import make_engine, sqlite_url
from tests.test_cli import own_database

SCRIPT = Path(sys.executable).with_name("countyhub")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "countyhub.cli"]
TOO_LARGE = str(10**20)
MANIFEST = "运单号,收件人,电话,地址\n73610555582883,张三,,铜鼓县大塅镇浒村\n"


def countyhub(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run the console script; (exit status, stdout, stderr)."""
    full = {k: v for k, v in os.environ.items() if k != "COUNTYHUB_TRACEBACK"}
    done = subprocess.run(
        [*COMMAND, *args],
        env={**full, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def assert_one_line(result: tuple[int, str, str], status: int, says: str) -> None:
    """Exit ``status``; stderr is one non-empty line with ``says``; no traceback."""
    code, out, err = result
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == status, (code, out, err)
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert says in lines[0], lines[0]
    assert "Traceback" not in out + err


@pytest.fixture
def at(database_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment of the seeded test database (the failures change nothing)."""
    return {
        "COUNTYHUB_DATABASE_URL": database_url,
        "COUNTYHUB_INSTANCE_PATH": str(tmp_path / "instance"),
    }


@pytest.fixture
def empty(database_url: str, tmp_path: Path):
    """The environment of a new, empty database of the test's own."""
    yield from own_database(database_url, tmp_path)


def test_an_unmigrated_database_says_run_db_upgrade(empty: dict[str, str]):
    """A command on a database without the schema exits 8 naming `db upgrade`."""
    result = countyhub(empty, "parcels", "unresolved")
    assert_one_line(result, 8, "run `countyhub db upgrade` first")


def test_db_check_on_a_drifted_database_names_the_change(empty: dict[str, str]):
    """A column that no migration made: `db check` exits 8 and names it."""
    assert countyhub(empty, "db", "upgrade")[0] == 0
    engine = make_engine(empty["COUNTYHUB_DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE vehicle ADD COLUMN colour VARCHAR(20)"))
    engine.dispose()
    result = countyhub(empty, "db", "check")
    assert_one_line(result, 8, "colour")


def test_db_check_on_an_unmigrated_database_says_run_db_upgrade(
    empty: dict[str, str],
):
    """`db check` before `db upgrade`: exit 8, not alembic's traceback."""
    result = countyhub(empty, "db", "check")
    assert_one_line(result, 8, "run `countyhub db upgrade` first")


BAD_URLS = {
    "unknown-database": ("foo://user@host/db", 9, "names no database"),
    "typo": ("sqlite//countyhub.sqlite", 9, "is not a database URL"),
    "missing-driver": ("mysql://user@host/db", 9, "needs the driver"),
    "unreachable": ("postgresql+psycopg://u:secret@127.0.0.1:1/x", 10, "answer"),
    "not-a-database": ("sqlite:///{tmp}/notes.txt", 10, "does not answer"),
}


@pytest.mark.parametrize(("url", "status", "says"), BAD_URLS.values(), ids=BAD_URLS)
def test_a_bad_database_url_is_one_line(
    tmp_path: Path, url: str, status: int, says: str
):
    """An unknown driver, a typo, a server that does not answer: one line."""
    (tmp_path / "notes.txt").write_text("not a database\n" * 100)
    env = {
        "COUNTYHUB_DATABASE_URL": url.format(tmp=tmp_path),
        "COUNTYHUB_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    result = countyhub(env, "parcels", "unresolved")
    assert_one_line(result, status, says)
    assert "secret" not in result[1] + result[2]


def test_an_unreadable_setting_is_one_line(tmp_path: Path):
    """COUNTYHUB_PLAN_SECONDS=fast: exit 9 naming the variable."""
    env = {
        "COUNTYHUB_PLAN_SECONDS": "fast",
        "COUNTYHUB_DATABASE_URL": sqlite_url(tmp_path / "x.sqlite"),
    }
    result = countyhub(env, "db", "current")
    assert_one_line(result, 9, "COUNTYHUB_PLAN_SECONDS")


def test_a_limit_out_of_range_is_one_line(at: dict[str, str]):
    """--limit beyond any integer the database takes: exit 2, no OverflowError."""
    result = countyhub(at, "parcels", "unresolved", "--limit", TOO_LARGE)
    assert_one_line(result, 2, "--limit")


def test_a_depot_id_out_of_range_is_not_found(at: dict[str, str], tmp_path: Path):
    """--depot with a number too large for an id: no such depot, exit 3."""
    manifest = tmp_path / "m.csv"
    manifest.write_text(MANIFEST)
    args = ("parcels", "import", str(manifest), "--courier", "ZTO")
    result = countyhub(at, *args, "--depot", TOO_LARGE)
    assert_one_line(result, 3, f"no depot with code or id '{TOO_LARGE}'")


def test_a_seed_out_of_range_is_one_line(at: dict[str, str]):
    """--seed beyond what the planner takes: exit 2 before planning."""
    args = ("plan", "make", "--date", "today", "--seed", TOO_LARGE)
    assert_one_line(countyhub(at, *args), 2, "--seed")


def test_a_depot_of_another_courier_names_the_depots_courier(
    at: dict[str, str], tmp_path: Path
):
    """--depot TG-SF --courier ZTO: exit 2, saying the depot is SF's."""
    manifest = tmp_path / "m.csv"
    manifest.write_text(MANIFEST)
    args = ("parcels", "import", str(manifest), "--courier", "ZTO", "--depot", "TG-SF")
    result = countyhub(at, *args)
    assert_one_line(result, 2, "depot TG-SF belongs to courier SF, not ZTO")


MALFORMED_POINTS = {
    "open-quote": 'code,lon,lat\n"360926100001,114.44,28.52\n' + "x" * 140_000,
    "nul-header": "\0" * 10,
}


@pytest.mark.parametrize("content", MALFORMED_POINTS.values(), ids=MALFORMED_POINTS)
def test_a_malformed_points_file_is_one_line(
    at: dict[str, str], tmp_path: Path, content: str
):
    """A coordinates file that is no CSV: exit 2 naming the file."""
    points = tmp_path / "points.csv"
    points.write_text(content)
    result = countyhub(at, "county", "points", str(points), "--crs", "wgs84")
    assert_one_line(result, 2, "points.csv")
