"""The km a run drove: recorded alone, with the results, or from the results file."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, InvalidInput, NotFound, PlanLocked
from countyhub.platform.models import Plan, User
from countyhub.platform.plans.km import RunKm
from countyhub.platform.plans.results import (
    publish_plan,
    record_results,
    record_run_km,
)
from countyhub.platform.plans.results_file import StopResult, read_results
from tests.platform.plans.test_results import (
    CHENGBEI,
    CHENGNAN,
    DAY,
    HUCUN,
    event_count,
    make_plan,
    write,
)


@pytest.fixture
def plan(session: Session, admin: User) -> Plan:
    return make_plan(session, admin)


@pytest.fixture
def published(session: Session, dispatcher: User, plan: Plan) -> Plan:
    return publish_plan(session, dispatcher, DAY)


def km_of(plan: Plan) -> dict[str, float | None]:
    return {run.vehicle.code: run.km_recorded for run in plan.runs}


# --- record_run_km ----------------------------------------------------------------


def test_a_run_km_is_recorded_with_who_and_when(
    session: Session, dispatcher: User, published: Plan
):
    """The run gets its km, the dispatcher and the time; the other run none."""
    run = record_run_km(session, dispatcher, DAY, " van-1 ", 42.5)
    assert run.vehicle.code == "VAN-1" and run.plan is published
    assert km_of(published) == {"VAN-1": 42.5, "TRI-1": None}
    assert run.km_recorded_by_id == dispatcher.id
    assert run.km_recorded_at is not None and run.km_recorded_at.tzinfo is not None


def test_a_correction_replaces_the_km(
    session: Session, dispatcher: User, admin: User, published: Plan
):
    """Recording again replaces the km and keeps who and when of the latest."""
    first = record_run_km(session, dispatcher, DAY, "VAN-1", 42.5)
    when = first.km_recorded_at
    again = record_run_km(session, admin, DAY, "VAN-1", 40.0)
    assert again is first and again.km_recorded == 40.0
    assert again.km_recorded_by_id == admin.id and again.km_recorded_at >= when


@pytest.mark.parametrize("km", [0, -3, 1000.01, math.nan, math.inf])
def test_km_out_of_bounds_are_refused(
    session: Session, dispatcher: User, published: Plan, km: float
):
    """Km must be a number more than 0 and at most 1000: InvalidInput naming km."""
    with pytest.raises(InvalidInput, match="km") as caught:
        record_run_km(session, dispatcher, DAY, "VAN-1", km)
    assert set(caught.value.problems) == {"km"}
    assert "at most 1000" in str(caught.value) or "not a number" in str(caught.value)
    assert km_of(published)["VAN-1"] is None


def test_the_bounds_themselves(session: Session, dispatcher: User, published: Plan):
    """1000 km is taken; so is a tenth of a km."""
    assert record_run_km(session, dispatcher, DAY, "VAN-1", 1000).km_recorded == 1000
    assert record_run_km(session, dispatcher, DAY, "TRI-1", 0.1).km_recorded == 0.1


@pytest.mark.parametrize("role", ["analyst", "zto_clerk", "point_operator"])
def test_only_dispatchers_and_admins_record_km(
    request: pytest.FixtureRequest, session: Session, published: Plan, role: str
):
    """Other roles may not record km, alone or with results."""
    actor = request.getfixturevalue(role)
    with pytest.raises(Forbidden):
        record_run_km(session, actor, DAY, "VAN-1", 42.5)
    with pytest.raises(Forbidden):
        record_results(session, actor, DAY, [], runs=[RunKm("VAN-1", 42.5)])
    assert km_of(published)["VAN-1"] is None


def test_a_draft_has_no_km(session: Session, dispatcher: User, plan: Plan):
    """A draft has not run: publish it first."""
    with pytest.raises(InvalidInput, match="publish it first"):
        record_run_km(session, dispatcher, DAY, "VAN-1", 42.5)
    with pytest.raises(InvalidInput, match="publish it first"):
        record_results(session, dispatcher, DAY, [], runs=[RunKm("VAN-1", 42.5)])


def test_unknown_vehicle_or_day(session: Session, dispatcher: User, published: Plan):
    """A vehicle without a run in the plan, or a day without a plan: NotFound."""
    with pytest.raises(NotFound, match="no run of vehicle VAN-9 in the plan for"):
        record_run_km(session, dispatcher, DAY, "VAN-9", 42.5)
    with pytest.raises(NotFound, match="plan"):
        record_run_km(session, dispatcher, DAY + dt.timedelta(days=400), "VAN-1", 1)


def test_a_done_plan_takes_km(session: Session, dispatcher: User, published: Plan):
    """A done plan's runs may still get their km (read off the meters later)."""
    published.status = "done"
    assert record_run_km(session, dispatcher, DAY, "TRI-1", 12.3).km_recorded == 12.3


# --- with the results -------------------------------------------------------------


def test_km_alone_through_the_results(
    session: Session, dispatcher: User, published: Plan
):
    """Runs' km without stop results: recorded, no stop nor parcel touched."""
    before = event_count(session)
    runs = [RunKm("VAN-1", 42.5), RunKm("TRI-1", 12.0)]
    summary = record_results(session, dispatcher, DAY, [], runs=runs)
    assert (summary.stops, summary.km_recorded, summary.done) == (0, 2, False)
    assert km_of(published) == {"VAN-1": 42.5, "TRI-1": 12.0}
    assert event_count(session) == before
    assert all(s.recorded_at is None for r in published.runs for s in r.stops)


def test_km_alone_for_a_done_plan_but_not_stops(
    session: Session, dispatcher: User, published: Plan
):
    """A done plan takes km alone; its stops stay locked."""
    published.status = "done"
    summary = record_results(session, dispatcher, DAY, [], runs=[RunKm("TRI-1", 9)])
    assert summary.done and summary.km_recorded == 1
    with pytest.raises(PlanLocked):
        record_results(
            session,
            dispatcher,
            DAY,
            [StopResult("TRI-1", CHENGNAN, True)],
            runs=[RunKm("TRI-1", 9)],
        )


def test_neither_stops_nor_km(session: Session, dispatcher: User, published: Plan):
    """Nothing given is refused."""
    with pytest.raises(InvalidInput, match="no results given"):
        record_results(session, dispatcher, DAY, [])


def test_stops_and_km_in_one_call(session: Session, dispatcher: User, published: Plan):
    """The km given with the stops, in a list and on a row, are both recorded."""
    results = [
        StopResult("VAN-1", HUCUN, True, km=41.0),
        StopResult("VAN-1", CHENGBEI, True, km=41.0),
        StopResult("TRI-1", CHENGNAN, True),
    ]
    summary = record_results(
        session, dispatcher, DAY, results, runs=[RunKm("TRI-1", 8.5)]
    )
    assert summary.done and (summary.stops, summary.km_recorded) == (3, 2)
    assert km_of(published) == {"VAN-1": 41.0, "TRI-1": 8.5}


def test_bad_km_in_the_results_write_nothing(
    session: Session, dispatcher: User, published: Plan
):
    """An unknown vehicle, km out of bounds, two km for one run: every problem
    named, and neither the stops nor any km recorded."""
    runs = [
        RunKm("VAN-9", 10),
        RunKm("TRI-1", 1001),
        RunKm("VAN-1", 40),
        RunKm("VAN-1", 41),
    ]
    with pytest.raises(InvalidInput, match="nothing was recorded") as caught:
        record_results(
            session, dispatcher, DAY, [StopResult("TRI-1", CHENGNAN, True)], runs=runs
        )
    problems = caught.value.problems
    assert set(problems) == {"runs 1", "runs 2", "runs 4"}
    assert "VAN-9 has no run" in problems["runs 1"]
    assert "at most 1000" in problems["runs 2"]
    assert "another km" in problems["runs 4"]
    assert km_of(published) == {"VAN-1": None, "TRI-1": None}
    assert all(s.recorded_at is None for r in published.runs for s in r.stops)


# --- the results file's km column ---------------------------------------------------


def test_the_km_column_is_read(tmp_path: Path):
    """里程 on one row of a run or on each (the same), with a unit or without."""
    text = (
        "车辆,服务点,到达,里程\n"
        f"VAN-1,{HUCUN},是,42.5公里\n"
        f"VAN-1,{CHENGBEI},是,42.5\n"
        f"TRI-1,{CHENGNAN},否,\n"
    )
    results = read_results(write(tmp_path, "结果.csv", text, "gb18030"))
    assert [r.km for r in results] == [42.5, 42.5, None]


@pytest.mark.parametrize("header", ["km", "行驶里程", "公里", "里程（km）"])
def test_the_km_column_names(tmp_path: Path, header: str):
    """The column is found under its Chinese and English names."""
    text = f"vehicle,point,visited,{header}\nVAN-1,{HUCUN},yes,１２.５ km\n"
    assert read_results(write(tmp_path, "r.csv", text))[0].km == 12.5


def test_different_km_for_one_run_name_the_row(tmp_path: Path):
    """Two rows of VAN-1 that give different km: the later row and column named."""
    text = (
        "车辆,服务点,到达,里程\n"
        f"VAN-1,{HUCUN},是,42.5\n"
        f"TRI-1,{CHENGNAN},是,9\n"
        f"van-1,{CHENGBEI},是,45\n"
    )
    with pytest.raises(InvalidInput) as caught:
        read_results(write(tmp_path, "km.csv", text))
    assert str(caught.value).startswith("km.csv: row 4, column 里程: 45 km for van-1")
    assert set(caught.value.problems) == {"row 4, 里程"}
    assert "row 2 gives 42.5 km" in caught.value.problems["row 4, 里程"]


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("abc", "'abc' is not a number"),
        ("4O.5", "'4O.5' is not a number"),
        ("0", "0 is out of bounds"),
        ("1200", "at most 1000 km"),
        ("nan", "'nan' is not a number"),
    ],
)
def test_bad_km_name_the_row(tmp_path: Path, cell: str, why: str):
    """A km that is no number or out of bounds: file, row and column named."""
    text = f"vehicle,point,visited,km\nVAN-1,{HUCUN},yes,{cell}\n"
    with pytest.raises(InvalidInput) as caught:
        read_results(write(tmp_path, "bad.csv", text))
    assert str(caught.value).startswith("bad.csv: row 2, column km: ")
    assert why in caught.value.problems["row 2, km"]
