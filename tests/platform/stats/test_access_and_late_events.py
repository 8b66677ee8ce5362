"""Who may read the figures; and that late events change a past period's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden
from countyhub.platform.models import PointVisit, User
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.stats.cadence import cadence
from countyhub.platform.stats.consent import consent
from countyhub.platform.stats.coverage import coverage
from countyhub.platform.stats.fleet import fleet
from countyhub.platform.stats.period import StatsQuery
from countyhub.platform.stats.service import service_level
from countyhub.platform.stats.statements import statements
from countyhub.platform.stats.volumes import volumes
from tests.platform.stats.conftest import SHANGZHUANG, Builder, History, oct_


def _statements(session: Session, actor: User, query: StatsQuery) -> object:
    return statements(session, actor, query, fee=Decimal("1.00"))


SERVICES = [volumes, service_level, cadence, coverage, fleet, consent, _statements]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ["dispatcher", "zto_clerk", "point_operator"])
def test_only_analysts_and_admins_read_figures(
    request: pytest.FixtureRequest, session: Session, october: StatsQuery, service, role
):
    """Everyone else is refused before anything is read."""
    with pytest.raises(Forbidden):
        service(session, request.getfixturevalue(role), october)


@pytest.mark.parametrize("service", SERVICES)
def test_the_admin_reads_figures(
    session: Session, admin: User, october: StatsQuery, service
):
    """The admin holds every permission."""
    assert service(session, admin, october).period == october.period


def test_late_events_change_a_past_period(
    session: Session, admin: User, analyst: User, history: History, october: StatsQuery
):
    """A return, an outbound registration and a visit dated in October but
    recorded in November change October's figures; nothing is stored twice."""
    before = (
        service_level(session, analyst, october),
        volumes(session, analyst, october),
        cadence(session, analyst, october),
        _statements(session, analyst, october),
    )
    record_scan(session, admin, history.parcels["P5"], Status.RETURNED, at=oct_(31, 23))
    late = Builder(session, admin)
    late.number = 50
    late.register("YTO", SHANGZHUANG, oct_(15, 10), outbound=True)
    session.add(
        PointVisit(
            service_point_id=history.points[SHANGZHUANG].id,
            visited_on=dt.date(2026, 10, 20),
        )
    )
    session.flush()
    service = service_level(session, analyst, october)
    assert service.returns.total == before[0].returns.total + 1 == 3
    assert service.overdue == before[0].overdue - 1 == 2
    assert (
        volumes(session, analyst, october).outbound.total
        == before[1].outbound.total + 1
    )
    points = {p.point: p for p in cadence(session, analyst, october).points}
    assert points[SHANGZHUANG].visits == 1
    assert [b.due for b in points[SHANGZHUANG].breaches] == [
        oct_(2).date(),
        oct_(22).date(),
    ]
    assert len(before[2].breaches) == 6
    lines = {s.courier: s for s in _statements(session, analyst, october).couriers}
    old = {s.courier: s for s in before[3].couriers}
    assert lines["YTO"].returned == old["YTO"].returned + 1
