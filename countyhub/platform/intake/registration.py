"""Registering parcels one at a time or as a batch (a form, the API, the CLI).

The same path as a manifest's rows: :class:`~countyhub.platform.intake.registrar.
Registrar` checks each item and stores it once.  A single registration is an
answer or an error: refused → Forbidden, rejected → InvalidInput, and a re-send
with other details of a parcel already past ``registered`` → IllegalTransition
(the parcel is not changed).  A batch answers one outcome per item instead, but
one item outside the actor's lane (another courier's parcel, another service
point's) refuses the whole batch before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, IllegalTransition, InvalidInput
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import Outcome, ParcelInput, Result
from countyhub.platform.models import Depot, User


def register_parcel(
    session: Session, actor: User, data: ParcelInput, *, depot: Depot | None = None
) -> Outcome:
    """Register one parcel; a re-send is recognised.

    Raises Forbidden, InvalidInput, and IllegalTransition for a re-send that would
    change a parcel already past ``registered``.
    """
    outcome = register_parcels(session, actor, [data], depot=depot)[0]
    reasons = [p.reason for p in outcome.problems]
    if outcome.forbidden:
        raise Forbidden("; ".join(reasons))
    if outcome.result == Result.REJECTED:
        raise InvalidInput(
            "; ".join(reasons), {p.column: p.reason for p in outcome.problems}
        )
    if outcome.result == Result.CONFLICT:
        raise IllegalTransition(data.direction, "beyond registered", "amended", reasons)
    return outcome


def register_parcels(
    session: Session,
    actor: User,
    items: Sequence[ParcelInput],
    *,
    depot: Depot | None = None,
) -> list[Outcome]:
    """Register a batch; one outcome per item (rejected ones say why).

    Raises Forbidden, naming the rule and the items, if any item is outside the
    actor's lane (another courier, another service point); then nothing is written.
    """
    registrar = Registrar(session, actor, depot=depot)
    numbered = list(enumerate(items, start=1))
    registrar.refuse_outside_lane(numbered, name_rows=len(numbered) > 1)
    return registrar.register(numbered)
