"""Service level: the 48-hour promise, dwell at the point, returns, overdue parcels."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.models import User
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.service import Returns, Waiting, service_level
from tests.platform.stats.conftest import DADUAN, NOW, History


def test_within_48_hours_of_reception(
    session: Session, analyst: User, october: StatsQuery
):
    """P1 (32 h), P7 (48 h exactly) and P11 (27 h) of nine received were in time."""
    figures = service_level(session, analyst, october)
    assert (figures.received, figures.due, figures.within_48h) == (9, 9, 3)
    assert figures.share_within_48h == 3 / 9


def test_dwell_at_the_point(session: Session, analyst: User, october: StatsQuery):
    """Six hand-overs; dwell 1, 2, 3, 9, 24 and 48 hours: median 6 h, p90 36 h."""
    figures = service_level(session, analyst, october)
    assert figures.handed_over == 6
    assert figures.dwell_median_s == 6 * 3600.0  # (3 h + 9 h) / 2
    assert figures.dwell_p90_s == 36 * 3600.0  # 24 h + 0.5 × (48 h − 24 h)


def test_returns_problems_and_overdue(
    session: Session, analyst: User, october: StatsQuery
):
    """P3 came back from the point, P4 from the centre; P6 was brought back once;
    P8 is unresolved; P5, P8 and P10 wait past their deadline on 10 November."""
    figures = service_level(session, analyst, october)
    assert figures.returns == Returns(total=2, from_point=1, from_centre=1)
    assert figures.brought_back == 1
    assert figures.unresolved == 1
    assert figures.overdue == 3
    assert figures.overdue_by_status == (Waiting("received", 2), Waiting("sorted", 1))


def test_a_parcel_not_yet_late_is_not_due(
    session: Session, analyst: User, history: History
):
    """On 1 November 12:00, P5 (received 31 October 20:00) is not due yet."""
    now = dt.datetime(2026, 11, 1, 12, tzinfo=NOW.tzinfo)
    query = stats_query(session, month="2026-10", now=now)
    figures = service_level(session, analyst, query)
    assert (figures.received, figures.due, figures.within_48h) == (9, 8, 3)
    assert figures.overdue == 1  # P8 only: P10 was received 12 hours ago


def test_the_median_of_an_odd_count_is_its_middle(
    session: Session, analyst: User, history: History
):
    """From 1 to 2 October: P9 (2 h) and P1 (9 h); then to the 4th: P2 (48 h) too."""
    two = stats_query(session, start="2026-10-01", end="2026-10-02", now=NOW)
    figures = service_level(session, analyst, two)
    assert figures.dwell_median_s == 5.5 * 3600
    assert figures.dwell_p90_s == pytest.approx(8.3 * 3600)
    three = stats_query(session, start="2026-10-01", end="2026-10-04", now=NOW)
    figures = service_level(session, analyst, three)
    assert figures.dwell_median_s == 9 * 3600.0
    assert figures.dwell_p90_s == pytest.approx((9 + 0.8 * 39) * 3600)


def test_nothing_handed_over_has_no_dwell(
    session: Session, analyst: User, history: History
):
    """A period without hand-overs has no median and no share, not zero."""
    query = stats_query(session, start="2026-10-20", end="2026-10-25", now=NOW)
    figures = service_level(session, analyst, query)
    assert figures.handed_over == 0
    assert figures.dwell_median_s is None and figures.dwell_p90_s is None
    assert figures.received == 0 and figures.share_within_48h is None


def test_a_township(session: Session, analyst: User, history: History):
    """大塅镇: P1, P2, P5, P6 received; P1 in time; dwell of P9, P1, P6, P2."""
    query = stats_query(session, month="2026-10", township=DADUAN, now=NOW)
    figures = service_level(session, analyst, query)
    assert (figures.received, figures.due, figures.within_48h) == (4, 4, 1)
    assert figures.handed_over == 4
    assert figures.dwell_median_s == 5.5 * 3600  # 1 h, 2 h, 9 h, 48 h
    assert figures.returns == Returns(0, 0, 0)
    assert figures.overdue == 1  # P5


def test_one_hand_over_is_its_own_median_and_p90(
    session: Session, analyst: User, history: History
):
    """On 15 October only P11 was handed over, 3 hours after it arrived."""
    query = stats_query(session, start="2026-10-15", end="2026-10-15", now=NOW)
    figures = service_level(session, analyst, query)
    assert figures.handed_over == 1
    assert figures.dwell_median_s == figures.dwell_p90_s == 3 * 3600.0
