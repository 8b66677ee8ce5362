"""The day's plan: required points, parcels dropped and collected, drafts, locks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from countyhub.platform.config import Settings
from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import Forbidden, InvalidInput, NotFound, PlanLocked
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.registration import register_parcel
from countyhub.platform.models import (
    Parcel,
    Plan,
    PlanRun,
    PlanStop,
    PlanStopParcel,
    PointVisit,
    RouteCycle,
    ServicePoint,
    User,
    Vehicle,
)
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.plans import plan as plan_module
from countyhub.platform.plans import stored_cycle
from countyhub.platform.plans.cycle import current_cycle, make_route_cycle
from countyhub.platform.plans.pins import list_pins, pin_route, pin_visit
from countyhub.platform.plans.plan import (
    get_plan,
    make_plan,
    plans_query,
    prepare_plan,
    save_plan,
    solve_plan,
)
from countyhub.platform.plans.schemas import PlanOut, PlanSummaryOut, clock
from tests.platform.intake.test_registration import zto

DAY = dt.date(2026, 12, 1)
# A handful of active points keeps plans fast; the rest of the county is inactive.
CODES = ("360926100200", "360926100201", "360926100202", "360926100203")
SETTINGS = Settings.from_env({"COUNTYHUB_PLAN_DEPARTURE": "07:30"})
_serials = itertools.count(100_000_000_000)


@pytest.fixture
def points(session: Session) -> dict[str, ServicePoint]:
    """Only the points of CODES are active; each was visited yesterday."""
    session.execute(update(ServicePoint).values(active=ServicePoint.code.in_(CODES)))
    found = {
        p.code: p
        for p in session.scalars(
            select(ServicePoint).where(ServicePoint.code.in_(CODES))
        )
    }
    for point in found.values():
        visit(session, point, DAY - dt.timedelta(days=1))
    session.flush()
    return found


def visit(session: Session, point: ServicePoint, day: dt.date) -> None:
    session.add(PointVisit(service_point_id=point.id, visited_on=day))
    session.flush()


def local(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LOCAL_TZ)


def inbound(
    session: Session, actor: User, point: ServicePoint, n: int, received: dt.date
) -> list[Parcel]:
    """``n`` inbound parcels for ``point``, received on ``received``, sorted."""
    parcels = []
    for _ in range(n):
        waybill = f"73{next(_serials):012d}"
        registrar = Registrar(session, actor, clock=lambda: local(received, 8))
        out = registrar.register([(1, zto(waybill))])[0]
        parcel = session.get(Parcel, out.parcel_id)
        parcel.service_point_id = point.id
        record_scan(session, actor, parcel, Status.RECEIVED, at=local(received))
        record_scan(session, actor, parcel, Status.SORTED, at=local(received, 10))
        parcels.append(parcel)
    return parcels


def outbound(
    session: Session, actor: User, point: ServicePoint, n: int
) -> list[Parcel]:
    """``n`` outbound parcels registered at ``point``."""
    parcels = []
    for _ in range(n):
        item = zto(
            f"73{next(_serials):012d}",
            direction="outbound",
            address="浙江省杭州市西湖区文三路1号",
            service_point=point.code,
        )
        parcels.append(
            session.get(Parcel, register_parcel(session, actor, item).parcel_id)
        )
    return parcels


def plan(
    session: Session, actor: User, *, seed: int = 1, settings: Settings = SETTINGS
) -> Plan:
    return make_plan(session, actor, DAY, seconds=0.5, seed=seed, settings=settings)


def stop_parcels(plan: Plan, action: str) -> set[int]:
    return {
        item.parcel_id
        for run in plan.runs
        for stop in run.stops
        for item in stop.parcels
        if item.action == action
    }


def routes(plan: Plan) -> dict[str, list[str]]:
    return {
        run.vehicle.code: [stop.service_point.code for stop in run.stops]
        for run in plan.runs
    }


def test_required_points_follow_the_visit_log(session, dispatcher, points):
    """Visited yesterday: optional; visited two days ago: required today."""
    due = points[CODES[0]]
    visit(session, due, DAY - dt.timedelta(days=2))
    session.execute(
        PointVisit.__table__.delete().where(
            PointVisit.service_point_id == due.id,
            PointVisit.visited_on == DAY - dt.timedelta(days=1),
        )
    )
    made = plan(session, dispatcher)
    assert due.id in made.required
    assert set(made.required) == {due.id}
    visited = {stop.service_point_id for run in made.runs for stop in run.stops}
    assert due.id in visited
    assert made.status == "draft" and made.feasible


def test_a_never_visited_point_is_required(session, dispatcher, points):
    """A point with no visit in the log is visited at once."""
    fresh = points[CODES[1]]
    session.execute(
        PointVisit.__table__.delete().where(PointVisit.service_point_id == fresh.id)
    )
    assert fresh.id in plan(session, dispatcher).required


def test_every_parcel_due_today_is_dropped(session, dispatcher, admin, points):
    """Parcels received two days ago are on a drop stop of their point today."""
    due = inbound(session, admin, points[CODES[0]], 3, DAY - dt.timedelta(days=2))
    fresh = inbound(session, admin, points[CODES[1]], 2, DAY)
    made = plan(session, dispatcher)
    dropped = stop_parcels(made, "drop")
    assert {p.id for p in due} <= dropped
    assert points[CODES[0]].id in made.required
    for run in made.runs:
        for stop in run.stops:
            for item in stop.parcels:
                assert item.parcel.service_point_id == stop.service_point_id
                assert item.outcome is None
    # parcels that may wait are either dropped or listed, never lost
    waiting = {p for u in made.unserved for p in u["parcel_ids"]}
    assert {p.id for p in fresh} <= dropped | waiting


def test_outbound_parcels_are_collected(session, dispatcher, admin, points):
    """Outbound parcels of a point visited today are collected there."""
    point = points[CODES[2]]
    visit(session, point, DAY - dt.timedelta(days=2))
    session.execute(
        PointVisit.__table__.delete().where(
            PointVisit.service_point_id == point.id,
            PointVisit.visited_on == DAY - dt.timedelta(days=1),
        )
    )
    parcels = outbound(session, admin, point, 2)
    made = plan(session, dispatcher)
    assert stop_parcels(made, "collect") == {p.id for p in parcels}
    stop = session.scalar(select(PlanStop).where(PlanStop.service_point_id == point.id))
    assert {i.action for i in stop.parcels} == {"collect"}


def test_inactive_point_with_parcels_is_planned(session, dispatcher, admin, points):
    """An inactive point still gets the parcels sorted for it."""
    closed = session.scalar(
        select(ServicePoint).where(ServicePoint.code == "360926105204")
    )
    assert not closed.active
    parcels = inbound(session, admin, closed, 1, DAY - dt.timedelta(days=2))
    made = plan(session, dispatcher)
    assert parcels[0].id in stop_parcels(made, "drop")


def test_replanning_a_draft_keeps_pins(session, dispatcher, points):
    """A draft planned again is the same plan, new runs, pins kept exactly."""
    a, b, c = (points[code] for code in CODES[:3])
    pin_visit(session, dispatcher, DAY, a.code)
    pin_route(session, dispatcher, DAY, "VAN-2", [c.code, b.code])
    first = plan(session, dispatcher)
    first_id = first.id
    again = plan(session, dispatcher, seed=7)
    assert again.id == first_id and again.seed == 7
    runs = session.scalar(select(func.count()).select_from(PlanRun))
    assert runs == len(again.runs)  # the first runs are gone
    assert routes(again)["VAN-2"] == [c.code, b.code]
    van2 = next(run for run in again.runs if run.vehicle.code == "VAN-2")
    assert van2.pinned and all(stop.pinned for stop in van2.stops)
    assert a.id in again.required
    assert a.code in [code for codes in routes(again).values() for code in codes]
    assert [
        (p.service_point.code, p.position) for p in list_pins(session, dispatcher, DAY)
    ] == [
        (a.code, None),
        (c.code, 1),
        (b.code, 2),
    ]
    assert session.scalar(select(func.count()).select_from(Plan)) == 1
    assert session.scalar(select(func.count()).select_from(PlanStopParcel)) == 0


def test_published_plan_is_locked(session, dispatcher, points):
    """A published or done plan is not made again."""
    made = plan(session, dispatcher)
    made.status = "published"
    session.flush()
    with pytest.raises(PlanLocked, match="published"):
        plan(session, dispatcher)
    made.status = "done"
    with pytest.raises(PlanLocked, match="done"):
        plan(session, dispatcher)


@pytest.mark.parametrize("who", ["analyst", "zto_clerk", "point_operator"])
def test_only_dispatchers_and_admins_make_plans(session, request, who, points):
    """Everyone else is refused before anything is read."""
    with pytest.raises(Forbidden):
        plan(session, request.getfixturevalue(who))


def test_who_reads_plans(session, admin, analyst, zto_clerk, point_operator, points):
    """Admins make plans too; analysts read them; clerks and operators do not."""
    made = plan(session, admin)
    assert get_plan(session, analyst, DAY) is made
    assert session.scalars(plans_query(analyst)).all() == [made]
    for outsider in (zto_clerk, point_operator):
        with pytest.raises(Forbidden):
            get_plan(session, outsider, DAY)
        with pytest.raises(Forbidden):
            plans_query(outsider)


def test_points_without_coordinates_are_named(session, dispatcher, points):
    """A point to plan without coordinates stops the plan and is named."""
    lost = points[CODES[3]]
    lost.lon = lost.lat = None
    with pytest.raises(InvalidInput, match=lost.code) as caught:
        plan(session, dispatcher)
    assert lost.name in str(caught.value)
    assert session.scalar(select(func.count()).select_from(Plan)) == 0


def test_no_plan_is_not_found(session, analyst):
    with pytest.raises(NotFound, match="plan"):
        get_plan(session, analyst, DAY)


def test_plans_are_listed_newest_first(session, dispatcher, points):
    """The list is ordered by day, newest first, and filters on status."""
    older = make_plan(
        session, dispatcher, DAY - dt.timedelta(days=1), seconds=0.5, settings=SETTINGS
    )
    newer = plan(session, dispatcher)
    newer.status = "published"
    assert session.scalars(plans_query(dispatcher)).all() == [newer, older]
    assert session.scalars(plans_query(dispatcher, status="draft")).all() == [older]
    with pytest.raises(InvalidInput):
        plans_query(dispatcher, status="lost")


def test_the_cycle_is_made_once_and_remade_on_change(session, dispatcher, points):
    """The cycle is stored with the plan, reused, and made again when a cadence
    changes."""
    first = plan(session, dispatcher)
    cycle = session.get(RouteCycle, first.cycle_id)
    assert cycle.starts_on == DAY
    assert set(cycle.cadences) == {str(p.id) for p in points.values()}
    assert plan(session, dispatcher).cycle_id == cycle.id
    points[CODES[0]].cadence_days = 1
    assert plan(session, dispatcher).cycle_id != cycle.id
    assert session.scalar(select(func.count()).select_from(RouteCycle)) == 2


def test_the_first_plan_reads_then_searches_its_cycle_then_saves(
    session, dispatcher, points, monkeypatch
):
    """With no cycle yet, preparing reads only and leaves the cycle to make;
    solving searches the cycle, then the day, with no database; saving stores
    the cycle and the plan by it."""
    session.execute(delete(RouteCycle))
    session.flush()
    searched: list[str] = []
    for module, name in ((stored_cycle, "make_cycle"), (plan_module, "plan_day")):
        monkeypatch.setattr(module, name, spy(searched, name, getattr(module, name)))
    with statements(session) as sent:
        job = prepare_plan(session, dispatcher, DAY, seconds=0.5, settings=SETTINGS)
    assert searched == [] and job.inputs.cycle is None
    assert job.inputs.new_cycle is not None and job.inputs.new_cycle.day == DAY
    assert (job.inputs.new_cycle.seconds, job.inputs.solve_seconds) == (1.0, 0.5)
    assert [s for s in sent if not s.lstrip().upper().startswith("SELECT")] == []
    assert session.scalar(select(func.count()).select_from(RouteCycle)) == 0
    with statements(session) as sent:
        found = solve_plan(job)
    assert searched == ["make_cycle", "plan_day"] and sent == []
    assert found.new_cycle is not None
    made = save_plan(session, dispatcher, job, found)
    cycle = session.scalars(select(RouteCycle)).one()
    assert made.cycle_id == cycle.id and cycle.starts_on == DAY
    assert cycle.days == {str(p): sorted(d) for p, d in found.new_cycle.days.items()}
    assert plan(session, dispatcher).cycle_id == cycle.id  # the next plan follows it


def test_a_cycle_made_meanwhile_gives_way_to_the_plans_own(session, dispatcher, points):
    """A cycle stored while the first plan searched its own: the plan keeps the
    cycle it was searched by, stored as the latest."""
    session.execute(delete(RouteCycle))
    job = prepare_plan(session, dispatcher, DAY, seconds=0.5, settings=SETTINGS)
    found = solve_plan(job)
    meanwhile = make_route_cycle(
        session, dispatcher, seconds=0.5, starts_on=DAY, settings=SETTINGS
    )
    made = save_plan(session, dispatcher, job, found)
    assert made.cycle_id not in (None, meanwhile.id)
    assert current_cycle(session, dispatcher).id == made.cycle_id
    assert session.scalar(select(func.count()).select_from(RouteCycle)) == 2


def spy(seen: list[str], name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    """``real``, noting ``name`` in ``seen`` on each call."""

    def noted(*args: Any, **kwargs: Any) -> Any:
        seen.append(name)
        return real(*args, **kwargs)

    return noted


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """The SQL statements the session's connection sends meanwhile."""
    sent: list[str] = []
    connection = session.connection()

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(connection, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", note)


def test_plan_out_reads_like_a_route_sheet(session, dispatcher, admin, points):
    """Clock times from the departure, waybills, counts; no personal data."""
    parcels = inbound(session, admin, points[CODES[0]], 2, DAY - dt.timedelta(days=2))
    made = get_plan(session, dispatcher, plan(session, dispatcher).day)
    out = PlanOut(departure=SETTINGS.plan_departure).dump(made)
    text = json.dumps(out, ensure_ascii=False)
    assert "张三" not in text and "13812345678" not in text
    run = out["runs"][0]
    assert run["departs_at"] == "07:30"
    first = run["stops"][0]
    assert first["arrival"] == clock(
        dt.time(7, 30), made.runs[0].stops[0].arrival_seconds
    )
    stops = [s for r in out["runs"] for s in r["stops"] if s["point"] == CODES[0]]
    assert sorted(stops[0]["drop_waybills"]) == sorted(p.waybill_no for p in parcels)
    assert stops[0]["drop"] == 2 and stops[0]["visited"] is None
    assert out["day"] == DAY.isoformat() and out["required_count"] == len(made.required)
    summary = PlanSummaryOut().dump(made)
    assert summary["run_count"] == len(made.runs) and "runs" not in summary


def test_clock_runs_past_midnight():
    assert clock(dt.time(8, 0), 0) == "08:00"
    assert clock(dt.time(8, 0), 5_470) == "09:31"
    assert clock(dt.time(22, 0), 3 * 3600) == "01:00+1"


def test_plans_on_the_road_network(session, dispatcher, points, tmp_path):
    """With a road network in the settings, distances come from its graph."""
    seat = (114.365811, 28.523890)
    lines = [[seat, (p.lon, p.lat)] for p in points.values()]
    roads = tmp_path / "roads.geojson"
    roads.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"highway": "secondary"},
                        "geometry": {"type": "LineString", "coordinates": line},
                    }
                    for line in lines
                ],
            }
        )
    )
    settings = dataclasses.replace(SETTINGS, road_network=roads)
    assert plan(session, dispatcher, settings=settings).method == "road graph"
    missing = dataclasses.replace(SETTINGS, road_network=tmp_path / "none.osm")
    with pytest.raises(InvalidInput, match="cannot read the road network"):
        plan(session, dispatcher, settings=missing)


def test_a_pinned_route_of_a_vehicle_since_retired(session, dispatcher, points):
    """A route pinned on a vehicle that is no longer active stops the plan."""
    pin_route(session, dispatcher, DAY, "TRI-1", [CODES[0]])
    session.scalar(select(Vehicle).where(Vehicle.code == "TRI-1")).active = False
    with pytest.raises(InvalidInput, match="TRI-1 has a pinned route"):
        plan(session, dispatcher)
