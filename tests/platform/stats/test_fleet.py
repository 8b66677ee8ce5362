"""Fleet: runs, vehicles and km of the plans that went out."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.models import Plan, User
from countyhub.platform.plans.results import record_run_km
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
        runs_recorded=0,
        parcels_planned=5,
        parcels_per_km=5 / 65.0,
        parcels_per_km_recorded=None,
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
    assert (figures.km_recorded, figures.km_recorded_reason) == (None, NOT_RECORDED)
    assert figures.parcels_per_km_recorded is None


def _drove(session: Session, dispatcher: User, *runs: tuple[int, str, float]) -> None:
    """Record the km of October's runs: (day of October, vehicle, km)."""
    for day, vehicle, km in runs:
        record_run_km(session, dispatcher, dt.date(2026, 10, day), vehicle, km)


def _ignored_runs_drove(session: Session) -> None:
    """The draft of the 5th and November's run get km that must not count."""
    for day in (dt.date(2026, 10, 5), dt.date(2026, 11, 1)):
        plan = session.scalar(select(Plan).where(Plan.day == day))
        plan.runs[0].km_recorded = 500.0
    session.flush()


def test_some_runs_recorded(
    session: Session, analyst: User, dispatcher: User, october: StatsQuery
):
    """VAN-1 drove 31.5 km on the 2nd and 26.25 on the 4th, TRI-1's km are not
    recorded: 57.75 km for 2 of 3 runs, their 4 parcels per 57.75 km."""
    _drove(session, dispatcher, (2, "VAN-1", 31.5), (4, "VAN-1", 26.25))
    _ignored_runs_drove(session)
    figures = fleet(session, analyst, october)
    assert (figures.km_recorded, figures.runs_recorded) == (57.75, 2)
    assert figures.km_recorded_reason == "recorded for 2 of 3 runs"
    assert figures.parcels_per_km_recorded == 4 / 57.75
    assert (figures.km_planned, figures.parcels_per_km) == (65.0, 5 / 65.0)


def test_every_run_recorded(
    session: Session, analyst: User, dispatcher: User, october: StatsQuery
):
    """With TRI-1's 9.5 km too: 67.25 km, no reason, 5 parcels per 67.25 km."""
    _drove(
        session, dispatcher, (2, "VAN-1", 31.5), (4, "VAN-1", 26.25), (2, "TRI-1", 9.5)
    )
    figures = fleet(session, analyst, october)
    assert (figures.km_recorded, figures.runs_recorded) == (67.25, 3)
    assert figures.km_recorded_reason is None
    assert figures.parcels_per_km_recorded == 5 / 67.25


def test_a_township_counts_the_recorded_runs_that_stop_there(
    session: Session, analyst: User, dispatcher: User, history: History
):
    """大塅镇: only TRI-1 (永宁镇) recorded gives none there; both VAN-1 runs, all."""
    query = stats_query(session, month="2026-10", township=DADUAN, now=NOW)
    _drove(session, dispatcher, (2, "TRI-1", 9.5))
    assert fleet(session, analyst, query).km_recorded_reason == NOT_RECORDED
    _drove(session, dispatcher, (2, "VAN-1", 31.5), (4, "VAN-1", 26.25))
    figures = fleet(session, analyst, query)
    assert (figures.km_recorded, figures.runs_recorded) == (57.75, 2)
    assert figures.km_recorded_reason is None
    assert figures.parcels_per_km_recorded == 4 / 57.75
