"""What the daily planner's tests share: a day, a grid of points, a fleet."""

from __future__ import annotations

import math
from datetime import date, timedelta

from countyhub.routing import DailyPlan, DayProblem, DayVehicle, Shipment

DAY = date(2026, 12, 1)
YESTERDAY, TWO_DAYS_AGO = DAY - timedelta(days=1), DAY - timedelta(days=2)
# Points on a 3 × 4 grid, 2 km apart, the centre in a corner.
SPOTS = [(2000 * (i % 4) + 1000, 2000 * (i // 4) + 1000) for i in range(12)]


def matrices(spots: list[tuple[int, int]], speed: float = 10.0):
    """Euclidean metres and seconds at ``speed`` m/s, the centre at (0, 0)."""
    places = [(0, 0), *spots]
    dist = [[round(math.dist(a, b)) for b in places] for a in places]
    return dist, [[round(d / speed) for d in row] for row in dist]


def van(vid: str = "van", parcels: int = 100, kg: float = 500, hours: float = 8):
    return DayVehicle(vid, parcels, kg, int(hours * 3600), name=vid)


def parcels(point: int, n: int, arrival: date = DAY, kg: float = 2.0):
    return tuple(Shipment(f"p{point}-{k}", kg, arrival) for k in range(n))


def problem(points, vehicles=None, **kwargs) -> DayProblem:
    dist, dur = matrices(SPOTS[: len(points)])
    return DayProblem(
        day=DAY,
        points=points,
        vehicles=vehicles or [van("v1"), van("v2")],
        distances=dist,
        durations=dur,
        **kwargs,
    )


def stops_of(plan: DailyPlan):
    return {s.point_id: s for run in plan.runs for s in run.stops}
