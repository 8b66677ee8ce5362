"""The countyhub command, end to end on a database of its own."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from countyhub.cli import main
from countyhub.platform import schema
from countyhub.platform.db import LOCAL_TZ, make_engine, sqlite_url, utcnow
from countyhub.platform.demo.make import make_demo
from tests.conftest import fresh_postgres


def own_database(database_url: str, tmp: Path) -> Iterator[dict[str, str]]:
    """The environment of a command with a new, empty database of its own: a SQLite
    file in ``tmp``, or a fresh PostgreSQL database (dropped afterwards)."""
    env = {
        "COUNTYHUB_INSTANCE_PATH": str(tmp / "instance"),
        "COUNTYHUB_PLAN_SECONDS": "0.5",  # the demo plans today: quickly here
    }
    if database_url.startswith("sqlite"):
        env["COUNTYHUB_DATABASE_URL"] = sqlite_url(tmp / "cli.sqlite")
        yield env
        return
    for url in fresh_postgres(os.environ["COUNTYHUB_TEST_DATABASE_URL"]):
        env["COUNTYHUB_DATABASE_URL"] = url
        yield env


def short_demo(env: dict[str, str], parcels: int = 20) -> None:
    """Migrate ``env``'s database and make the demo county there with a history of
    three days (the demo's own, from the first of last month, takes half a minute)."""
    engine = make_engine(env["COUNTYHUB_DATABASE_URL"])
    schema.upgrade(engine)
    now = utcnow()
    first = now.astimezone(LOCAL_TZ).date() - dt.timedelta(days=2)
    with Session(engine) as session:
        make_demo(session, parcels=parcels, now=now, first=first, seconds=0.1)
        session.commit()
    engine.dispose()


def invoker(env: dict[str, str]) -> Callable[..., tuple[int, str]]:
    """Run countyhub in ``env``; returns (exit status, output); errors propagate."""
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
        return result.exit_code, result.output

    return run


@pytest.fixture(scope="module")
def cli_env(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    """A database of the tests' own for the command (SQLite file or PostgreSQL)."""
    yield from own_database(database_url, tmp_path_factory.mktemp("cli"))


@pytest.fixture
def cli(cli_env: dict[str, str]):
    """Run countyhub on the demo database; returns (exit status, output)."""
    run = invoker(cli_env)
    code, out = run("demo", "--no-serve", "--parcels", "200")
    assert code == 0, out
    return run


def test_demo_prints_what_it_made_and_reuses_it(cli):
    """A second demo run reuses the database and says so."""
    code, out = cli("demo", "--no-serve")
    assert code == 0
    assert "铜鼓县" in out and "reused" in out and "resolved" in out
    assert re.search(r"plan for \d{4}-\d\d-\d\d \(draft\): geodesic", out)
    assert re.search(r"\d+ points required", out)  # after the demo's history


def test_detect_lists_candidate_couriers(cli):
    """A number that fits two couriers' rules lists both."""
    code, out = cli("couriers", "detect", "437362532429036")
    assert code == 0 and "STO" in out and "YD" in out


def test_import_show_scan(cli, tmp_path: Path):
    """Import a manifest, show a parcel masked, step it, refuse an illegal step."""
    path = tmp_path / "m.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["运单号", "收件人", "电话", "地址"])
        w.writerow(["73610555582883", "张三", "13812345678", "铜鼓县大塅镇浒村"])
        w.writerow(["bad", "李四", "13912345678", "铜鼓县大塅镇浒村"])
    code, out = cli("parcels", "import", str(path), "--courier", "ZTO")
    assert code == 1  # one row rejected
    assert "m.csv: row 3: waybill 'bad'" in out
    assert "1 new" in out and "1 rejected" in out
    code, out = cli("parcels", "show", "73610555582883")
    assert code == 0 and "138****5678" in out and "13812345678" not in out
    code, out = cli("parcels", "scan", "73610555582883", "--to", "received")
    assert code == 0 and "registered -> received" in out
    code, out = cli("parcels", "scan", "73610555582883", "--to", "delivered")
    assert code == 5 and "cannot become delivered" in out


def test_import_names_its_depot_by_code(cli, tmp_path: Path):
    """--depot takes a depot's code (or id); an unknown one exits 3 and says so."""
    path = tmp_path / "d.csv"
    path.write_text(
        "运单号,收件人,电话,地址\n75352218881013,李四,,铜鼓县棋坪镇棋坪村\n"
    )
    args = ("parcels", "import", str(path), "--courier", "ZTO", "--as", "clerk-zto")
    code, out = cli(*args, "--depot", "TG-ZTO")
    assert code == 0 and "1 new" in out, out
    code, out = cli(*args, "--depot", "TG-NONE")
    assert code == 3 and out.endswith("error: no depot with code or id 'TG-NONE'\n")


def test_refused_file_exit_status(cli, tmp_path: Path):
    """A file that is no manifest is refused with its own exit status."""
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    code, out = cli("parcels", "import", str(path), "--courier", "ZTO")
    assert code == 6 and "empty.csv" in out


def test_db_check(cli):
    """countyhub db check passes on a migrated database."""
    code, out = cli("db", "check")
    assert code == 0, out


def test_add_one_parcel_and_resend_it(cli):
    """parcels add registers one parcel; the same again is recognised as known."""
    args = (
        "parcels",
        "add",
        "--courier",
        "SF",
        "--waybill",
        "SF1385628716739",
        "--address",
        "铜鼓县棋坪镇棋坪村",
        "--phone",
        "13812345678",
    )
    assert cli(*args) == (0, "SF1385628716739: new\n")
    assert cli(*args) == (0, "SF1385628716739: known\n")


def test_outbound_parcel_from_a_point(cli):
    """An outbound parcel is registered at the service point it leaves from."""
    code, out = cli(
        "parcels",
        "add",
        "--outbound",
        "--point",
        "360926105204",
        "--courier",
        "YTO",
        "--waybill",
        "YT1676021696729",
        "--address",
        "上海市浦东新区",
    )
    assert code == 0 and out.endswith("new\n")


def test_detect_needs_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Checking a number touches no file: no instance folder appears."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COUNTYHUB_INSTANCE_PATH", raising=False)
    result = CliRunner().invoke(main, ["couriers", "check", "EMS", "EA630595242CN"])
    assert result.exit_code == 0 and "ok" in result.output
    assert not (tmp_path / "instance").exists()


def test_purge_idempotency_keys(cli):
    """Expired Idempotency-Key records can be purged from the command line."""
    code, out = cli("db", "purge-idempotency")
    assert code == 0 and "expired idempotency keys deleted" in out
