"""Gap of the cycle planner to the best-known costs of Cordeau's PVRP instances.

    python -m bench.pvrp PATH [--seconds 60] [--seed 1]

PATH is one instance file (``pNN.txt`` / ``prNN.txt``, Cordeau, Gendreau &
Laporte 1997 format: ``type m n t``, then ``t`` lines ``D Q``, then one line
``i x y d q f a combos...`` per location, the depot first) or a folder whose
``p*.txt`` files are all solved, in name order. Visit-day combinations are
bit-coded integers: day 1 is the leftmost of ``t`` binary digits. Distances are
unrounded Euclidean, ``d`` is a service time counted in the route duration
``D`` (0 = no limit). The best-known cost (BKS) is the first line of the
``.res`` file beside the instance; gap = (cost - BKS) / BKS.

Each result is checked here, independently of the planner: every client is
visited on exactly the days of one of its allowed combinations, once a day, at
most ``m`` routes a day, and capacity and duration hold on every route, with
distances recomputed from the coordinates. Prints one line per instance and
the mean gap.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from bench._gaps import run_instances
from countyhub.routing.periodic import (
    CycleSolution,
    PeriodicClient,
    PeriodicProblem,
    plan_cycle,
)

HEADER = (
    f"{'instance':<10}{'clients':>8}{'days':>6}{'cost':>10}{'BKS':>10}"
    f"{'gap %':>8}{'time s':>8}  feasible"
)


def decode_combination(code: int, days: int) -> frozenset[int]:
    """Days (0-based) of a bit-coded combination: day 0 is the leftmost bit."""
    bits = format(code, f"0{days}b")
    if len(bits) != days:
        raise ValueError(f"combination {code} has more than {days} days")
    return frozenset(d for d, bit in enumerate(bits) if bit == "1")


def read_problem(path: Path) -> PeriodicProblem:
    """Read one Cordeau PVRP instance (type 1) into a periodic problem."""
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    kind, m, n, t = (int(v) for v in rows[0])
    if kind != 1:
        raise SystemExit(f"{path.name}: type {kind} is not a PVRP instance")
    limits = {(float(r[0]), int(r[1])) for r in rows[1 : 1 + t]}
    if len(limits) != 1:
        raise SystemExit(f"{path.name}: days with different D or Q are not read")
    (duration, capacity) = limits.pop()
    depot, *lines = rows[1 + t : 2 + t + n]
    clients = [
        PeriodicClient(
            x=float(r[1]),
            y=float(r[2]),
            service_duration=float(r[3]),
            demand=int(r[4]),
            combinations=tuple(
                decode_combination(int(code), t) for code in r[7 : 7 + int(r[6])]
            ),
            name=r[0],
        )
        for r in lines
    ]
    return PeriodicProblem(
        days=t,
        clients=clients,
        vehicles=m,
        capacity=capacity,
        max_duration=duration or None,
        depot=(float(depot[1]), float(depot[2])),
    )


def best_known(path: Path) -> float:
    """Return the cost on the first line of the ``.res`` file beside it."""
    return float(path.with_suffix(".res").read_text().split()[0])


def check(problem: PeriodicProblem, solution: CycleSolution) -> tuple[float, bool]:
    """Recompute the cost and check every constraint; return (cost, ok)."""
    points = [problem.depot, *((c.x, c.y) for c in problem.clients)]
    visits: list[set[int]] = [set() for _ in problem.clients]
    cost, ok = 0.0, len(solution.days) == problem.days
    for plan in solution.days:
        ok &= len(plan.routes) <= problem.vehicles
        for route in plan.routes:
            nodes = [0, *(c + 1 for c in route), 0]
            length = sum(
                math.dist(points[a], points[b]) for a, b in itertools.pairwise(nodes)
            )
            service = sum(problem.clients[c].service_duration for c in route)
            cost += length
            ok &= sum(problem.clients[c].demand for c in route) <= problem.capacity
            limit = problem.max_duration
            ok &= limit is None or length + service <= limit + 1e-6
            ok &= len(set(route)) == len(route)
            for c in route:
                ok &= plan.day not in visits[c]
                visits[c].add(plan.day)
    ok &= all(
        frozenset(days) in client.combinations
        for days, client in zip(visits, problem.clients, strict=True)
    )
    return cost, bool(ok)


def run(path: Path, seconds: float, seed: int) -> float:
    """Plan one instance, print its line and return its gap in percent."""
    problem = read_problem(path)
    solution = plan_cycle(problem, seconds=seconds, seed=seed)
    cost, ok = check(problem, solution)
    ok &= abs(cost - solution.cost) < 1e-3 and solution.feasible
    bks = best_known(path)
    gap = 100 * (cost - bks) / bks
    print(
        f"{path.stem:<10}{len(problem.clients):>8}{problem.days:>6}{cost:>10.2f}"
        f"{bks:>10.2f}{gap:>8.2f}{solution.runtime:>8.1f}  {'yes' if ok else 'NO'}",
        flush=True,
    )
    return gap


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, plan every instance and print the mean gap."""
    run_instances("python -m bench.pvrp", __doc__, "p*.txt", HEADER, 60.0, run, argv)


if __name__ == "__main__":
    main()
