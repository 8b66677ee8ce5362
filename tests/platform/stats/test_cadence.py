"""Cadence: gaps between visits, visits per week, and where the rule broke."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from countyhub.platform.models import User
from countyhub.platform.stats.cadence import Breach, Gap, cadence
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.volumes import volumes
from tests.platform.stats.conftest import (
    HUCUN,
    NOW,
    SHANGZHUANG,
    XIHU,
    YONGNING,
    History,
)

D = dt.date


def oct_(day: int) -> dt.date:
    return D(2026, 10, day)


def test_gaps_of_each_point(session: Session, analyst: User, october: StatsQuery):
    """Gaps count days between visits; the first may start before the month."""
    points = {p.point: p for p in cadence(session, analyst, october).points}
    assert sorted(points) == sorted([HUCUN, XIHU, SHANGZHUANG])
    hucun, xihu, shangzhuang = points[HUCUN], points[XIHU], points[SHANGZHUANG]
    assert hucun.gaps == (
        Gap(D(2026, 9, 30), oct_(1), 1),
        Gap(oct_(1), oct_(2), 1),
        Gap(oct_(2), oct_(4), 2),
        Gap(oct_(4), oct_(8), 4),
    )
    assert hucun.longest_gap_days == 24  # open since 10-08: at least to 11-01
    assert (hucun.visits, hucun.visits_per_week) == (4, 4 * 7 / 31)
    assert [g.days for g in xihu.gaps] == [3, 4, 18, 2]
    assert xihu.longest_gap_days == 18
    assert (xihu.visits, xihu.cadence_days) == (5, 3)
    assert shangzhuang.gaps == ()
    assert shangzhuang.longest_gap_days is None
    assert shangzhuang.visits_per_week == 0


def test_breaches_of_the_rule(session: Session, analyst: User, october: StatsQuery):
    """Every run of days without the due visit, with the day the visit was due."""
    figures = cadence(session, analyst, october)
    assert figures.observed_until == oct_(31)
    found = [
        (b.point, b.cadence_days, b.last_visit, b.next_visit, b.due, b.days_without)
        for b in figures.breaches
    ]
    assert found == [
        (SHANGZHUANG, 2, None, None, oct_(2), 31),
        (XIHU, 3, None, oct_(4), oct_(3), 3),
        (HUCUN, 2, oct_(4), oct_(8), oct_(6), 3),
        (XIHU, 3, oct_(7), oct_(11), oct_(10), 3),
        (HUCUN, 2, oct_(8), None, oct_(10), 23),
        (XIHU, 3, oct_(11), oct_(29), oct_(14), 17),
    ]
    assert all(isinstance(b, Breach) for b in figures.breaches)
    assert figures.visits_per_week_mean == (4 + 5 + 0) * 7 / 31 / 3
    assert figures.visits_per_week_min == 0


def test_today_is_not_judged_before_it_ends(
    session: Session, analyst: User, history: History
):
    """On 10 October, HUCUN's visit due that day is not missed yet; the month so
    far counts ten days for visits per week."""
    now = dt.datetime(2026, 10, 10, 9, tzinfo=NOW.tzinfo)
    query = stats_query(session, month="2026-10", township=None, now=now)
    figures = cadence(session, analyst, query)
    assert figures.observed_until == oct_(9)
    hucun = next(p for p in figures.points if p.point == HUCUN)
    assert [b.due for b in hucun.breaches] == [oct_(6)]
    assert hucun.visits_per_week == 4 * 7 / 10


def test_a_township_keeps_its_points(session: Session, analyst: User, history: History):
    """永宁镇 has one active point, 西湖, shown with the township's name."""
    query = stats_query(session, month="2026-10", township=YONGNING, now=NOW)
    figures = cadence(session, analyst, query)
    assert [p.point for p in figures.points] == [XIHU]
    assert [p.township_name for p in figures.points] == ["永宁镇"]
    assert {b.point for b in figures.breaches} == {XIHU}
    assert volumes(session, analyst, query).inbound.total == 3
