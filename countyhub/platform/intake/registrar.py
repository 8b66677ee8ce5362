"""Parcel intake: many parcels registered in one pass, exactly once each.

:class:`Registrar` is the single path by which parcels enter the registry — one
parcel from a form, a batch from the API, or a manifest file in chunks.  It checks
every row (who may register it, courier, waybill rule, details, address → service
point) and hands the good ones to :class:`~countyhub.platform.intake.store.
ParcelStore`, which inserts new parcels once and recognises re-sends.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.couriers import Courier, UnknownCourier, check_waybill, find_courier
from countyhub.platform.accounts.roles import Permission, Role, require
from countyhub.platform.county.gazetteer import Gazetteer, load_gazetteer
from countyhub.platform.db import utcnow
from countyhub.platform.errors import Forbidden
from countyhub.platform.intake.rows import (
    MAX_PIECES,
    MAX_WEIGHT_KG,
    CheckedRow,
    Outcome,
    ParcelLike,
    Result,
)
from countyhub.platform.intake.store import ParcelStore
from countyhub.platform.models import Courier as CourierRow
from countyhub.platform.models import Depot, User
from countyhub.platform.parcels.statuses import Direction, Status

_INBOUND, _OUTBOUND = Direction.INBOUND.value, Direction.OUTBOUND.value
_REGISTERED = Status.REGISTERED.value
_PHONE = re.compile(r"[0-9+()\-]{3,20}")


class Registrar:
    """Registers parcels for one actor (and optionally one depot or courier).

    ``clock`` gives the registration time (a test or a back-fill may set it).
    Raises Forbidden for a user who may not register parcels, UnknownCourier for a
    courier that is unknown or not the depot's.
    """

    def __init__(
        self,
        session: Session,
        actor: User,
        *,
        depot: Depot | None = None,
        courier: str | None = None,
        import_id: int | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        _check_actor(actor, depot)
        self.actor = actor
        self.depot = depot or actor.depot
        self.fixed_courier = self._file_courier(courier)
        self.couriers = dict(
            session.execute(select(CourierRow.code, CourierRow.id)).all()
        )
        self.gazetteer: Gazetteer = load_gazetteer(session)
        self.store = ParcelStore(session, actor.id, import_id, clock)

    @property
    def import_id(self) -> int | None:
        return self.store.import_id

    @import_id.setter
    def import_id(self, value: int | None) -> None:
        self.store.import_id = value

    def register(self, items: Sequence[tuple[int, ParcelLike]]) -> list[Outcome]:
        """Register ``(row number, parcel)`` items; one outcome per item, in order."""
        outcomes: list[Outcome] = []
        firsts: list[CheckedRow] = []
        again: list[CheckedRow] = []
        seen: set[tuple[object, object]] = set()
        for number, item in items:
            row = self._check(number, item)
            outcomes.append(row.outcome)
            if row.outcome.result == Result.REJECTED:
                continue
            (again if row.key in seen else firsts).append(row)
            seen.add(row.key)
        self.store.store(firsts)
        self.store.store(again)  # a parcel's second copy in one batch is a re-send
        return outcomes

    def _file_courier(self, courier: str | None) -> Courier | None:
        depot_code = self.depot.courier.code if self.depot is not None else None
        chosen = find_courier(courier) if courier else None
        if depot_code and chosen and chosen.code != depot_code:
            raise UnknownCourier(f"the depot works for {depot_code}, not {chosen.code}")
        return chosen or (find_courier(depot_code) if depot_code else None)

    # -- checking one row ---------------------------------------------------------

    def _check(self, number: int, item: ParcelLike) -> CheckedRow:
        out = Outcome(row=number, result="pending", waybill=item.waybill)
        direction = getattr(item, "direction", _INBOUND)
        if self.actor.role_code == Role.POINT_OPERATOR and direction != _OUTBOUND:
            out.forbid(
                "direction",
                direction,
                "a service point registers outbound "
                "parcels (农产品上行); inbound ones come from the depots",
            )
        for problem in item.problems:
            out.reject(problem.column, problem.value, problem.reason)
        values = self._identity(out, item)
        _check_details(out, item, direction)
        if out.result != Result.REJECTED:
            values.update(self._place(out, item, direction))
            values.update(
                recipient_name=item.recipient_name.strip()[:80],
                recipient_phone=item.recipient_phone.strip()[:30],
                address=item.address.strip(),
                weight_kg=item.weight_kg,
                pieces=item.pieces,
                direction=direction,
                depot_id=self.depot.id if self.depot else None,
            )
        return CheckedRow(out, values)

    def _identity(self, out: Outcome, item: ParcelLike) -> dict[str, object]:
        """Courier and waybill number, checked by that courier's rule."""
        courier = self._row_courier(out, item)
        if courier is None:
            return {}
        if self.actor.role_code == Role.DEPOT_CLERK and courier != self.fixed_courier:
            out.forbid(
                "courier",
                courier.code,
                f"you register only your own courier's parcels, not {courier.name}'s",
            )
            return {}
        check = check_waybill(courier.code, item.waybill)
        out.waybill = check.number or item.waybill
        if not check.ok:
            out.reject("waybill", item.waybill, check.reason or "invalid")
        elif check.warning:
            out.warn("waybill", item.waybill, check.warning)
        return {
            "courier_id": self.couriers[courier.code],
            "waybill_no": check.number,
            "waybill_raw": item.waybill[:80],
        }

    def _row_courier(self, out: Outcome, item: ParcelLike) -> Courier | None:
        fixed = self.fixed_courier
        if not item.courier:
            if fixed is None:
                out.reject(
                    "courier",
                    "",
                    "no courier: name it in a 快递公司 column "
                    "or for the whole file (--courier CODE)",
                )
            return fixed
        try:
            named = _find_courier(item.courier)
        except UnknownCourier as exc:
            out.reject("courier", item.courier, str(exc))
            return None
        if fixed is not None and named.code != fixed.code:
            if self.actor.role_code == Role.DEPOT_CLERK:
                out.forbid(
                    "courier",
                    item.courier,
                    f"you register only your own courier's parcels, not {named.name}'s",
                )
            else:
                out.reject(
                    "courier",
                    item.courier,
                    f"this row names {named.name} "
                    f"but the file is registered for {fixed.name}",
                )
            return None
        return named

    def _place(
        self, out: Outcome, item: ParcelLike, direction: str
    ) -> dict[str, object]:
        """Village and service point: resolved (inbound) or the point (outbound)."""
        if direction == _OUTBOUND:
            return self._outbound_place(out, item)
        found = self.gazetteer.resolve(item.address)
        out.resolved = found.point_id is not None
        if not out.resolved:
            out.warn(
                "address",
                item.address,
                f"{found.reason}; the parcel is kept "
                "for a person to assign its service point",
            )
        return {
            "village_id": found.village_id,
            "service_point_id": found.point_id,
            "address_state": "resolved" if out.resolved else "unresolved",
            "address_note": found.note,
            "status": _REGISTERED,
        }

    def _outbound_place(self, out: Outcome, item: ParcelLike) -> dict[str, object]:
        code = getattr(item, "service_point", None) or ""
        point = self.gazetteer.points_by_code.get(code) or self.actor.service_point_id
        if point is None:
            out.reject(
                "service_point",
                code,
                "an outbound parcel is registered at a known service point",
            )
        out.resolved = point is not None
        return {
            "village_id": None,
            "service_point_id": point,
            "address_state": "outbound",
            "address_note": "",
            "status": _REGISTERED,
        }


def _check_details(out: Outcome, item: ParcelLike, direction: str) -> None:
    if not item.address.strip():
        out.reject("address", "", "the address is empty")
    phone = item.recipient_phone.strip()
    if phone and not _PHONE.fullmatch(phone):
        out.reject(
            "recipient_phone",
            phone,
            "not a phone number (digits, +, -, parentheses only)",
        )
    if item.weight_kg is not None and not 0 < item.weight_kg <= MAX_WEIGHT_KG:
        out.reject(
            "weight_kg",
            str(item.weight_kg),
            f"the weight must be more than 0 and at most {MAX_WEIGHT_KG} kg",
        )
    if not 1 <= item.pieces <= MAX_PIECES:
        out.reject("pieces", str(item.pieces), f"pieces must be 1 to {MAX_PIECES}")
    if direction not in (_INBOUND, _OUTBOUND):
        out.reject("direction", direction, "inbound or outbound")


def _check_actor(actor: User, depot: Depot | None) -> None:
    require(
        actor,
        Permission.REGISTER_PARCELS,
        "the bureau analyst reads the registry but registers no parcels",
    )
    if (
        actor.role_code == Role.DEPOT_CLERK
        and depot is not None
        and depot.id != actor.depot_id
    ):
        raise Forbidden("a depot clerk registers parcels for their own depot only")


@lru_cache(maxsize=256)
def _find_courier(text: str) -> Courier:
    return find_courier(text)
