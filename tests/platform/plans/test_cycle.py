"""The county's cycle made on demand, read back, and followed by the next plan."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, InvalidInput, NotFound
from countyhub.platform.models import RouteCycle, ServicePoint
from countyhub.platform.plans.cycle import (
    current_cycle,
    describe_cycle,
    make_route_cycle,
)
from countyhub.platform.plans.cycle_schemas import CycleOut
from countyhub.platform.plans.plan import make_plan
from tests.platform.plans import test_plan as test_plans
from tests.platform.plans.test_plan import CODES, DAY, SETTINGS

points = test_plans.points  # the fixture: a few active points, visited yesterday


def test_a_cycle_is_made_read_and_followed(
    session: Session, dispatcher, analyst, points
):
    """Each active point gets one of its allowed day sets; the plan uses the cycle."""
    made = make_route_cycle(
        session, dispatcher, seconds=0.5, starts_on=DAY, settings=SETTINGS
    )
    assert current_cycle(session, analyst) is made
    view = CycleOut().dump(describe_cycle(session, made))
    assert view["starts_on"] == DAY.isoformat() and view["length"] == 2
    assert {p["point"] for p in view["points"]} == set(CODES)
    assert all(p["days"] in ([0], [1], [0, 1]) for p in view["points"])
    assert sum(d["points"] for d in view["days"]) >= len(CODES)
    plan = make_plan(session, dispatcher, DAY, seconds=0.5, settings=SETTINGS)
    assert plan.cycle_id == made.id


def test_a_cadence_change_gets_a_new_cycle_from_the_next_plan(
    session: Session,
    dispatcher,
    points,
):
    made = make_route_cycle(
        session, dispatcher, seconds=0.5, starts_on=DAY, settings=SETTINGS
    )
    points[CODES[0]].cadence_days = 1
    session.flush()
    plan = make_plan(session, dispatcher, DAY, seconds=1, settings=SETTINGS)
    assert plan.cycle_id != made.id
    assert session.get(RouteCycle, plan.cycle_id).days[str(points[CODES[0]].id)] == [
        0,
        1,
    ]


def test_who_makes_and_reads_cycles(
    session: Session, analyst, zto_clerk, dispatcher, points
):
    with pytest.raises(Forbidden):
        make_route_cycle(session, analyst, seconds=0.5, settings=SETTINGS)
    with pytest.raises(Forbidden):
        current_cycle(session, zto_clerk)
    with pytest.raises(InvalidInput, match=r"0\.5 to 600"):
        make_route_cycle(session, dispatcher, seconds=0.1, settings=SETTINGS)


def test_no_cycle_yet_is_not_found(session: Session, analyst):
    session.query(RouteCycle).delete()
    with pytest.raises(NotFound, match="cycle"):
        current_cycle(session, analyst)


def test_no_active_point_no_cycle(session: Session, dispatcher):
    session.query(ServicePoint).update({"active": False})
    with pytest.raises(InvalidInput, match="no active service point"):
        make_route_cycle(
            session,
            dispatcher,
            seconds=0.5,
            starts_on=dt.date(2026, 1, 1),
            settings=SETTINGS,
        )
