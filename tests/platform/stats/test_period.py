"""Periods and filters: months, dates, townships, and bad input named by field."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import InvalidInput
from countyhub.platform.stats.period import Period, stats_query

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=LOCAL_TZ)
D = dt.date


def test_a_month(session: Session):
    """A month is its local days; its bounds are local midnights in UTC."""
    query = stats_query(session, month="2026-02", now=NOW)
    assert query.period == Period(D(2026, 2, 1), D(2026, 2, 28))
    first, after = query.period.utc_bounds()
    assert first == dt.datetime(2026, 1, 31, 16, tzinfo=dt.UTC)
    assert after == dt.datetime(2026, 2, 28, 16, tzinfo=dt.UTC)
    assert query.township is None and query.today == D(2026, 11, 10)


def test_dates_and_the_default(session: Session):
    """From/to as given (strings or dates); nothing given: this month so far."""
    query = stats_query(session, start="2026-10-30", end=D(2026, 11, 2), now=NOW)
    assert query.period == Period(D(2026, 10, 30), D(2026, 11, 2))
    assert query.period.days == 4
    assert stats_query(session, now=NOW).period == Period(D(2026, 11, 1), NOW.date())
    assert stats_query(session, month="2026-11", now=NOW).period.end == D(2026, 11, 30)


def test_a_township_by_code(session: Session):
    """A township is named by its code."""
    query = stats_query(session, township=" 360926105 ", now=NOW)
    assert (query.township.code, query.township.name) == ("360926105", "大塅镇")


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"month": "2026-13"}, "month", "YYYY-MM"),
        ({"month": "Oct 2026"}, "month", "YYYY-MM"),
        ({"month": "2026-12"}, "month", "has not begun"),
        ({"month": "1999-12"}, "month", "before 2000"),
        ({"month": "0000-01"}, "month", "before 2000"),
        ({"start": "0001-01-01", "end": "2026-01-01"}, "from", "before 2000"),
        ({"month": "2026-10", "start": "2026-10-01"}, "month", "either"),
        ({"start": "2026-10-05", "end": "2026-10-01"}, "from", "after it ends"),
        ({"start": "2026-11-11", "end": "2026-11-30"}, "from", "after today"),
        ({"start": "2026-10-01"}, "to", "missing"),
        ({"start": "2026-10-1x", "end": "2026-10-02"}, "from", "YYYY-MM-DD"),
        ({"start": "2025-01-01", "end": "2026-01-02"}, "to", "at most 366"),
        ({"township": "360926999"}, "township", "no township"),
        ({"township": "3609\x00"}, "township", "no township"),
        ({"township": "\ud800"}, "township", "no township"),
        ({"township": "3" * 40}, "township", "no township"),
    ],
)
def test_bad_input_names_the_field(
    session: Session, given: dict[str, str], field: str, message: str
):
    """Each bad query is refused with the field at fault and why."""
    with pytest.raises(InvalidInput, match=message) as caught:
        stats_query(session, now=NOW, **given)
    assert field in caught.value.problems
