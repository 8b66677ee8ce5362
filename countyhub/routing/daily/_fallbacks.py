"""What gives when the day is over-full: parcels first, then required points.

Before solving, :func:`fit` trims what no single vehicle can carry from a stop
(oldest parcels kept). When the solver finds no feasible day, :func:`hold_back`
keeps at the centre the parcels that may still wait; if that is not enough, the
routing makes required points optional at a prize no detour beats
(:data:`~countyhub.routing.daily._routes.MUST_PRIZE`), so only what cannot fit
is left. Everything trimmed or held back is named in the plan's unserved list.
"""

from __future__ import annotations

from collections.abc import Sequence

from countyhub.routing.daily._stops import KG_SCALE, Stop, is_due, tenths
from countyhub.routing.daily._unserved import no_room
from countyhub.routing.daily.problem import DayProblem, DayVehicle, Shipment
from countyhub.routing.daily.result import Unserved

__all__ = ["fit", "hold_back"]


def fit(
    problem: DayProblem,
    stops: list[Stop],
    fleet: Sequence[DayVehicle],
    unserved: list[Unserved],
) -> list[Stop]:
    """Trim what no single vehicle can carry; the rest waits, named in ``unserved``."""
    if not fleet:
        return stops
    most = max(v.capacity_parcels for v in fleet)
    heaviest = max(int(v.capacity_kg * KG_SCALE) for v in fleet)
    for stop in stops:
        for attr in ("drop", "collect"):
            shipments: list[Shipment] = getattr(stop, attr)
            kept = _first_that_fit(shipments, most, heaviest)
            left = shipments[len(kept) :]
            if left:
                unserved.append(no_room(problem, stop, left))
            setattr(stop, attr, kept)
    return stops


def _first_that_fit(
    shipments: list[Shipment], most: int, heaviest: int
) -> list[Shipment]:
    """The leading shipments within ``most`` parcels and ``heaviest`` tenths."""
    kept, count, weight = [], 0, 0
    for s in shipments:
        kg = tenths(s.kg)
        if count + 1 > most or weight + kg > heaviest:
            break
        kept.append(s)
        count, weight = count + 1, weight + kg
    return kept


def hold_back(problem: DayProblem, stops: list[Stop]) -> None:
    """Keep at the centre every parcel that may still wait, and lower the prizes."""
    for stop in stops:
        due = [s for s in stop.drop if is_due(problem, s)]
        stop.waiting = [s for s in stop.drop if not is_due(problem, s)]
        stop.drop = due
        stop.prize = max(0, stop.prize - problem.weights.per_parcel * len(stop.waiting))
