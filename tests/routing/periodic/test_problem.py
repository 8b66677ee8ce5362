"""Tests for countyhub.routing.periodic.problem: a cycle to plan, as given or read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.pvrp import decode_combination, read_problem
from countyhub.routing import PeriodicClient, PeriodicProblem

PVRP = Path(__file__).resolve().parents[4] / "shared" / "bench" / "instances" / "pvrp"
DAY_A, DAY_B, BOTH = frozenset({0}), frozenset({1}), frozenset({0, 1})


def test_invalid_combinations_are_refused() -> None:
    """A combination naming a day outside the cycle is a clear error."""
    bad = PeriodicClient(combinations=(frozenset({2}),))
    with pytest.raises(ValueError, match=r"outside days 0\.\.1"):
        PeriodicProblem(days=2, clients=[bad], vehicles=1, capacity=1)


def test_decode_combination_reads_day_one_as_the_leftmost_bit() -> None:
    """Cordeau's codes: 2 of 2 days is day 1, 1 is day 2, 15 of 4 is all."""
    assert decode_combination(2, 2) == DAY_A
    assert decode_combination(1, 2) == DAY_B
    assert decode_combination(3, 2) == BOTH
    assert decode_combination(15, 4) == frozenset(range(4))
    assert decode_combination(10, 4) == frozenset({0, 2})


@pytest.mark.skipif(
    not (PVRP / "p01.txt").exists(), reason="../shared/bench/instances not beside repo"
)
def test_reader_decodes_p01() -> None:
    """p01: 51 clients over 2 days, 3 vans of 160; the depot twin only on day 1."""
    problem = read_problem(PVRP / "p01.txt")
    assert (problem.days, problem.vehicles, problem.capacity) == (2, 3, 160)
    assert len(problem.clients) == 51 and problem.max_duration is None
    assert set(problem.clients[0].combinations) == {DAY_A, DAY_B}
    assert problem.clients[0].demand == 7
    assert problem.clients[50].combinations == (DAY_A,)
    assert problem.clients[50].demand == 160
