"""The names the pages give to the platform's vocabularies, in the reader's language.

The platform's enums are codes (``Role``, ``Status``) and its few Chinese labels
are for the API; a page shows each code through the message catalogue, so that
the English page says "sorted" where the Chinese says 已分拣.  A test checks that
every member of each enum has a name here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from countyhub.platform.accounts.roles import Role
from countyhub.platform.parcels.statuses import Direction, Status
from countyhub.platform.parcels.tracking import PLACE_ZH

ROLES: dict[Role, LazyString] = {
    Role.DEPOT_CLERK: _l("depot clerk"),
    Role.DISPATCHER: _l("sorting-centre dispatcher"),
    Role.POINT_OPERATOR: _l("service-point operator"),
    Role.ANALYST: _l("bureau analyst"),
    Role.ADMIN: _l("administrator"),
}
STATUSES: dict[Status, LazyString] = {
    Status.REGISTERED: _l("registered"),
    Status.RECEIVED: _l("at the county sorting centre"),
    Status.SORTED: _l("sorted"),
    Status.LOADED: _l("loaded on a vehicle"),
    Status.ARRIVED: _l("at the village service point"),
    Status.DELIVERED: _l("collected by the recipient"),
    Status.RETURNED: _l("returned"),
    Status.COLLECTED: _l("collected from the service point"),
    Status.AT_CENTRE: _l("at the county sorting centre"),
    Status.HANDED_OVER: _l("handed over to the courier"),
}
DIRECTIONS: dict[Direction, LazyString] = {
    Direction.INBOUND: _l("inbound"),
    Direction.OUTBOUND: _l("outbound (farm products)"),
}
PLACES: dict[str, LazyString] = {
    "depot": _l("courier depot"),
    "centre": _l("county sorting centre"),
    "vehicle": _l("delivery vehicle"),
    "point": _l("village service point"),
}
_PLACE_CODES = {name: code for code, name in PLACE_ZH.items()}


def role_name(code: str) -> str:
    """The role's name in the reader's language."""
    return str(ROLES[Role(code)])


def status_name(code: str) -> str:
    """The status's name in the reader's language."""
    return str(STATUSES[Status(code)])


def direction_name(code: str) -> str:
    """The direction's name in the reader's language."""
    return str(DIRECTIONS[Direction(code)])


def place_name(place: str) -> str:
    """Where a step happened: a kind of place in the reader's language, or a
    service point's own name (tracking gives the Chinese name of the kind, an
    event its code)."""
    code = place if place in PLACES else _PLACE_CODES.get(place)
    return str(PLACES[code]) if code else place
