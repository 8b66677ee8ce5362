"""Days of the Tonggu county through the daily planner, beside two baselines.

    python -m bench.cadence [--days 60] [--seconds 5] [--cycle-seconds 60]
        [--seed 1] [--weights PER_PARCEL,OUTBOUND,URGENCY,CYCLE]
        [--strategies daily,every,ab]

The county: the 108 service points of the packaged Tonggu data (``villages.csv``,
``service_point`` 1), the centre at the county seat, geodesic matrices (× 1.3 at
30 km/h); the demo fleet (:data:`countyhub.platform.demo.make.FLEET`, 8 h shifts);
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
import statistics
from collections import Counter
from datetime import timedelta

from bench._cadence_sim import (
    SHIFT_SECONDS,
    START,
    STRATEGIES,
    County,
    Demand,
    Ledger,
    draw_demand,
    fleet,
    load_county,
    simulate,
    strategies,
)
from countyhub.platform.demo.make import FLEET
from countyhub.routing import Cycle, CyclePoint, VisitWeights, check_visits, make_cycle
from countyhub.routing.cadence import DEFAULT_CADENCE_DAYS, MAX_WAIT_DAYS

KM_TARGET = 0.55  # the planner's km a day over every point every day, at most


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
