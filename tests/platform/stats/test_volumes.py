"""Volumes by day, week, month, courier, place and category, from the events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from countyhub.platform.models import User
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.volumes import Count, SpanCount, volumes
from tests.platform.stats.conftest import (
    DADUAN,
    HUCUN,
    NOW,
    SHANGZHUANG,
    WENQUAN,
    XIHU,
    YONGNING,
    History,
)

D = dt.date


def counts(rows: tuple[Count, ...]) -> dict[str | None, int]:
    return {row.code: row.parcels for row in rows}


def test_inbound_received_at_the_centre(
    session: Session, analyst: User, october: StatsQuery
):
    """Inbound counts the receptions of the month, by local day, at the edges too."""
    flow = volumes(session, analyst, october).inbound
    assert flow.total == 9  # not P9 (09-30 23:30) nor P10 (11-01 00:00)
    assert len(flow.by_day) == 31
    days = {d.day: d.parcels for d in flow.by_day if d.parcels}
    assert days == {
        D(2026, 10, 1): 2,
        D(2026, 10, 3): 1,
        D(2026, 10, 5): 1,
        D(2026, 10, 6): 1,
        D(2026, 10, 9): 1,
        D(2026, 10, 10): 1,
        D(2026, 10, 14): 1,
        D(2026, 10, 31): 1,
    }
    assert counts(flow.by_courier) == {"ZTO": 7, "YTO": 2}
    assert counts(flow.by_village) == {HUCUN: 4, XIHU: 3, SHANGZHUANG: 1, None: 1}
    assert counts(flow.by_township) == {DADUAN: 4, YONGNING: 3, WENQUAN: 1, None: 1}
    assert counts(flow.by_point) == {HUCUN: 4, XIHU: 3, SHANGZHUANG: 1, None: 1}
    assert flow.by_village[-1].name == "地址未解析"
    assert flow.by_category == ()


def test_weeks_and_months_are_clipped_to_the_period(
    session: Session, analyst: User, october: StatsQuery
):
    """ISO weeks run Monday to Sunday; the first and last are cut at the month."""
    flow = volumes(session, analyst, october).inbound
    assert flow.by_week == (
        SpanCount("2026-W40", D(2026, 10, 1), D(2026, 10, 4), 3),
        SpanCount("2026-W41", D(2026, 10, 5), D(2026, 10, 11), 4),
        SpanCount("2026-W42", D(2026, 10, 12), D(2026, 10, 18), 1),
        SpanCount("2026-W43", D(2026, 10, 19), D(2026, 10, 25), 0),
        SpanCount("2026-W44", D(2026, 10, 26), D(2026, 10, 31), 1),
    )
    assert flow.by_month == (SpanCount("2026-10", D(2026, 10, 1), D(2026, 10, 31), 9),)


def test_delivered_and_outbound(session: Session, analyst: User, october: StatsQuery):
    """Hand-overs of the month; outbound registrations by product category."""
    figures = volumes(session, analyst, october)
    assert figures.delivered.total == 6  # P1 P2 P6 P7 P9 P11
    assert counts(figures.delivered.by_courier) == {"ZTO": 5, "YTO": 1}
    out = figures.outbound
    assert out.total == 3
    assert counts(out.by_category) == {"fruit": 2, None: 1}
    assert [c.name for c in out.by_category] == ["fruit", "未分类"]
    assert counts(out.by_courier) == {"ZTO": 2, "YTO": 1}
    assert counts(out.by_point) == {HUCUN: 2, XIHU: 1}
    assert counts(out.by_village) == {HUCUN: 2, XIHU: 1}
    assert counts(out.by_township) == {DADUAN: 2, YONGNING: 1}


def test_a_township_narrows_every_count(
    session: Session, analyst: User, history: History
):
    """Only the parcels of the township's villages count."""
    query = stats_query(session, month="2026-10", township=DADUAN, now=NOW)
    figures = volumes(session, analyst, query)
    assert figures.township == DADUAN
    assert figures.inbound.total == 4
    assert counts(figures.inbound.by_township) == {DADUAN: 4}
    assert figures.outbound.total == 2


def test_a_custom_period_spans_months(
    session: Session, analyst: User, history: History
):
    """From 30 September to 1 November: P9 and P10 now count, in their months."""
    query = stats_query(session, start="2026-09-30", end="2026-11-01", now=NOW)
    flow = volumes(session, analyst, query).inbound
    assert flow.total == 11
    assert [(m.label, m.parcels) for m in flow.by_month] == [
        ("2026-09", 1),
        ("2026-10", 9),
        ("2026-11", 1),
    ]
