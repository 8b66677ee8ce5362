"""The two-day rule: which service points must be visited today, and which may wait.

A village service point has a cadence of ``c`` days: two visits are never more
than ``c`` days apart, that is, it never goes ``c`` whole days without a visit
(1 = daily, 2 = every two days, the county default, 3 or 4 = twice a week). An
inbound parcel that reached the sorting centre by the cut-off of day ``A`` can go
out on day ``A``'s run and must reach its point by day ``A + max_wait_days``
(two by default). A point never visited is visited at once.

From a :class:`PointState` (what the visit log and the parcels say about one
point) :func:`required_today` tells whether today's plan must include the point
and why, :func:`deadline` gives the last day a visit keeps both rules,
:func:`visit_value` scores an optional visit for the solver's prize-collecting
choice, and :func:`check_visits` lists the gaps of a visit history that broke
the cadence, to prove a plan or a simulation kept it.

Dates are :class:`datetime.date`, days are whole calendar days. Pure: standard
library only; no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

__all__ = [
    "DEFAULT_CADENCE_DAYS",
    "MAX_WAIT_DAYS",
    "Gap",
    "PointState",
    "Reason",
    "Requirement",
    "check_visits",
    "deadline",
    "required_today",
    "visit_value",
]

DEFAULT_CADENCE_DAYS = 2
MAX_WAIT_DAYS = 2
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PointState:
    """What the planner knows of one service point on the morning of a day.

    Parameters
    ----------
    point_id
        The service point's identifier.
    cadence_days
        Longest allowed interval between two visits, in days; at least 1.
        Default 2 (the county's promise).
    last_visit
        Date of the latest visit, or None if the point was never visited.
        Default None.
    arrivals
        Arrival dates at the sorting centre (by the day's cut-off) of the
        inbound parcels waiting for this point, one per parcel. Default none.
    outbound_waiting
        Whether outbound parcels wait at the point to be collected.
        Default False.
    active
        Whether the point is in service. An inactive point is exempt from the
        cadence and from the first-visit rule, not from its parcels'
        deadlines. Default True.

    Raises
    ------
    ValueError
        If ``cadence_days`` is below 1.
    """

    point_id: int | str
    cadence_days: int = DEFAULT_CADENCE_DAYS
    last_visit: date | None = None
    arrivals: tuple[date, ...] = ()
    outbound_waiting: bool = False
    active: bool = True

    def __post_init__(self) -> None:
        _check_positive("cadence_days", self.cadence_days)


class Reason(StrEnum):
    """Why a point is (or is not) in today's plan."""

    NEVER_VISITED = "never_visited"  #: active and never visited: required
    CADENCE = "cadence"  #: without a visit today the interval exceeds the cadence
    PARCEL = "parcel"  #: a waiting parcel's deadline is today or has passed
    MAY_WAIT = "may_wait"  #: optional: every deadline is after today
    INACTIVE = "inactive"  #: optional: inactive and no parcel due today


@dataclass(frozen=True)
class Requirement:
    """The answer of :func:`required_today`.

    Attributes
    ----------
    required
        Whether today's plan must visit the point.
    reasons
        Every rule that requires the visit, in the order of :class:`Reason`;
        for an optional point, ``(Reason.MAY_WAIT,)`` or ``(Reason.INACTIVE,)``.
    deadline
        As :func:`deadline`: the last day a visit keeps both rules, or None.
    """

    required: bool
    reasons: tuple[Reason, ...]
    deadline: date | None

    @property
    def reason(self) -> Reason:
        """The first, most telling, of :attr:`reasons`."""
        return self.reasons[0]


@dataclass(frozen=True)
class Gap:
    """A run of whole days without a visit that broke the cadence.

    Attributes
    ----------
    start, end
        First and last day without a visit (inclusive). Between the visits
        either side, if any, lie ``days + 1`` days.
    """

    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of whole days without a visit."""
        return (self.end - self.start).days + 1


def deadline(state: PointState, *, max_wait_days: int = MAX_WAIT_DAYS) -> date | None:
    """The last day on which a visit keeps both the cadence and the parcel rule.

    Parameters
    ----------
    state
        The point.
    max_wait_days
        Days a parcel may wait after its arrival at the centre. Default 2.

    Returns
    -------
    date or None
        The earliest of ``last_visit + cadence_days`` (active points that were
        visited) and ``arrival + max_wait_days`` for every waiting parcel. It
        may lie in the past when a rule is already broken. None when nothing
        bounds the date: no parcel waits and the point is inactive or was
        never visited (the latter is required at once all the same).
    """
    _check_positive("max_wait_days", max_wait_days)
    limits = [arrival + timedelta(days=max_wait_days) for arrival in state.arrivals]
    if state.active and state.last_visit is not None:
        limits.append(state.last_visit + timedelta(days=state.cadence_days))
    return min(limits, default=None)


def required_today(
    state: PointState, today: date, *, max_wait_days: int = MAX_WAIT_DAYS
) -> Requirement:
    """Whether the point must be visited on ``today``, and why.

    A point is required when (a) it is active and was never visited, (b) it
    is active and ``today - last_visit >= cadence_days`` (tomorrow would be
    too late), or (c) a waiting parcel arrived ``max_wait_days`` or more days
    ago. Otherwise it may wait, and :func:`visit_value` prices a visit.

    Parameters
    ----------
    state
        The point, as known on the morning of ``today``.
    today
        The day being planned.
    max_wait_days
        Days a parcel may wait after its arrival at the centre. Default 2.

    Returns
    -------
    Requirement

    Raises
    ------
    ValueError
        If the last visit or a parcel's arrival lies after ``today``, or
        ``max_wait_days`` is below 1.
    """
    _check_not_after(state, today)
    due = deadline(state, max_wait_days=max_wait_days)
    reasons: list[Reason] = []
    last = state.last_visit
    if state.active and last is None:
        reasons.append(Reason.NEVER_VISITED)
    if state.active and last and (today - last).days >= state.cadence_days:
        reasons.append(Reason.CADENCE)
    wait = timedelta(days=max_wait_days)
    if any(arrival + wait <= today for arrival in state.arrivals):
        reasons.append(Reason.PARCEL)
    if reasons:
        return Requirement(True, tuple(reasons), due)
    idle = Reason.MAY_WAIT if state.active else Reason.INACTIVE
    return Requirement(False, (idle,), due)


def visit_value(
    state: PointState,
    today: date,
    *,
    per_parcel: int = 1_000,
    outbound: int = 3_000,
    urgency: int = 4_000,
    max_wait_days: int = MAX_WAIT_DAYS,
) -> int:
    """A prize for visiting the point today, in the solver's distance units.

    ``per_parcel * len(arrivals) + outbound * outbound_waiting +
    urgency // (1 + slack)``, where ``slack`` is the number of days between
    tomorrow and :func:`deadline` (0 when a visit would be due tomorrow, and
    also when the deadline is today or past); the last term is 0 when there
    is no deadline. The solver serves an optional point when its prize
    outweighs the detour, so the defaults read as metres: a waiting parcel is
    worth a 1 km detour, outbound parcels 3 km, a visit that would otherwise
    be due tomorrow 4 km. The value never decreases when a parcel is added,
    when outbound parcels appear, or when the deadline comes closer.

    Parameters
    ----------
    state
        The point, as known on the morning of ``today``.
    today
        The day being planned.
    per_parcel
        Value per waiting inbound parcel. Default 1000.
    outbound
        Value of collecting the outbound parcels, if any wait. Default 3000.
    urgency
        Value of a visit that would otherwise be due tomorrow; halved, then
        thirded …, for each day of slack. Default 4000.
    max_wait_days
        Days a parcel may wait after its arrival at the centre. Default 2.

    Returns
    -------
    int
        The prize, at least 0.

    Raises
    ------
    ValueError
        If a weight is negative, or as :func:`required_today`.
    """
    if min(per_parcel, outbound, urgency) < 0:
        raise ValueError("visit_value weights must not be negative")
    _check_not_after(state, today)
    value = per_parcel * len(state.arrivals) + outbound * state.outbound_waiting
    due = deadline(state, max_wait_days=max_wait_days)
    if due is not None:
        slack = max(0, (due - (today + _DAY)).days)
        value += urgency // (1 + slack)
    return value


def check_visits(
    cadence: int, visits: Iterable[date], start: date, end: date
) -> list[Gap]:
    """Every gap that broke the cadence between ``start`` and ``end``.

    Parameters
    ----------
    cadence
        Longest allowed interval between two visits, in days; at least 1.
    visits
        Visit dates, in any order, duplicates allowed. Visits before ``start``
        are history: the latest of them opens the first gap; without one the
        first gap opens on ``start``. Visits after ``end`` are ignored.
    start, end
        The period checked, both days included.

    Returns
    -------
    list of Gap
        In date order, each run of ``cadence`` or more whole days without a
        visit (two visits more than ``cadence`` days apart) that lasts into
        the period, so that the rule broke on a day of the period; a gap may
        start before ``start`` and may still be open on ``end``. Empty when
        every gap kept the rule.

    Raises
    ------
    ValueError
        If ``cadence`` is below 1 or ``end`` is before ``start``.
    """
    _check_positive("cadence", cadence)
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    days = sorted({day for day in visits if day <= end})
    history = [day for day in days if day < start]
    opening = history[-1] if history else start - _DAY
    stops = [opening, *(day for day in days if day >= start), end + _DAY]
    return [
        Gap(before + _DAY, after - _DAY)
        for before, after in pairwise(stops)
        if (after - before).days > cadence and after > start
    ]


def _check_positive(name: str, value: int) -> None:
    if value < 1:
        raise ValueError(f"{name} must be at least 1 day, got {value}")


def _check_not_after(state: PointState, today: date) -> None:
    if state.last_visit is not None and state.last_visit > today:
        raise ValueError(
            f"point {state.point_id}: last visit {state.last_visit} is after {today}"
        )
    if any(arrival > today for arrival in state.arrivals):
        raise ValueError(f"point {state.point_id}: a parcel arrives after {today}")
