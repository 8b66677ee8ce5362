"""Days of the Tonggu county through the daily planner, beside two baselines.

    python -m bench.cadence [--days 60] [--seconds 5] [--cycle-seconds 60]
        [--seed 1] [--weights PER_PARCEL,OUTBOUND,URGENCY,CYCLE]
        [--strategies daily,every,ab]

The county: the 108 service points of the packaged Tonggu data (``villages.csv``,
``service_point`` 1), the centre at the county seat, geodesic matrices (× 1.3 at
30 km/h); the demo fleet (:data:`countyhub.platform.demo.FLEET`, 8 h shifts);
every point on the county's two-day cadence. Demand is drawn once from
``--seed``:

* inbound: a mean rate per point drawn once, lognormal with a median of 6
  parcels a day (σ 0.5, mean 6.8) for a village and 14 (σ 0.4, mean 15.2) for a
  township-seat community (``kind`` community); each day a Poisson number of
  parcels, sorted by that day's cut-off (arrival = that day), 1–3 kg (uniform);
* outbound (farm products): a rate per point uniform in 0.5–1 a day, Poisson
  each day, 3–10 kg, collectable from the day they appear.

About 870 inbound and 80 outbound parcels a day are expected (the drawn mean is
printed) against the fleet's 1,360 parcels and 5,400 kg a day, so the strategies
differ in distance, not in what the fleet can carry. The cycle is made once,
with ``--cycle-seconds`` (a longer search gives a cycle, hence days, a few km
shorter). Three strategies run over the same demand, one after the other:

``daily``  the daily planner (:func:`countyhub.routing.plan_day`) on every point,
    with the cycle of :func:`countyhub.routing.make_cycle` (made once) and the
    visit weights given (default :class:`countyhub.routing.VisitWeights`);
``every``  every point every day: the same planner with every cadence 1;
``ab``     fixed A/B: each day only the points of the day's cycle day (same
    cycle), all pinned, weights 0: no daily decision.

Each plan is recorded as the platform would: parcels dropped are delivered (wait
= day − arrival), outbound collected are taken, the point's last visit becomes
the day; what is not dropped waits at the centre. Warm start: a cycle point was
last visited on its latest cycle day before day 0, an every-day point on day −1;
nothing waits at first.

Printed per strategy: the share of points whose every gap kept the two-day rule
(:func:`countyhub.routing.check_visits`); the share of inbound parcels delivered
within two days of arrival (parcels still waiting past their deadline count as
failures, those within it are left out); the mean wait; km a day; parcels
(delivered + collected) per km; planning time; the days the planner called
infeasible and the runs that break a vehicle limit when checked here. Then the
targets: km a day of the planner at most 55 % of every point every day, and a
shorter mean wait than fixed A/B. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from countyhub.platform.county import default_county_dir
from countyhub.platform.demo import FLEET
from countyhub.routing import (
    Cycle,
    CyclePoint,
    DailyPlan,
    DayPoint,
    DayProblem,
    DayVehicle,
    PlannedRun,
    Shipment,
    VisitWeights,
    check_visits,
    geodesic_matrices,
    make_cycle,
    plan_day,
)
from countyhub.routing.cadence import DEFAULT_CADENCE_DAYS, MAX_WAIT_DAYS

START = date(2026, 3, 2)
SHIFT_SECONDS = 8 * 3600  # the demo fleet's shifts
KM_TARGET = 0.55  # the planner's km a day over every point every day, at most
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


def measures(ledger: Ledger, days: int) -> dict[str, float]:
    """The printed figures of one strategy (keys of :data:`ROWS`)."""
    end = START + timedelta(days=days - 1)
    gaps = [check_visits(DEFAULT_CADENCE_DAYS, v, START, end) for v in ledger.visits]
    overdue = sum(
        s.arrival + timedelta(days=MAX_WAIT_DAYS) <= end
        for waiting in ledger.inbound
        for s in waiting
        if s.arrival is not None
    )
    on_time = sum(w <= MAX_WAIT_DAYS for w in ledger.waits)
    km = ledger.metres / 1000
    return {
        "kept": 100 * statistics.fmean(not g for g in gaps),
        "on_time": 100 * on_time / (len(ledger.waits) + overdue),
        "wait": statistics.fmean(ledger.waits),
        "km": km / days,
        "per_km": (len(ledger.waits) + ledger.collected) / km,
        "stops": ledger.stops / days,
        "time": statistics.fmean(ledger.runtimes),
        "time_max": max(ledger.runtimes),
        "infeasible": ledger.infeasible,
        "broken": ledger.broken_runs,
    }


ROWS = [
    ("points whose every gap kept the rule, %", "kept", ".1f"),
    ("inbound delivered within 2 days, %", "on_time", ".2f"),
    ("mean wait, days", "wait", ".3f"),
    ("km per day", "km", ".1f"),
    ("parcels per km", "per_km", ".2f"),
    ("stops per day", "stops", ".1f"),
    ("planning time per day, mean s", "time", ".2f"),
    ("planning time per day, max s", "time_max", ".2f"),
    ("days the planner called infeasible", "infeasible", ".0f"),
    ("runs breaking a limit (checked here)", "broken", ".0f"),
]


def print_table(results: dict[str, dict[str, float]]) -> None:
    print(f"{'':<40}" + "".join(f"{name:>23}" for name in results))
    for label, key, fmt in ROWS:
        cells = "".join(f"{r[key]:>23{fmt}}" for r in results.values())
        print(f"{label:<40}{cells}")


def print_targets(results: dict[str, dict[str, float]]) -> None:
    """The ratios to the baselines and whether the planner met each target."""
    daily, every, ab = (results.get(s) for s in STRATEGIES.values())
    checks = []
    if daily:
        checks += [("cadence 100 %", daily["kept"] == 100)]
        checks += [("within 2 days 100 %", daily["on_time"] == 100)]
    if daily and every:
        share = daily["km"] / every["km"]
        print(f"km/day, daily planner / every point every day: {share:.1%}")
        checks.append((f"km/day ≤ {KM_TARGET:.0%} of every day", share <= KM_TARGET))
    if ab and every:
        print(
            f"km/day, fixed A/B / every point every day: {ab['km'] / every['km']:.1%}"
        )
    if daily and ab:
        print(
            f"mean wait, daily planner / fixed A/B: {daily['wait'] / ab['wait']:.1%} "
            f"({daily['wait']:.3f} / {ab['wait']:.3f} days)"
        )
        checks.append(("mean wait < fixed A/B", daily["wait"] < ab["wait"]))
    print(
        "targets: " + "; ".join(f"{t} {'met' if ok else 'NOT MET'}" for t, ok in checks)
    )


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


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.cadence",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=5.0, help="to plan a day")
    parser.add_argument(
        "--cycle-seconds", type=float, default=60.0, help="to make the cycle, once"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--weights",
        type=lambda text: VisitWeights(*(int(w) for w in text.split(","))),
        default=VisitWeights(),
        help="per_parcel,outbound,urgency,cycle in metres (default VisitWeights())",
    )
    parser.add_argument(
        "--strategies",
        type=lambda text: text.split(","),
        default=list(STRATEGIES),
        help="a subset of daily,every,ab",
    )
    args = parser.parse_args(argv)
    if not set(args.strategies) <= set(STRATEGIES):
        parser.error(f"--strategies: choose among {','.join(STRATEGIES)}")
    return args


def print_setting(county: County, demand: Demand, cycle: Cycle, args) -> None:
    kinds = Counter((kind, p, kg) for _, _, kind, p, kg in FLEET)
    vans = ", ".join(
        f"{n} {k} {p} parcels/{kg:g} kg" for (k, p, kg), n in kinds.items()
    )
    days = len(demand.days)
    inbound = sum(len(p[0]) for day in demand.days for p in day) / days
    outbound = sum(len(p[1]) for day in demand.days for p in day) / days
    sizes = [sum(k in d for d in cycle.days.values()) for k in range(cycle.length)]
    w = args.weights
    print(f"Tonggu county: {len(county.names)} service points, {county.method}")
    print(f"fleet: {vans}, {SHIFT_SECONDS // 3600} h shifts")
    print(
        f"demand (seed {args.seed}): {inbound:.1f} inbound + {outbound:.1f} out a day"
    )
    print(
        f"cycle ({args.cycle_seconds:g} s): {cycle.length} days of "
        f"{'/'.join(map(str, sizes))} points, {cycle.cost_m / cycle.length / 1000:.1f}"
        " km a day as the cycle planned it"
    )
    print(
        f"weights: per_parcel {w.per_parcel}, outbound {w.outbound}, urgency "
        f"{w.urgency}, cycle {w.cycle} m; {days} days, {args.seconds:g} s a day\n"
    )


def main(argv: list[str] | None = None) -> None:
    """Simulate the strategies over the same demand and print the comparison."""
    args = parse(argv)
    county = load_county()
    demand = draw_demand(county, args.days, args.seed)
    points = [
        CyclePoint(i, DEFAULT_CADENCE_DAYS, r) for i, r in enumerate(demand.rates)
    ]
    cycle = make_cycle(
        points,
        fleet(),
        county.distances,
        seconds=args.cycle_seconds,
        seed=args.seed,
        durations=county.durations,
    )
    print_setting(county, demand, cycle, args)
    results = {
        s.name: measures(
            simulate(s, county, demand, args.seconds, args.seed), args.days
        )
        for s in strategies(args.strategies, cycle, args.weights)
    }
    print_table(results)
    print()
    print_targets(results)


if __name__ == "__main__":
    main()
