"""Parcel intake: many parcels registered in one pass, exactly once each.

:class:`Registrar` is the single path by which parcels enter the registry — one
parcel from a form, a batch from the API, or a manifest file in chunks.  For each
chunk it checks every row (courier, waybill rule, address), inserts the new parcels
with ``INSERT … ON CONFLICT DO NOTHING RETURNING`` and their first events in bulk,
and treats the rest as re-sends:

* same details -> ``known`` (nothing written);
* different details while the parcel is still merely registered -> ``updated``
  (an ``amended`` event records which fields changed);
* different details later in its life -> ``conflict`` (a ``resend_conflict`` event;
  the parcel is not changed).

Exactly-once rests on the unique constraint (courier, waybill), not on isolation:
a row that another process inserted between our look-up and our insert comes back
from ``ON CONFLICT DO NOTHING`` as not inserted and is handled as a re-send.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import (
    JSON,
    ColumnElement,
    Insert,
    Table,
    insert,
    literal,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from countyhub.couriers import (
    Courier,
    FieldProblem,
    UnknownCourier,
    check_waybill,
    find_courier,
)
from countyhub.platform.county import Gazetteer, load_gazetteer
from countyhub.platform.db import UTCDateTime, utcnow
from countyhub.platform.errors import Forbidden
from countyhub.platform.model import Depot, Parcel, ParcelEvent, ServicePoint, User
from countyhub.platform.statuses import Direction, Status

_INBOUND = Direction.INBOUND.value
COMPARED = ("address", "recipient_name", "recipient_phone", "weight_kg", "pieces")
_PHONE = re.compile(r"[0-9+()\-]{3,20}")


@dataclass(slots=True)
class ParcelInput:
    """One parcel as a depot, a point or a file states it.

    The registrar reads these attributes from any object that has them (a
    ``countyhub.couriers.ManifestRow`` does), so a file's rows need no copy;
    ``direction`` and ``service_point`` default to an inbound parcel.
    """

    waybill: str
    address: str
    courier: str | None = None
    recipient_name: str = ""
    recipient_phone: str = ""
    weight_kg: float | None = None
    pieces: int = 1
    direction: str = Direction.INBOUND.value
    service_point: str | None = None
    problems: tuple[FieldProblem, ...] = ()  # found while reading the row


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding about one row: where, which column, which value, and why."""

    row: int
    column: str
    value: str
    reason: str
    severity: str = "error"


@dataclass(slots=True)
class Outcome:
    """What became of one row: new, known, updated, conflict or rejected."""

    row: int
    result: str
    waybill: str = ""
    parcel_id: int | None = None
    resolved: bool | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    outcome: Outcome
    values: dict[str, object]


class Registrar:
    """Registers parcels for one actor (and optionally one depot or courier)."""

    def __init__(
        self,
        session: Session,
        actor: User,
        *,
        depot: Depot | None = None,
        courier: str | None = None,
        import_id: int | None = None,
    ) -> None:
        self.session, self.actor, self.import_id = session, actor, import_id
        _check_actor(actor, depot)
        self.depot = depot or actor.depot
        self.fixed_courier = self._file_courier(courier)
        self.couriers = _courier_ids(session)
        self.gazetteer: Gazetteer = load_gazetteer(session)
        self.table: Table = Parcel.__table__  # type: ignore[assignment]

    def _file_courier(self, courier: str | None) -> Courier | None:
        depot_code = self.depot.courier.code if self.depot is not None else None
        chosen = find_courier(courier) if courier else None
        if depot_code and chosen and chosen.code != depot_code:
            raise UnknownCourier(
                f"the depot {self.depot.name} works for "  # type: ignore[union-attr]
                f"{depot_code}, not {chosen.code}"
            )
        return chosen or (find_courier(depot_code) if depot_code else None)

    def register(self, items: Sequence[tuple[int, ParcelInput]]) -> list[Outcome]:
        """Register ``(row number, parcel)`` items; one outcome per item, in order."""
        rows, firsts, again, seen = [], [], [], set()
        for number, item in items:
            row = self._check(number, item)
            rows.append(row)
            if row.outcome.result == "rejected":
                continue
            key = (row.values["courier_id"], row.values["waybill_no"])
            (again if key in seen else firsts).append(row)
            seen.add(key)
        self._store(firsts)
        if again:  # the same parcel twice in one chunk: its second copy is a re-send
            self._store(again)
        return [r.outcome for r in rows]

    # -- checking one row ---------------------------------------------------------

    def _check(self, number: int, item: ParcelInput) -> _Row:
        out = Outcome(row=number, result="pending", waybill=item.waybill)
        direction = getattr(item, "direction", _INBOUND)
        for problem in item.problems:
            _reject(out, problem.column, problem.value, problem.reason)
        courier = self._row_courier(out, item)
        values: dict[str, object] = {}
        if courier is not None and not self._may_register(courier.code):
            _reject(
                out,
                "courier",
                courier.code,
                f"you register only your own courier's parcels, not {courier.name}'s",
            )
        elif courier is not None:
            check = check_waybill(courier.code, item.waybill)
            out.waybill = check.number or item.waybill
            if not check.ok:
                _reject(out, "waybill", item.waybill, check.reason or "invalid")
            elif check.warning:
                out.problems.append(
                    Problem(number, "waybill", item.waybill, check.warning, "warning")
                )
            values = {
                "courier_id": self.couriers[courier.code],
                "waybill_no": check.number,
                "waybill_raw": item.waybill[:80],
            }
        self._check_details(out, item, direction)
        if out.result != "rejected":
            values.update(self._place(out, item, direction))
        if out.result != "rejected":
            values.update(
                recipient_name=item.recipient_name.strip()[:80],
                recipient_phone=item.recipient_phone.strip()[:30],
                address=item.address.strip(),
                weight_kg=item.weight_kg,
                pieces=item.pieces,
                direction=direction,
                depot_id=self.depot.id if self.depot else None,
            )
        return _Row(out, values)

    def _may_register(self, code: str) -> bool:
        """Whether the actor registers parcels of courier ``code`` (see access)."""
        role = self.actor.role_code
        if role == "depot_clerk":
            return self.fixed_courier is not None and code == self.fixed_courier.code
        return role in ("admin", "dispatcher", "point_operator")

    def _row_courier(self, out: Outcome, item: ParcelInput) -> Courier | None:
        fixed = self.fixed_courier
        if not item.courier:
            if fixed is None:
                _reject(
                    out,
                    "courier",
                    "",
                    "no courier: name it in a 快递公司 column "
                    "or for the whole file (--courier CODE)",
                )
            return fixed
        try:
            named = _find_courier(item.courier)
        except UnknownCourier as exc:
            _reject(out, "courier", item.courier, str(exc))
            return None
        if fixed is not None and named.code != fixed.code:
            _reject(
                out,
                "courier",
                item.courier,
                f"this row names {named.name} but "
                f"the file is registered for {fixed.name}",
            )
            return None
        return named

    def _check_details(self, out: Outcome, item: ParcelInput, direction: str) -> None:
        if not item.address.strip():
            _reject(out, "address", "", "the address is empty")
        phone = item.recipient_phone.strip()
        if phone and not _PHONE.fullmatch(phone):
            _reject(
                out,
                "recipient_phone",
                phone,
                "not a phone number (digits, +, -, parentheses only)",
            )
        if item.weight_kg is not None and not 0 < item.weight_kg <= 1000:
            _reject(
                out,
                "weight_kg",
                str(item.weight_kg),
                "the weight must be more than 0 and at most 1000 kg",
            )
        if not 1 <= item.pieces <= 999:
            _reject(out, "pieces", str(item.pieces), "pieces must be 1 to 999")
        if direction not in (Direction.INBOUND, Direction.OUTBOUND):
            _reject(out, "direction", direction, "inbound or outbound")

    def _place(
        self, out: Outcome, item: ParcelInput, direction: str
    ) -> dict[str, object]:
        if direction == Direction.OUTBOUND:
            return self._outbound_place(out, item)
        found = self.gazetteer.resolve(item.address)
        out.resolved = found.point_id is not None
        if not out.resolved:
            out.problems.append(
                Problem(
                    out.row,
                    "address",
                    item.address,
                    f"{found.reason}; the parcel is kept for a "
                    "person to assign its service point",
                    "warning",
                )
            )
        return {
            "village_id": found.village_id,
            "service_point_id": found.point_id,
            "address_state": "resolved" if out.resolved else "unresolved",
            "address_note": found.note,
            "status": Status.REGISTERED.value,
        }

    def _outbound_place(self, out: Outcome, item: ParcelInput) -> dict[str, object]:
        code = item.service_point or ""
        point = self.gazetteer.points_by_code.get(code)
        if point is None and self.actor.service_point_id is not None:
            point = self.actor.service_point_id
        if point is None:
            _reject(
                out,
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
            "status": Status.REGISTERED.value,
        }

    # -- storing ------------------------------------------------------------------

    def _store(self, rows: list[_Row]) -> None:
        if not rows:
            return
        now, batch = utcnow(), secrets.token_hex(8)
        inserted = self._insert(rows, now, batch)
        resent = [r for r in rows if _key(r) not in inserted]
        existing = self._existing(resent) if resent else {}
        events = []
        for row in rows:
            parcel_id = inserted.get(_key(row))
            if parcel_id is not None:
                row.outcome.result, row.outcome.parcel_id = "new", parcel_id
            else:
                events.extend(self._resend(row, existing[_key(row)], now))
        if inserted:
            self._registered_events(batch, now)
        if events:
            self.session.execute(insert(ParcelEvent), events)

    def _insert(
        self, rows: list[_Row], now: dt.datetime, batch: str
    ) -> dict[tuple, int]:
        """Insert the rows whose (courier, waybill) is new; returns their ids by key.

        A plain executemany (the drivers' fast path, unlike RETURNING), then one
        indexed SELECT of the rows marked with this store's ``batch`` token.
        """
        constants = {
            "registered_at": _sql_time(self.session, now),
            "updated_at": _sql_time(self.session, now),
            "import_id": literal_column(
                str(int(self.import_id)) if self.import_id else "NULL"
            ),
            "intake_batch": literal_column(f"'{batch:.16}'"),  # hex: safe to inline
        }
        statement = _insert_ignoring_duplicates(self.session, self.table).values(
            **constants
        )
        sql = _driver_sql(self.session, statement, list(rows[0].values))
        # Straight to the driver's executemany: the rows are plain, checked values,
        # so SQLAlchemy's per-row parameter processing would only cost time.
        self.session.connection().exec_driver_sql(sql, [r.values for r in rows])
        p = self.table.c
        mine = select(p.id, p.courier_id, p.waybill_no).where(p.intake_batch == batch)
        return {
            (courier, waybill): pid
            for pid, courier, waybill in self.session.execute(mine).all()
        }

    def _registered_events(self, batch: str, now: dt.datetime) -> None:
        """The first event of each new parcel, by one INSERT … SELECT over the
        parcels of ``batch``: no event's parameters travel from Python."""
        p, e = Parcel.__table__.c, ParcelEvent.__table__.c
        details = {"import_id": self.import_id} if self.import_id else {}
        first = select(
            p.id,
            literal(now, UTCDateTime),
            literal("registered"),
            literal(Status.REGISTERED.value),
            literal("depot"),
            literal(self.actor.id),
            literal(details, JSON),
        ).where(p.intake_batch == batch)
        self.session.execute(
            insert(ParcelEvent).from_select(
                [
                    e.parcel_id,
                    e.at,
                    e.kind,
                    e.to_status,
                    e.place,
                    e.actor_id,
                    e.details,
                ],
                first,
            )
        )

    def _existing(self, rows: list[_Row]) -> dict[tuple[object, object], dict]:
        keys = list({_key(r) for r in rows})
        cols = [
            Parcel.id,
            Parcel.courier_id,
            Parcel.waybill_no,
            Parcel.status,
            *(getattr(Parcel, c) for c in COMPARED),
        ]
        found = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            query = select(*cols).where(
                tuple_(Parcel.courier_id, Parcel.waybill_no).in_(part)
            )
            for rec in self.session.execute(query).mappings():
                found[(rec["courier_id"], rec["waybill_no"])] = dict(rec)
        return found

    def _resend(self, row: _Row, old: dict, now: dt.datetime) -> list[dict]:
        out = row.outcome
        out.parcel_id = old["id"]
        changed = [c for c in COMPARED if row.values.get(c) != old[c]]
        if not changed:
            out.result = "known"
            return []
        if old["status"] != Status.REGISTERED.value:
            out.result = "conflict"
            out.problems.append(
                Problem(
                    out.row,
                    ",".join(changed),
                    out.waybill,
                    f"already {old['status']}: a re-send with other "
                    "details no longer changes it",
                )
            )
            return [
                self._event(
                    old["id"], "resend_conflict", now, details={"fields": changed}
                )
            ]
        out.result = "updated"
        new = {c: row.values[c] for c in COMPARED}
        new.update(
            {
                k: row.values[k]
                for k in (
                    "village_id",
                    "service_point_id",
                    "address_state",
                    "address_note",
                )
            }
        )
        self.session.execute(
            update(Parcel).where(Parcel.id == old["id"]).values(**new, updated_at=now)
        )
        old.update(new)
        return [self._event(old["id"], "amended", now, details={"fields": changed})]

    def _event(
        self,
        parcel_id: int,
        kind: str,
        now: dt.datetime,
        *,
        to_status: str | None = None,
        details: dict | None = None,
    ) -> dict:
        info = dict(details or {})
        if self.import_id is not None:
            info["import_id"] = self.import_id
        return {
            "parcel_id": parcel_id,
            "at": now,
            "kind": kind,
            "from_status": None,
            "to_status": to_status,
            "place": "depot",
            "service_point_id": None,
            "actor_id": self.actor.id,
            "details": info,
        }


def _check_actor(actor: User, depot: Depot | None) -> None:
    if actor.role_code == "analyst":
        raise Forbidden(
            "the bureau analyst reads the registry but registers no parcels"
        )
    if (
        actor.role_code == "depot_clerk"
        and depot is not None
        and depot.id != actor.depot_id
    ):
        raise Forbidden("a depot clerk registers parcels for their own depot only")


def _key(row: _Row) -> tuple[object, object]:
    return row.values["courier_id"], row.values["waybill_no"]


def _reject(out: Outcome, column: str, value: str, reason: str) -> None:
    out.result = "rejected"
    out.problems.append(Problem(out.row, column, value, reason))


@lru_cache(maxsize=256)
def _find_courier(text: str) -> Courier:
    return find_courier(text)


def _courier_ids(session: Session) -> dict[str, int]:
    from countyhub.platform.model import Courier as CourierRow

    return dict(session.execute(select(CourierRow.code, CourierRow.id)).all())


def _sql_time(session: Session, moment: dt.datetime) -> ColumnElement[dt.datetime]:
    """``moment`` as a SQL literal of the session's dialect."""
    rendered = literal(moment, UTCDateTime).compile(
        dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    return literal_column(str(rendered), UTCDateTime)


def _driver_sql(session: Session, statement: Insert, keys: list[str]) -> str:
    """``statement`` as the driver's SQL with named parameters ``keys``."""
    dialect = session.get_bind().dialect
    if dialect.paramstyle == "qmark":  # sqlite3 takes named parameters too
        dialect = type(dialect)(paramstyle="named")
    return str(statement.compile(dialect=dialect, column_keys=keys))


def _insert_ignoring_duplicates(session: Session, table: Table) -> Insert:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing(
        index_elements=["courier_id", "waybill_no"]
    )


def point_ids(session: Session) -> dict[str, int]:
    """Service point ids by code."""
    return dict(session.execute(select(ServicePoint.code, ServicePoint.id)).all())
