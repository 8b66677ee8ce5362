"""What a day's plan leaves for another day, and why: :class:`Unserved` records.

Nothing is dropped silently: parcels the fleet cannot carry are ``NO_ROOM``
(late if one of them is due today), a required point no run takes is
``NOT_REACHED`` (always late), and an optional point the solver skipped is
``WAITS`` with its parcels.
"""

from __future__ import annotations

from collections.abc import Sequence

from countyhub.routing.daily._stops import Stop, is_due
from countyhub.routing.daily.problem import DayProblem, Shipment
from countyhub.routing.daily.result import Unserved, UnservedReason

__all__ = ["left_behind", "no_room", "waits"]


def no_room(problem: DayProblem, stop: Stop, left: Sequence[Shipment]) -> Unserved:
    """Parcels the fleet cannot carry today; late if one of them is due."""
    return Unserved(
        point_id=stop.point.point_id,
        reason=UnservedReason.NO_ROOM,
        parcel_ids=tuple(s.parcel_id for s in left),
        deadline=stop.requirement.deadline,
        late=any(is_due(problem, s) for s in left),
    )


def left_behind(stop: Stop) -> Unserved:
    """A required point no run could take, with every parcel it was to get."""
    return Unserved(
        point_id=stop.point.point_id,
        reason=UnservedReason.NOT_REACHED,
        parcel_ids=tuple(
            p.parcel_id for p in [*stop.drop, *stop.waiting, *stop.collect]
        ),
        deadline=stop.requirement.deadline,
        late=True,
    )


def waits(stop: Stop) -> Unserved:
    """An optional point left for another day, with its parcels."""
    return Unserved(
        point_id=stop.point.point_id,
        reason=UnservedReason.WAITS,
        parcel_ids=tuple(p.parcel_id for p in [*stop.drop, *stop.collect]),
        deadline=stop.requirement.deadline,
        late=False,
    )
