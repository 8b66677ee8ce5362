"""Tests for countyhub.routing.vrp.problem: what a routing problem accepts."""

from __future__ import annotations

import pytest

from countyhub.routing import Client, Problem, VehicleType


def test_an_inconsistent_problem_is_refused() -> None:
    """A wrong matrix shape, extra amount dimensions or no fleet raise ValueError."""
    fleet = [VehicleType(capacity=(5,))]
    with pytest.raises(ValueError, match="2×2"):
        Problem([Client()], fleet, distances=[[0]])
    with pytest.raises(ValueError, match="dimensions"):
        Problem([Client(delivery=(1, 2))], fleet)
    with pytest.raises(ValueError, match="vehicle type"):
        Problem([Client()], [])
