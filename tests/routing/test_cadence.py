"""Tests for countyhub.routing.cadence: the two-day rule, as pure functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countyhub.routing.cadence import (
    Gap,
    PointState,
    Reason,
    check_visits,
    deadline,
    required_today,
    visit_value,
)

DAY = timedelta(days=1)
START = date(2024, 3, 1)
DAYS = 60

cadences = st.integers(min_value=1, max_value=4)
waits = st.integers(min_value=1, max_value=3)
demands = st.lists(st.integers(0, 3), min_size=DAYS, max_size=DAYS)
dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31))


def simulate(
    cadence: int,
    max_wait: int,
    demand: list[int],
    history: int | None,
    extra: list[bool],
) -> tuple[list[date], list[int], PointState]:
    """Run the rule day by day; return visits, parcel delays and the final state."""
    last = None if history is None else START - history * DAY
    state = PointState(1, cadence_days=cadence, last_visit=last)
    visits = [] if last is None else [last]
    delays: list[int] = []
    for offset, parcels in enumerate(demand):
        today = START + offset * DAY
        state = replace(state, arrivals=state.arrivals + (today,) * parcels)
        required = required_today(state, today, max_wait_days=max_wait).required
        if required or extra[offset]:
            delays += [(today - arrival).days for arrival in state.arrivals]
            state = replace(state, last_visit=today, arrivals=())
            visits.append(today)
    return visits, delays, state


@settings(max_examples=150, deadline=None)
@given(cadences, waits, demands, st.none() | st.integers(1, 4))
def test_visiting_exactly_when_required_keeps_cadence_and_parcel_promise(
    cadence: int, max_wait: int, demand: list[int], history: int | None
) -> None:
    """Visiting on required days only keeps every gap and every parcel deadline."""
    history = None if history is None else min(history, cadence)
    visits, delays, final = simulate(cadence, max_wait, demand, history, [False] * DAYS)
    end = START + (DAYS - 1) * DAY
    assert check_visits(cadence, visits, START, end) == []
    assert all(delay <= max_wait for delay in delays)
    assert all((end - arrival).days < max_wait for arrival in final.arrivals)


@settings(max_examples=100, deadline=None)
@given(
    cadences,
    waits,
    demands,
    st.lists(st.booleans(), min_size=DAYS, max_size=DAYS),
)
def test_extra_optional_visits_never_break_the_rule(
    cadence: int, max_wait: int, demand: list[int], extra: list[bool]
) -> None:
    """Adding optional visits to the required ones still keeps both rules."""
    visits, delays, _ = simulate(cadence, max_wait, demand, None, extra)
    assert check_visits(cadence, visits, START, START + (DAYS - 1) * DAY) == []
    assert all(delay <= max_wait for delay in delays)


@settings(max_examples=200, deadline=None)
@given(
    cadences,
    waits,
    dates,
    st.none() | st.integers(0, 8),
    st.lists(st.integers(0, 6), max_size=5),
    st.booleans(),
)
def test_required_exactly_when_the_deadline_is_today_or_past(
    cadence: int,
    max_wait: int,
    today: date,
    since: int | None,
    ages: list[int],
    active: bool,
) -> None:
    """Required iff never visited (active) or the deadline is not after today."""
    last = None if since is None else today - since * DAY
    arrivals = tuple(today - age * DAY for age in ages)
    state = PointState(7, cadence, last, arrivals, active=active)
    answer = required_today(state, today, max_wait_days=max_wait)
    due = deadline(state, max_wait_days=max_wait)
    assert answer.deadline == due
    never = active and last is None
    assert answer.required == (never or (due is not None and due <= today))
    assert (Reason.NEVER_VISITED in answer.reasons) == never


def test_visited_yesterday_with_default_cadence_and_no_parcels_may_wait() -> None:
    """Cadence 2, visited yesterday, nothing waiting: optional, due tomorrow."""
    today = date(2024, 5, 10)
    answer = required_today(PointState(1, last_visit=today - DAY), today)
    assert not answer.required
    assert answer.reason is Reason.MAY_WAIT
    assert answer.deadline == today + DAY


def test_not_visited_yesterday_with_default_cadence_is_required() -> None:
    """Cadence 2, last visit two days ago: required today for the cadence."""
    today = date(2024, 5, 10)
    answer = required_today(PointState(1, last_visit=today - 2 * DAY), today)
    assert answer.required
    assert answer.reasons == (Reason.CADENCE,)


def test_never_visited_point_is_required() -> None:
    """An active point with no visit on record is required at once."""
    answer = required_today(PointState(1), date(2024, 5, 10))
    assert answer.required
    assert answer.reason is Reason.NEVER_VISITED


def test_parcel_two_days_old_makes_a_twice_weekly_point_required() -> None:
    """A parcel that arrived two days ago forces a visit despite a 4-day cadence."""
    today = date(2024, 5, 10)
    state = PointState(1, 4, today - DAY, (today - 2 * DAY,))
    assert required_today(state, today).reasons == (Reason.PARCEL,)
    assert not required_today(replace(state, arrivals=(today - DAY,)), today).required


def test_inactive_point_is_optional_unless_a_parcel_is_due() -> None:
    """Inactive points skip the cadence, never their parcels' deadlines."""
    today = date(2024, 5, 10)
    idle = PointState(1, last_visit=today - 9 * DAY, active=False)
    assert required_today(idle, today).reason is Reason.INACTIVE
    assert deadline(idle) is None
    late = replace(idle, arrivals=(today - 2 * DAY,))
    assert required_today(late, today).reasons == (Reason.PARCEL,)


def test_dates_after_today_and_bad_settings_are_rejected() -> None:
    """A future visit or arrival, a cadence or wait below 1, are errors."""
    today = date(2024, 5, 10)
    with pytest.raises(ValueError, match="after"):
        required_today(PointState(1, last_visit=today + DAY), today)
    with pytest.raises(ValueError, match="after"):
        visit_value(PointState(1, arrivals=(today + DAY,)), today)
    with pytest.raises(ValueError, match="cadence"):
        PointState(1, cadence_days=0)
    with pytest.raises(ValueError, match="max_wait_days"):
        deadline(PointState(1), max_wait_days=0)
    with pytest.raises(ValueError, match="before it starts"):
        check_visits(2, [], today, today - DAY)


@settings(max_examples=200, deadline=None)
@given(
    cadences,
    st.sets(st.integers(-5, 40), max_size=25),
    st.integers(0, 35),
)
def test_check_visits_finds_exactly_the_gaps_longer_than_the_cadence(
    cadence: int, offsets: set[int], length: int
) -> None:
    """Gaps are the visitless runs whose visits either side are over cadence apart."""
    end = START + length * DAY
    visits = [START + offset * DAY for offset in offsets]
    gaps = check_visits(cadence, visits, START, end)
    visited = set(visits)
    history = [day for day in visits if day < START]
    opening = max(history, default=START - DAY)
    # Oracle: each day whose preceding `cadence` days back to the opening
    # visit hold no visit ends a window that broke the rule.
    broken = {
        START + i * DAY
        for i in range(length + 1)
        if (START + i * DAY - opening).days >= cadence
        and not any(START + i * DAY - k * DAY in visited for k in range(cadence))
    }
    covered = {
        gap.start + (cadence - 1 + k) * DAY
        for gap in gaps
        for k in range(gap.days - cadence + 1)
    } - {START - k * DAY for k in range(1, 7)}
    assert covered == broken
    for gap in gaps:
        assert gap.days >= cadence and gap.end >= START
        assert not any(gap.start <= day <= gap.end for day in visited)
        assert gap.start - DAY in visited or gap.start - DAY == opening
        assert gap.end + DAY in visited or gap.end == end
    assert gaps == sorted(gaps, key=lambda gap: gap.start)


def test_check_visits_names_the_missed_days() -> None:
    """Visits on the 1st and the 5th with cadence 2 leave a 3-day gap, 2nd to 4th."""
    day = date(2024, 5, 1)
    visits = [day, day + 4 * DAY, day + 6 * DAY]
    assert check_visits(2, visits, day, day + 7 * DAY) == [
        Gap(day + DAY, day + 3 * DAY)
    ]
    assert check_visits(2, visits, day, day + 9 * DAY)[-1] == Gap(
        day + 7 * DAY, day + 9 * DAY
    )


@settings(max_examples=200, deadline=None)
@given(
    cadences,
    dates,
    st.none() | st.integers(0, 6),
    st.lists(st.integers(0, 4), max_size=6),
    st.integers(0, 4),
    st.booleans(),
)
def test_value_is_monotone_in_waiting_parcels(
    cadence: int,
    today: date,
    since: int | None,
    ages: list[int],
    new_age: int,
    outbound: bool,
) -> None:
    """Adding a waiting parcel or outbound parcels never lowers the value."""
    last = None if since is None else today - since * DAY
    arrivals = tuple(today - age * DAY for age in ages)
    state = PointState(3, cadence, last, arrivals, outbound)
    value = visit_value(state, today)
    more = replace(state, arrivals=(*arrivals, today - new_age * DAY))
    assert visit_value(more, today) >= value + 1_000
    assert visit_value(replace(state, outbound_waiting=True), today) >= value
    assert value >= 0


def test_value_grows_as_the_deadline_nears() -> None:
    """A twice-weekly point is worth more the closer its cadence limit."""
    today = date(2024, 5, 10)
    values = [
        visit_value(PointState(1, 4, today - since * DAY), today) for since in range(4)
    ]
    assert values == sorted(values) and values[0] < values[-1]
    assert visit_value(PointState(1, 4, today - 3 * DAY), today) == 4_000
    with pytest.raises(ValueError, match="negative"):
        visit_value(PointState(1), today, per_parcel=-1)
