"""``countyhub plan``, end to end on the demo database of the module's own."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from countyhub.platform.db import LOCAL_TZ
from tests.test_cli import cli_env, invoker, short_demo  # noqa: F401  (a fixture)

FAST = ("--seconds", "0.5")


@pytest.fixture(scope="module")
def demo_env(cli_env: dict[str, str]) -> dict[str, str]:  # noqa: F811
    """The module's database with the demo county and a few days of history."""
    short_demo(cli_env)
    return cli_env


@pytest.fixture
def cli(demo_env: dict[str, str]):
    """Run countyhub on the module's demo database; (exit status, output)."""
    return invoker(demo_env)


def test_a_day_from_pins_to_results(cli, tmp_path: Path):
    """Pin, make, show, publish, fill in the sheet and record it: the plan is done."""
    code, out = cli("plan", "pin", "tomorrow", "--point", "360926100001")
    assert code == 0 and "360926100001 must be visited" in out
    route = ("--vehicle", "TRI-1", "--route", "360926100002,360926100003")
    assert cli("plan", "pin", "tomorrow", *route)[0] == 0
    code, out = cli("plan", "pins", "tomorrow")
    assert code == 0 and re.search(r"TRI-1\s+2\.\s+360926100003", out)
    assert cli("plan", "unpin", "tomorrow", "--point", "360926100003")[1].endswith(
        "1 pin removed\n"
    )

    code, out = cli("plan", "make", "--date", "tomorrow", *FAST)
    assert code == 0, out
    assert "planning… (up to 0.5 s)" in out and "(draft)" in out
    assert re.search(r"run \d: TRI-1 .* pinned", out) and "unserved:" in out

    code, out = cli("plan", "show", "tomorrow")
    assert code == 0
    assert re.search(r"\d\. \d\d:\d\d\S* +360926100001  drop", out)
    code, out = cli("plan", "show", "tomorrow", "--json")
    plan = json.loads(out)
    assert plan["status"] == "draft" and plan["runs"][0]["stops"]

    code, out = cli("plan", "publish", "tomorrow")
    assert code == 0 and "published at" in out and "loaded on" in out
    code, out = cli("plan", "make", "--date", "tomorrow", *FAST)
    assert code == 5 and "published" in out

    code, sheet = cli("plan", "sheet", "tomorrow")
    rows = list(csv.DictReader(io.StringIO(sheet)))
    assert code == 0 and len(rows) == sum(len(r["stops"]) for r in plan["runs"])
    bad = tmp_path / "bad.csv"
    bad.write_text(f"vehicle,point,visited\n{rows[0]['vehicle']},x,maybe\n")
    code, out = cli("plan", "record", "tomorrow", str(bad))
    assert code == 2 and "bad.csv: row 2, visited:" in out

    for row in rows:
        row["visited"] = "yes" if row is not rows[-1] else "no"
    good = tmp_path / "results.csv"
    with good.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out = cli("plan", "record", "tomorrow", str(good))
    assert code == 0, out
    assert f"{len(rows)} stops recorded" in out and "the plan is done" in out
    code, out = cli("plan", "show", "tomorrow")
    assert "(done)" in out and "NOT visited" in out


def test_the_km_a_run_drove(cli):
    """A past day's run gets its km, again to correct them; a bad km exits 2, a
    vehicle without a run 3, an analyst 4, a draft 2 (publish it first)."""
    today = dt.datetime.now(LOCAL_TZ).date()
    day = (today - dt.timedelta(days=1)).isoformat()
    vehicle = json.loads(cli("plan", "show", day, "--json")[1])["runs"][0]["vehicle"]
    code, out = cli("plan", "km", day, vehicle, "42.5")
    assert code == 0, out
    said = rf"{day}: {vehicle} drove 42.5 km \(planned \d+\.\d km\)\n"
    assert re.fullmatch(said, out), out
    code, out = cli("plan", "km", day, vehicle, "40", "--as", "admin")
    assert code == 0 and "drove 40 km" in out
    for bad in ("0", "1000.5", "nan", "x"):
        code, out = cli("plan", "km", day, vehicle, bad)
        assert code == 2 and "KM" in out, out
    code, out = cli("plan", "km", day, "NO-SUCH", "10")
    assert code == 3 and "no run of vehicle NO-SUCH" in out
    assert cli("plan", "km", day, vehicle, "10", "--as", "analyst")[0] == 4
    if cli("plan", "show", "today")[0] == 3:  # no plan yet: a draft
        assert cli("plan", "make", "--date", "today", *FAST)[0] == 0
    code, out = cli("plan", "km", "today", vehicle, "10")
    assert code == 2 and "publish it first" in out
    code, out = cli("stats", "--from", day, "--to", day)
    assert code == 0 and re.search(r"^km recorded +\d+\.\d$", out, re.MULTILINE), out


def test_refusals_have_their_exit_status(cli):
    """Unknown day 3, outside one's rights 4, a bad date or options 2."""
    assert cli("plan", "show", "2031-01-01")[0] == 3
    code, out = cli("plan", "make", "--date", "2031-01-01", "--as", "analyst")
    assert code == 4 and "dispatcher" in out
    code, out = cli("plan", "show", "2031-02-30")
    assert code == 2 and "YYYY-MM-DD, today or tomorrow" in out
    assert cli("plan", "pin", "2031-01-01", "--vehicle", "TRI-1")[0] == 2
    assert cli("plan", "unpin", "2031-01-01", "--point", "360926100001")[0] == 3


def test_cadence_of_points_is_set_by_code(cli):
    """A busy seat daily; bad cadences, unknown points and analysts are refused."""
    code, out = cli("county", "cadence", "1", "360926100001")
    assert code == 0 and "at least every 1 day" in out
    assert cli("county", "cadence", "9", "360926100001")[0] == 2
    assert cli("county", "cadence", "2", "NO-SUCH-POINT")[0] == 3
    code, out = cli("plan", "make", "--date", "2030-01-07", *FAST, "--as", "dispatcher")
    assert code == 0, out
    assert cli("county", "cadence", "3", "360926100002", "--as", "analyst")[0] == 4


def test_the_cycle_is_made_anew_and_shown(cli):
    code, out = cli("plan", "cycle", "--seconds", "0.5")
    assert code == 0, out
    assert re.search(r"cycle of 2 days from \S+: day 0: \d+, day 1: \d+ points", out)
    code, shown = cli("plan", "cycle", "--show")
    assert (
        code == 0
        and shown.splitlines()[1:] == out.splitlines()[-len(shown.splitlines()) + 1 :]
    )
    assert cli("plan", "cycle", "--seconds", "0.1")[0] == 2
