"""The simulation behind :mod:`bench.cadence`: the county, its demand, the strategies.

A :class:`Strategy` is run day by day over the same :class:`Demand`; each day's
plan is recorded in the strategy's :class:`Ledger` (what waits, the visits, what
was measured).  The setting and the rules are described in the docstring of
:mod:`bench.cadence`, which parses the command line and prints the figures.
"""

from __future__ import annotations

import csv
import itertools
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from countyhub.platform.county.gazetteer import default_county_dir
from countyhub.platform.demo.make import FLEET
from countyhub.routing import (
    Cycle,
    DailyPlan,
    DayPoint,
    DayProblem,
    DayVehicle,
    PlannedRun,
    Shipment,
    VisitWeights,
    geodesic_matrices,
    plan_day,
)
from countyhub.routing.cadence import DEFAULT_CADENCE_DAYS

START = date(2026, 3, 2)
SHIFT_SECONDS = 8 * 3600  # the demo fleet's shifts
Parcels = tuple[Shipment, ...]


@dataclass(frozen=True)
class County:
    names: list[str]
    community: list[bool]
    distances: list[list[int]]
    durations: list[list[int]]
    method: str


@dataclass(frozen=True)
class Demand:
    rates: list[float]  # mean parcels a day per point, inbound and outbound
    days: list[list[tuple[Parcels, Parcels]]]  # per day and point: in, out


@dataclass(frozen=True)
class Strategy:
    name: str
    cadence: int
    cycle: Cycle | None
    weights: VisitWeights
    fixed: bool = False  # only the day's cycle points, pinned


@dataclass
class Ledger:
    """A strategy's state (what waits, the visits) and what it measured."""

    inbound: list[list[Shipment]]
    outbound: list[list[Shipment]]
    visits: list[list[date]]  # the warm-start visit first
    waits: list[int] = field(default_factory=list)
    collected: int = 0
    metres: int = 0
    stops: int = 0
    runtimes: list[float] = field(default_factory=list)
    infeasible: int = 0
    broken_runs: int = 0


def load_county() -> County:
    """The packaged county's service points and the seat, on geodesic matrices."""
    folder = default_county_dir()
    with open(folder / "county.csv", encoding="utf-8") as f:
        seat = next(csv.DictReader(f))
    with open(folder / "villages.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["service_point"] == "1"]
    centre = (float(seat["seat_lon"]), float(seat["seat_lat"]))
    places = [(float(r["lon"]), float(r["lat"])) for r in rows]
    found = geodesic_matrices([centre, *places])
    community = [r["kind"] == "community" for r in rows]
    names = [r["name"] for r in rows]
    return County(names, community, found.distance_m, found.duration_s, found.method)


def draw_demand(county: County, days: int, seed: int) -> Demand:
    """Rates drawn once per point, then each day's parcels (see the docstring)."""
    rng = np.random.default_rng(seed)
    community = np.array(county.community)
    median, sigma = np.where(community, 14.0, 6.0), np.where(community, 0.4, 0.5)
    inbound = rng.lognormal(np.log(median), sigma)
    outbound = rng.uniform(0.5, 1.0, len(community))
    ids = itertools.count()

    def parcels(rate: float, kg: tuple[float, float], arrival: date | None) -> Parcels:
        weights = rng.uniform(*kg, rng.poisson(rate)).round(1)
        return tuple(Shipment(next(ids), float(w), arrival) for w in weights)

    schedule = [
        [
            (parcels(a, (1, 3), START + timedelta(days=k)), parcels(b, (3, 10), None))
            for a, b in zip(inbound, outbound, strict=True)
        ]
        for k in range(days)
    ]
    return Demand((inbound + outbound).tolist(), schedule)


def fleet() -> list[DayVehicle]:
    """The demo fleet as the day's vehicles."""
    return [
        DayVehicle(code, parcels, kg, SHIFT_SECONDS, name)
        for code, name, _kind, parcels, kg in FLEET
    ]


def warm_start(strategy: Strategy, n: int) -> list[list[date]]:
    """The visit before day 0: the latest cycle day before it, else day −1."""
    cycle = strategy.cycle
    if cycle is None:
        return [[START - timedelta(days=1)] for _ in range(n)]
    back = [
        min(d for d in range(1, cycle.length + 1) if -d % cycle.length in cycle.days[i])
        for i in range(n)
    ]
    return [[START - timedelta(days=d)] for d in back]


def day_problem(
    strategy: Strategy,
    county: County,
    ledger: Ledger,
    k: int,
    vehicles: list[DayVehicle],
) -> DayProblem:
    """Day ``k`` as the strategy poses it, from the ledger's state."""
    cycle = strategy.cycle
    index = k % cycle.length if cycle else None
    days = cycle.days if cycle else {}
    n = len(county.names)
    chosen = [i for i in range(n) if not strategy.fixed or index in days[i]]
    rows = [0, *(i + 1 for i in chosen)]
    points = [
        DayPoint(
            i,
            strategy.cadence,
            ledger.visits[i][-1],
            inbound=tuple(ledger.inbound[i]),
            outbound=tuple(ledger.outbound[i]),
            cycle_days=days.get(i, frozenset()),
            name=county.names[i],
        )
        for i in chosen
    ]
    return DayProblem(
        day=START + timedelta(days=k),
        points=points,
        vehicles=vehicles,
        distances=[[county.distances[a][b] for b in rows] for a in rows],
        durations=[[county.durations[a][b] for b in rows] for a in rows],
        method=county.method,
        cycle_day=index,
        pinned_visits=frozenset(chosen) if strategy.fixed else frozenset(),
        weights=strategy.weights,
    )


def breaks_limits(run: PlannedRun, problem: DayProblem, county: County) -> bool:
    """Recheck a run here: its length, peak load in parcels and kg, its shift."""
    vehicle = next(v for v in problem.vehicles if v.vehicle_id == run.vehicle_id)
    kg = {s.parcel_id: s.kg for p in problem.points for s in (*p.inbound, *p.outbound)}
    rows = [0, *(int(s.point_id) + 1 for s in run.stops), 0]
    legs = list(itertools.pairwise(rows))
    parcels = sum(len(s.drop) + len(s.collect) for s in run.stops)
    seconds = sum(county.durations[a][b] for a, b in legs) + parcels * (
        problem.service_per_parcel_seconds
    )
    seconds += problem.service_base_seconds * len(run.stops)
    load = [
        sum(len(s.drop) for s in run.stops),
        sum(kg[p] for s in run.stops for p in s.drop),
    ]
    peak = list(load)
    for stop in run.stops:
        load[0] += len(stop.collect) - len(stop.drop)
        load[1] += sum(kg[p] for p in stop.collect) - sum(kg[p] for p in stop.drop)
        peak = [max(peak[0], load[0]), max(peak[1], load[1])]
    return (
        sum(county.distances[a][b] for a, b in legs) != run.distance_m
        or peak[0] > vehicle.capacity_parcels
        or peak[1] > vehicle.capacity_kg + 0.05  # kg go to the solver in tenths
        or seconds > vehicle.shift_seconds
    )


def record(
    plan: DailyPlan, problem: DayProblem, county: County, ledger: Ledger
) -> None:
    """Deliver, collect and log the visits of the day's runs."""
    ledger.metres += plan.distance_m
    ledger.runtimes.append(plan.runtime)
    ledger.infeasible += not plan.feasible
    for run in plan.runs:
        ledger.broken_runs += breaks_limits(run, problem, county)
        for stop in run.stops:
            i, drop, collect = int(stop.point_id), set(stop.drop), set(stop.collect)
            waiting = ledger.inbound[i]
            ledger.waits += [
                (plan.day - s.arrival).days
                for s in waiting
                if s.parcel_id in drop and s.arrival is not None
            ]
            ledger.inbound[i] = [s for s in waiting if s.parcel_id not in drop]
            ledger.collected += len(collect)
            ledger.outbound[i] = [
                s for s in ledger.outbound[i] if s.parcel_id not in collect
            ]
            ledger.visits[i].append(plan.day)
            ledger.stops += 1


def simulate(
    strategy: Strategy, county: County, demand: Demand, seconds: float, seed: int
) -> Ledger:
    """Plan and record each day in turn; one progress line a day on stderr."""
    n, vehicles = len(county.names), fleet()
    empty: list[list[Shipment]] = [[] for _ in range(n)]
    ledger = Ledger(empty, [[] for _ in range(n)], warm_start(strategy, n))
    for k, arrivals in enumerate(demand.days):
        for i, (inbound, outbound) in enumerate(arrivals):
            ledger.inbound[i] += inbound
            ledger.outbound[i] += outbound
        problem = day_problem(strategy, county, ledger, k, vehicles)
        plan = plan_day(problem, seconds=seconds, seed=seed)
        record(plan, problem, county, ledger)
        print(
            f"{strategy.name}, day {k + 1}/{len(demand.days)}: "
            f"{plan.distance_m / 1000:.1f} km, {len(plan.visited)} stops, "
            f"{plan.runtime:.1f} s{'' if plan.feasible else ', INFEASIBLE'}",
            file=sys.stderr,
            flush=True,
        )
    return ledger


STRATEGIES = {
    "daily": "daily planner",
    "every": "every point every day",
    "ab": "fixed A/B",
}


def strategies(keys: list[str], cycle: Cycle, weights: VisitWeights) -> list[Strategy]:
    """The strategies named by ``keys`` (of :data:`STRATEGIES`), in that order."""
    cadence, names = DEFAULT_CADENCE_DAYS, STRATEGIES
    every = {
        "daily": Strategy(names["daily"], cadence, cycle, weights),
        "every": Strategy(names["every"], 1, None, weights),
        "ab": Strategy(names["ab"], cadence, cycle, VisitWeights(0, 0, 0, 0), True),
    }
    return [every[k] for k in keys]
