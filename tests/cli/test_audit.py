"""``countyhub audit``: the trail of administrative changes, one line each."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.accounts.roles import Role
from countyhub.platform.accounts.users import create_user
from countyhub.platform.db import make_engine
from tests.cli.test_county import Run
from tests.test_cli import invoker, own_database

POINT = "360926100001"
WHEN = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
LINE = re.compile(rf"^{WHEN}  (\S+)  (\S+)  (\w+) (\S+)  ")


@pytest.fixture(scope="module")
def run(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    """A new database with the county loaded, a cadence set and a dispatcher."""
    for env in own_database(database_url, tmp_path_factory.mktemp("audit")):
        run = invoker(env)
        for command in (["db", "upgrade"], ["county", "load"]):
            assert run(*command)[0] == 0
        assert run("county", "cadence", "3", POINT)[0] == 0
        engine = make_engine(env["COUNTYHUB_DATABASE_URL"])
        with Session(engine) as session:
            create_user(session, None, username="disp", role=Role.DISPATCHER)
            session.commit()
        engine.dispose()
        yield run


def test_each_change_is_one_line_in_local_time(run: Run):
    """Who, which action, on what: the load and the cadence by the built-in
    admin, then the dispatcher made at start-up (no one), oldest first."""
    code, out = run("audit")
    assert code == 0, out
    lines = out.splitlines()
    assert [LINE.match(line).group(1, 2, 3) for line in lines] == [
        ("system", "county.load", "county"),
        ("system", "service_point.cadence", "service_point"),
        ("-", "user.create", "user"),
    ]
    assert "service_points: 0 → 108" in lines[0]
    assert lines[1].endswith("cadence_days: 2 → 3")
    assert "username: - → 'disp'" in lines[2]


def test_filters_by_day_and_action(run: Run):
    """--since a later day and --action narrow the lines; a bad value is 2."""
    assert run("audit", "--since", "2099-01-01") == (0, "")
    code, out = run("audit", "--action", "county.load", "--since", "2000-01-01")
    assert code == 0 and len(out.splitlines()) == 1 and "county.load" in out
    assert run("audit", "--since", "yesterday")[0] == 2
    assert run("audit", "--action", "user.delete")[0] == 2


def test_only_an_admin_reads_it(run: Run):
    """Acting as a dispatcher, the command is refused (4)."""
    assert run("audit", "--as", "disp")[0] == 4
