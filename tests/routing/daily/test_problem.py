"""Tests for countyhub.routing.daily.problem: the day's problems a plan refuses."""

from __future__ import annotations

import pytest

from countyhub.routing import DayPoint, DayProblem, plan_day
from tests.routing.daily.helpers import DAY, problem, van


def test_bad_problems_are_refused_naming_the_culprit() -> None:
    points = [DayPoint(0), DayPoint(1)]
    with pytest.raises(ValueError, match="unknown point 9"):
        plan_day(problem(points, pinned_visits=frozenset({9})), seconds=0.1)
    with pytest.raises(ValueError, match="unknown vehicle"):
        plan_day(problem(points, pinned_routes={"x": (0,)}), seconds=0.1)
    with pytest.raises(ValueError, match="pinned on two routes"):
        plan_day(problem(points, pinned_routes={"v1": (0,), "v2": (0,)}), seconds=0.1)
    with pytest.raises(ValueError, match="3×3"):
        plan_day(DayProblem(DAY, points, [van()], [[0]], [[0]]), seconds=0.1)
    with pytest.raises(ValueError, match="seconds"):
        plan_day(problem(points), seconds=0)
