"""Fleet: runs, vehicles and km of the plans that went out."""

from __future__ import annotations

from sqlalchemy.orm import Session

from countyhub.platform.models import User
from countyhub.platform.stats.fleet import NOT_RECORDED, Fleet, fleet
from countyhub.platform.stats.period import StatsQuery, stats_query
from tests.platform.stats.conftest import DADUAN, NOW, History


def test_published_and_done_plans(session: Session, analyst: User, october: StatsQuery):
    """Three runs on 2 and 4 October; the draft of the 5th and November's do not
    count; km recorded are not invented."""
    assert fleet(session, analyst, october) == Fleet(
        period=october.period,
        township=None,
        runs=3,
        vehicles=2,
        km_planned=65.0,
        km_recorded=None,
        km_recorded_reason=NOT_RECORDED,
        parcels_planned=5,
        parcels_per_km=5 / 65.0,
    )


def test_a_township_counts_the_runs_that_stop_there(
    session: Session, analyst: User, history: History
):
    """大塅镇 (浒村): VAN-1 on the 2nd (30 km, P1 P2) and the 4th (25 km, O1 O2)."""
    query = stats_query(session, month="2026-10", township=DADUAN, now=NOW)
    figures = fleet(session, analyst, query)
    assert (figures.runs, figures.vehicles, figures.km_planned) == (2, 1, 55.0)
    assert figures.parcels_planned == 4


def test_no_runs(session: Session, analyst: User, history: History):
    """A period without plans has no parcels per km, not a division by zero."""
    query = stats_query(session, month="2026-09", now=NOW)
    figures = fleet(session, analyst, query)
    assert (figures.runs, figures.km_planned, figures.parcels_per_km) == (0, 0, None)
