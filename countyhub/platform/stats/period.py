"""What a figure is asked for: a period of local days and, optionally, a township.

A period is a run of whole local days in Asia/Shanghai, both ends included: a
calendar month (``2026-10``) or ``from``/``to`` dates.  :func:`stats_query` checks
what a caller sends (the API's query string, the CLI's options) and raises
InvalidInput naming the field: a malformed month, a month or a start in the
future, a start after the end, a period before 2000 or longer than
:data:`MAX_DAYS`, an unknown township.  Without a month or dates the period is
the current month so far.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ, utcnow
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import Township

MAX_DAYS = 366  # a year, leap or not: the longest period a figure answers for
EARLIEST = dt.date(2000, 1, 1)  # as for every time the API takes in
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = dt.timedelta(days=1)
_CODE_LENGTH = 12  # Township.code's column


@dataclass(frozen=True)
class Period:
    """Local days ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        """Every day of the period, in order."""
        return [self.start + dt.timedelta(days=n) for n in range(self.days)]

    def utc_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as UTC instants: from the first day's local midnight
        (included) to the midnight after the last day (excluded)."""
        first = dt.datetime.combine(self.start, dt.time(), LOCAL_TZ)
        after = dt.datetime.combine(self.end + _DAY, dt.time(), LOCAL_TZ)
        return first.astimezone(dt.UTC), after.astimezone(dt.UTC)


@dataclass(frozen=True)
class TownshipRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class StatsQuery:
    """A period, an optional township and the moment the figures are taken at
    (``now``: what "today" and "still waiting" mean)."""

    period: Period
    township: TownshipRef | None
    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(LOCAL_TZ).date()


def stats_query(
    session: Session,
    *,
    month: str | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    township: str | None = None,
    now: dt.datetime | None = None,
) -> StatsQuery:
    """The checked query.  Raises InvalidInput naming the field at fault."""
    now = now or utcnow()
    today = now.astimezone(LOCAL_TZ).date()
    if month is not None and (start is not None or end is not None):
        raise InvalidInput(
            "give either a month or from/to dates, not both",
            {"month": "not with from/to"},
        )
    if month is not None:
        period = month_period(month, today)
    elif start is not None or end is not None:
        period = dates_period(start, end, today)
    else:
        period = Period(today.replace(day=1), today)
    return StatsQuery(period, _township(session, township), now)


def month_period(text: str, today: dt.date) -> Period:
    """The month ``YYYY-MM``; InvalidInput ("month") if malformed or to come."""
    found = _MONTH.fullmatch(text.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise InvalidInput(
            f"month {text!r} is not a month: write it as YYYY-MM, e.g. 2026-10",
            {"month": "not YYYY-MM"},
        )
    year, number = int(found[1]), int(found[2])
    if year < EARLIEST.year:  # checked first: year 0 is no date at all
        _check_not_before_2000("month", dt.date.min)
    first = dt.date(year, number, 1)
    if first > today:
        raise InvalidInput(
            f"month {text} has not begun yet (today is {today})",
            {"month": "in the future"},
        )
    after = (first + dt.timedelta(days=31)).replace(day=1)
    return Period(first, after - _DAY)


def dates_period(
    start: dt.date | str | None, end: dt.date | str | None, today: dt.date
) -> Period:
    """``from`` to ``to``, both needed; InvalidInput naming the field at fault."""
    first, last = _date("from", start), _date("to", end)
    if first > last:
        raise InvalidInput(
            f"the period starts ({first}) after it ends ({last})",
            {"from": "after to"},
        )
    if first > today:
        raise InvalidInput(
            f"the period starts on {first}, after today ({today})",
            {"from": "in the future"},
        )
    _check_not_before_2000("from", first)
    period = Period(first, last)
    if period.days > MAX_DAYS:
        raise InvalidInput(
            f"the period is {period.days} days long; at most {MAX_DAYS}",
            {"to": f"more than {MAX_DAYS} days after from"},
        )
    return period


def _date(field: str, value: dt.date | str | None) -> dt.date:
    if value is None:
        raise InvalidInput(
            f"give both from and to ({field} is missing)", {field: "missing"}
        )
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"{field} {value!r} is not a date: write it as YYYY-MM-DD",
            {field: "not YYYY-MM-DD"},
        ) from None


def _check_not_before_2000(field: str, first: dt.date) -> None:
    if first < EARLIEST:
        raise InvalidInput(
            f"the period starts before {EARLIEST}: the platform holds nothing that old",
            {field: f"before {EARLIEST}"},
        )


def _township(session: Session, code: str | None) -> TownshipRef | None:
    if code is None:
        return None
    code = code.strip()
    # a code is short and printable (a NUL never reaches PostgreSQL)
    row = None
    if len(code) <= _CODE_LENGTH and code.isprintable():
        query = select(Township.id, Township.code, Township.name)
        row = session.execute(query.where(Township.code == code)).first()
    if row is None:
        raise InvalidInput(
            f"no township {code[:20]!r} in the county's gazetteer "
            "(`countyhub county` lists the places)",
            {"township": "unknown"},
        )
    return TownshipRef(*row)
