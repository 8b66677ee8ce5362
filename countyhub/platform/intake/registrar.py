"""Parcel intake: many parcels registered in one pass, exactly once each.

:class:`Registrar` is the single path by which parcels enter the registry — one
parcel from a form, a batch from the API, or a manifest file in chunks.  It checks
every row (who may register it, courier, waybill rule, details, address → service
point) and hands the good ones to :class:`~countyhub.platform.intake.store.
ParcelStore`, which inserts new parcels once and recognises re-sends.

Each role registers in its lane: a depot clerk only its own depot's courier's
parcels, a point operator only outbound parcels at its own service point.
:meth:`Registrar.refuse_outside_lane` checks a whole batch or file against the lane
before anything is written, so that a row outside it refuses everything.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from countyhub.couriers import Courier, UnknownCourier, check_waybill, find_courier
from countyhub.platform.accounts.roles import Permission, Role, require
from countyhub.platform.county.gazetteer import Gazetteer, load_gazetteer
from countyhub.platform.db import utcnow
from countyhub.platform.errors import Forbidden
from countyhub.platform.intake.rows import (
    MAX_ADDRESS,
    MAX_NAME,
    MAX_PIECES,
    MAX_WEIGHT_KG,
    PHONE_LENGTH,
    CheckedRow,
    Outcome,
    ParcelLike,
    Result,
)
from countyhub.platform.intake.store import ParcelStore
from countyhub.platform.models import Courier as CourierRow
from countyhub.platform.models import Depot, Parcel, User
from countyhub.platform.parcels.categories import check_category
from countyhub.platform.parcels.statuses import Direction, Status

_INBOUND, _OUTBOUND = Direction.INBOUND.value, Direction.OUTBOUND.value
_REGISTERED = Status.REGISTERED.value
_PHONE = re.compile(r"[0-9+()\-]+")
_SHOWN_ROWS = 20  # rows named per rule in a refusal; the rest are counted


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
        self.session = session
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
        if self.actor.role_code == Role.POINT_OPERATOR:
            self._refuse_others_parcels(firsts)
        self.store.store(firsts)
        self.store.store(again)  # a parcel's second copy in one batch is a re-send
        return outcomes

    def _file_courier(self, courier: str | None) -> Courier | None:
        depot_code = self.depot.courier.code if self.depot is not None else None
        chosen = find_courier(courier) if courier else None
        if depot_code and chosen and chosen.code != depot_code:
            message = f"the depot works for {depot_code}, not {chosen.code}"
            if self.actor.role_code == Role.DEPOT_CLERK:
                raise Forbidden(f"a depot clerk registers its courier only: {message}")
            raise UnknownCourier(message)
        return chosen or (find_courier(depot_code) if depot_code else None)

    # -- the actor's lane -----------------------------------------------------------

    def lane_bound(self, *, rows_name_couriers: bool = True) -> bool:
        """Whether a row may fall outside the actor's lane: never for an admin or a
        dispatcher, nor for a clerk's rows that name no courier (its depot's)."""
        if self.actor.role_code == Role.DEPOT_CLERK:
            return rows_name_couriers
        return self.actor.role_code == Role.POINT_OPERATOR

    def refuse_outside_lane(
        self, items: Iterable[tuple[int, ParcelLike]], *, name_rows: bool = True
    ) -> None:
        """Check every item against the actor's lane before anything is written.

        Raises Forbidden naming each broken rule (and, with ``name_rows``, its rows)
        if any item is outside the lane.
        """
        refused: dict[str, list[int]] = {}
        for number, item in items:
            for problem in self._lane(number, item).problems:
                refused.setdefault(problem.reason, []).append(number)
        if refused:
            raise Forbidden(_refusal(refused, name_rows))

    def _lane(self, number: int, item: ParcelLike) -> Outcome:
        """The item's outcome so far: forbidden if outside the actor's lane."""
        out = Outcome(row=number, result="pending", waybill=item.waybill)
        if self.actor.role_code == Role.POINT_OPERATOR:
            self._point_lane(out, item)
        elif self.actor.role_code == Role.DEPOT_CLERK:
            self._depot_lane(out, item)
        return out

    def _point_lane(self, out: Outcome, item: ParcelLike) -> None:
        """A point operator: outbound parcels, at its own service point."""
        direction = getattr(item, "direction", _INBOUND)
        if direction != _OUTBOUND:
            out.forbid(
                "direction",
                direction,
                "a service point registers outbound "
                "parcels (农产品上行); inbound ones come from the depots",
            )
            return
        own = self.actor.service_point
        code = getattr(item, "service_point", None) or ""
        if own is None:
            out.forbid(
                "service_point",
                code,
                "a point operator registers at its own service point, and this "
                "account has none (an admin gives it one)",
            )
        elif code and code != own.code:
            out.forbid(
                "service_point",
                code,
                "a point operator registers outbound parcels at its own service "
                f"point ({own.code}) only",
            )

    def _depot_lane(self, out: Outcome, item: ParcelLike) -> None:
        """A depot clerk: its own depot's courier's parcels."""
        if not item.courier:
            return  # the depot's courier, or rejected later for naming none
        try:
            named = _find_courier(item.courier)
        except UnknownCourier:
            return  # rejected later as unknown
        own = self.fixed_courier
        if own is None or named.code != own.code:
            mine = f"{own.name}'s" if own else "its own depot's courier's"
            out.forbid(
                "courier",
                item.courier,
                f"a depot clerk registers only {mine} parcels, not {named.name}'s",
            )

    def _refuse_others_parcels(self, rows: list[CheckedRow]) -> None:
        """A point operator's re-send may not amend a parcel outside its lane (an
        inbound one, another point's).  Raises Forbidden before anything is written.
        """
        keys = list({row.key for row in rows})
        foreign: set[tuple[object, object]] = set()
        for start in range(0, len(keys), 500):
            query = select(Parcel.courier_id, Parcel.waybill_no).where(
                tuple_(Parcel.courier_id, Parcel.waybill_no).in_(
                    keys[start : start + 500]
                ),
                or_(
                    Parcel.direction != _OUTBOUND,
                    Parcel.service_point_id.is_distinct_from(
                        self.actor.service_point_id
                    ),
                ),
            )
            foreign.update((c, w) for c, w in self.session.execute(query))
        numbers = [row.outcome.row for row in rows if row.key in foreign]
        if numbers:
            reason = (
                "this courier's waybill number is already a parcel outside your "
                "service point's outbound parcels, which a point operator cannot change"
            )
            raise Forbidden(_refusal({reason: numbers}, len(rows) > 1))

    # -- checking one row ---------------------------------------------------------

    def _check(self, number: int, item: ParcelLike) -> CheckedRow:
        out = self._lane(number, item)
        if out.forbidden:
            return CheckedRow(out, {})
        direction = getattr(item, "direction", _INBOUND)
        for problem in item.problems:
            out.reject(problem.column, problem.value, problem.reason)
        values = self._identity(out, item)
        _check_details(out, item, direction)
        category = _category(out, item, direction)
        if out.result != Result.REJECTED:
            values.update(self._place(out, item, direction))
            values.update(
                recipient_name=item.recipient_name.strip(),
                recipient_phone=item.recipient_phone.strip(),
                address=item.address.strip(),
                weight_kg=item.weight_kg,
                pieces=item.pieces,
                direction=direction,
                category=category,
                depot_id=self.depot.id if self.depot else None,
            )
        return CheckedRow(out, values)

    def _identity(self, out: Outcome, item: ParcelLike) -> dict[str, object]:
        """Courier and waybill number, checked by that courier's rule."""
        courier = self._row_courier(out, item)
        if courier is None:
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
        if code and code not in self.gazetteer.points_by_code:
            out.reject("service_point", code, f"no service point has the code {code}")
            return {}
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
    address, name = item.address.strip(), item.recipient_name.strip()
    if not address:
        out.reject("address", "", "the address is empty")
    if len(address) > MAX_ADDRESS:
        out.reject("address", address[:40] + "…", _too_long("an address", MAX_ADDRESS))
    if len(name) > MAX_NAME:
        out.reject("recipient_name", name[:40] + "…", _too_long("a name", MAX_NAME))
    _check_phone(out, item.recipient_phone.strip())
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


def _category(out: Outcome, item: ParcelLike, direction: str) -> str | None:
    """The code of the product category named (a file's row has it in ``extra``)."""
    text = getattr(item, "category", None) or getattr(item, "extra", {}).get("category")
    category, why = check_category(text, direction)
    if why:
        out.reject("category", text or "", why)
    return category.value if category else None


def _too_long(what: str, most: int) -> str:
    return f"{what} has at most {most} characters; nothing was cut"


def _check_phone(out: Outcome, phone: str) -> None:
    shortest, longest = PHONE_LENGTH
    if not phone:
        return
    if not shortest <= len(phone) <= longest:
        why = f"a phone number has {shortest} to {longest} characters, not {len(phone)}"
        out.reject("recipient_phone", phone[: longest + 5], why)
    elif not _PHONE.fullmatch(phone):
        why = "not a phone number (digits, +, -, parentheses only)"
        out.reject("recipient_phone", phone, why)


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


def _refusal(refused: dict[str, list[int]], name_rows: bool) -> str:
    """One sentence per broken rule, with the rows that broke it."""
    rules = []
    for reason, rows in refused.items():
        if name_rows:
            shown = ", ".join(map(str, rows[:_SHOWN_ROWS]))
            extra = len(rows) - _SHOWN_ROWS
            more = f" and {extra} more" if extra > 0 else ""
            reason = f"{reason} (row{'s' if len(rows) > 1 else ''} {shown}{more})"
        rules.append(reason)
    return "; ".join(rules) + "; nothing was registered"


@lru_cache(maxsize=256)
def _find_courier(text: str) -> Courier:
    return find_courier(text)
