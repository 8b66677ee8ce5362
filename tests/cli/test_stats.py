"""``countyhub stats``: the main figures of a period as tables; bad input is exit 2."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.accounts.users import system_actor
from countyhub.platform.db import make_engine
from tests.cli.test_county import Run
from tests.platform.stats.conftest import DADUAN, build
from tests.test_cli import invoker, own_database


@pytest.fixture(scope="module")
def run(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    """A demo database (no demo parcels) holding October 2026's known history."""
    for env in own_database(database_url, tmp_path_factory.mktemp("stats")):
        run = invoker(env)
        code, out = run("demo", "--no-serve", "--parcels", "0")
        assert code == 0, out
        engine = make_engine(env["COUNTYHUB_DATABASE_URL"])
        with Session(engine) as session:
            build(session, system_actor(session))
            session.commit()
        engine.dispose()
        yield run


def test_the_month_as_tables(run: Run):
    """Each section with its figures; CJK names keep the columns aligned."""
    code, out = run("stats", "--month", "2026-10")
    assert code == 0, out
    assert out.startswith("2026-10-01 to 2026-10-31\n")
    lines = out.splitlines()
    assert "inbound received at the centre  9" in lines
    assert any(line.startswith("handed over within 48 h") and "3 of 9 (33.3%)" in line
               for line in lines)  # fmt: skip
    assert any(line.endswith("  6.0 h") and "median" in line for line in lines)
    assert any("poverty villages served" in line and "not declared" in line
               for line in lines)  # fmt: skip
    assert any(line.startswith("km recorded") and "not recorded" in line
               for line in lines)  # fmt: skip
    breach = next(line for line in lines if line.startswith("360926105204"))
    assert "2026-10-06" in breach and breach.endswith("2026-10-08")
    total = next(line for line in lines if line.startswith("total"))
    assert total.split()[-2:] == ["10", "0.00"]


def test_a_township_and_dates(run: Run):
    """--township narrows; --from/--to name a period."""
    code, out = run(
        "stats", "--from", "2026-10-01", "--to", "2026-10-31", "--township", DADUAN
    )
    assert code == 0, out
    assert out.startswith("2026-10-01 to 2026-10-31, township 大塅镇\n")
    assert "inbound received at the centre  4" in out.splitlines()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--month", "2026-13"], "YYYY-MM"),
        (["--month", "2099-01"], "has not begun"),
        (["--from", "2026-10-05", "--to", "2026-10-01"], "after it ends"),
        (["--township", "999"], "no township"),
        (["--month", "2026-10", "--from", "2026-10-01"], "either a month"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run: Run, args: list[str], says: str):
    """The message says what is wrong; no traceback."""
    code, out = run("stats", *args)
    assert code == 2
    assert says in out and "Traceback" not in out
