"""Every figure has something to show for last month on the demo's history."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.models import User
from countyhub.platform.stats.cadence import cadence
from countyhub.platform.stats.consent import consent
from countyhub.platform.stats.coverage import coverage
from countyhub.platform.stats.fleet import fleet
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.service import service_level
from countyhub.platform.stats.statements import statements
from countyhub.platform.stats.volumes import volumes
from tests.platform.demo.conftest import NOW


def last_month(session: Session) -> tuple[User, StatsQuery]:
    analyst = session.scalar(select(User).where(User.username == "analyst"))
    return analyst, stats_query(session, month="2026-02", now=NOW)


def test_volumes_count_parcels_in_out_and_delivered(demo: Session):
    """Inbound, delivered and outbound (by category) all have parcels."""
    figures = volumes(demo, *last_month(demo))
    assert figures.inbound.total and figures.delivered.total
    assert figures.outbound.total and figures.outbound.by_category


def test_service_level_cadence_and_coverage_are_filled(demo: Session):
    """Hand-overs with a dwell time, visits per point, villages served."""
    actor, query = last_month(demo)
    service = service_level(demo, actor, query)
    assert service.received and service.handed_over and service.dwell_median_s
    visited = cadence(demo, actor, query)
    assert visited.points and any(p.visits for p in visited.points)
    assert coverage(demo, actor, query).villages.count


def test_fleet_consent_and_statements_are_filled(demo: Session):
    """Runs and km, consents on file, and the couriers' statements."""
    actor, query = last_month(demo)
    runs = fleet(demo, actor, query)
    assert runs.runs and runs.km_planned and runs.parcels_planned
    # every run's km recorded, within the demo's factor of the planned km
    assert runs.runs_recorded == runs.runs and runs.km_recorded_reason is None
    assert 0.96 * runs.km_planned <= runs.km_recorded <= 1.13 * runs.km_planned
    assert consent(demo, actor, query).with_consent
    priced = statements(demo, actor, query, fee=Decimal("0.80"))
    assert priced.parcels and priced.amount > 0
