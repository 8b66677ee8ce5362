"""The life of a parcel as a state machine: statuses, directions and legal steps.

Pure: no database.  An inbound parcel comes from a courier to a villager; an
outbound one (农产品上行) goes from a village service point to its courier.

Inbound::

    registered -> received -> sorted -> loaded -> arrived -> delivered
                     |          |   ^-----/          |
                     +----------+-> returned <-------+

``loaded -> sorted`` is a parcel that went out on a run and came back undelivered;
``returned`` (to the courier) ends a parcel that cannot be handed over.

Outbound::

    registered (at the point) -> collected -> at_centre -> handed_over
"""

from __future__ import annotations

from enum import StrEnum

from countyhub.platform.errors import IllegalTransition


class Direction(StrEnum):
    """Which way a parcel travels."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Status(StrEnum):
    """Where a parcel is in its life."""

    REGISTERED = "registered"
    RECEIVED = "received"
    SORTED = "sorted"
    LOADED = "loaded"
    ARRIVED = "arrived"
    DELIVERED = "delivered"
    RETURNED = "returned"
    COLLECTED = "collected"
    AT_CENTRE = "at_centre"
    HANDED_OVER = "handed_over"


S = Status
TRANSITIONS: dict[Direction, dict[Status, frozenset[Status]]] = {
    Direction.INBOUND: {
        S.REGISTERED: frozenset({S.RECEIVED}),
        S.RECEIVED: frozenset({S.SORTED, S.RETURNED}),
        S.SORTED: frozenset({S.LOADED, S.RETURNED}),
        S.LOADED: frozenset({S.ARRIVED, S.SORTED}),
        S.ARRIVED: frozenset({S.DELIVERED, S.RETURNED}),
        S.DELIVERED: frozenset(),
        S.RETURNED: frozenset(),
    },
    Direction.OUTBOUND: {
        S.REGISTERED: frozenset({S.COLLECTED}),
        S.COLLECTED: frozenset({S.AT_CENTRE}),
        S.AT_CENTRE: frozenset({S.HANDED_OVER}),
        S.HANDED_OVER: frozenset(),
    },
}

# Where a parcel is once it has reached a status: the sorting centre, a vehicle or
# the service point.  Recorded on every event.
PLACE_OF: dict[Status, str] = {
    S.REGISTERED: "depot",
    S.RECEIVED: "centre",
    S.SORTED: "centre",
    S.LOADED: "vehicle",
    S.ARRIVED: "point",
    S.DELIVERED: "point",
    S.RETURNED: "centre",
    S.COLLECTED: "vehicle",
    S.AT_CENTRE: "centre",
    S.HANDED_OVER: "centre",
}

# Statuses at which a parcel waits at its service point for the villager.
WAITING_AT_POINT = frozenset({S.ARRIVED})

LABELS_ZH: dict[Status, str] = {
    S.REGISTERED: "已登记",
    S.RECEIVED: "已到县分拣中心",
    S.SORTED: "已分拣",
    S.LOADED: "已装车",
    S.ARRIVED: "已到村服务点",
    S.DELIVERED: "已签收",
    S.RETURNED: "已退回",
    S.COLLECTED: "已揽收",
    S.AT_CENTRE: "已到县分拣中心",
    S.HANDED_OVER: "已交快递公司",
}


def next_statuses(direction: Direction, status: Status) -> frozenset[Status]:
    """The statuses a parcel may step to from ``status``."""
    return TRANSITIONS[direction].get(status, frozenset())


def is_final(direction: Direction, status: Status) -> bool:
    """Whether a parcel at ``status`` has ended its life."""
    return not next_statuses(direction, status)


def check_transition(direction: Direction, current: Status, target: Status) -> None:
    """Raise :class:`IllegalTransition` unless ``current -> target`` is a legal step."""
    allowed = next_statuses(direction, current)
    if target not in allowed:
        raise IllegalTransition(
            direction.value,
            current.value,
            target.value,
            sorted(s.value for s in allowed),
        )
