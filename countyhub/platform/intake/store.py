"""Storing checked rows: new parcels inserted once, re-sends recognised.

For one list of rows with distinct (courier, waybill) keys:

* new parcels go in by ``INSERT … ON CONFLICT DO NOTHING`` through the driver's own
  executemany (its fast path; RETURNING would force SQLAlchemy's slower
  insert-many-values form), each marked with a random batch token; one indexed
  SELECT of that token tells which rows this store inserted, and one
  ``INSERT … SELECT`` writes their first events without sending them from Python;
* every other row is a re-send: same details -> ``known``; other details while
  the parcel is only registered -> ``updated`` with an ``amended`` event; later ->
  ``conflict`` with a ``resend_conflict`` event and no change.

Exactly-once rests on the unique constraint (courier, waybill), not on isolation:
a parcel that another process inserted first simply is not in this store's batch.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    Dialect,
    bindparam,
    insert,
    literal,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from countyhub.platform.db import UTCDateTime, utcnow
from countyhub.platform.intake.rows import CheckedRow, Problem, Result
from countyhub.platform.models import Parcel, ParcelEvent
from countyhub.platform.parcels.statuses import Status

COMPARED = (
    "address",
    "recipient_name",
    "recipient_phone",
    "weight_kg",
    "pieces",
    "category",
)
PLACE_COLUMNS = ("village_id", "service_point_id", "address_state", "address_note")
PARCEL = Parcel.__table__.c
EVENT = ParcelEvent.__table__.c


class ParcelStore:
    """Writes checked rows for one acting user (and one import, if any)."""

    def __init__(
        self,
        session: Session,
        actor_id: int,
        import_id: int | None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.session, self.actor_id, self.import_id = session, actor_id, import_id
        self.clock = clock

    def store(self, rows: list[CheckedRow]) -> None:
        """Insert the new parcels among ``rows``; settle the rest as re-sends."""
        if not rows:
            return
        now, batch = self.clock(), secrets.token_hex(8)
        inserted = self._insert(rows, now, batch)
        resent = [r for r in rows if r.key not in inserted]
        existing = self._existing(resent) if resent else {}
        events = []
        for row in rows:
            parcel_id = inserted.get(row.key)
            if parcel_id is not None:
                row.outcome.result, row.outcome.parcel_id = Result.NEW, parcel_id
            else:
                events.extend(self._resend(row, existing[row.key], now))
        if inserted:
            self._registered_events(batch, now)
        if events:
            self.session.execute(insert(ParcelEvent), events)

    def _insert(
        self, rows: list[CheckedRow], now: dt.datetime, batch: str
    ) -> dict[tuple[object, object], int]:
        dialect = self.session.get_bind().dialect
        sql = _insert_sql(dialect, tuple(rows[0].values))
        shared = {
            "_stamp": _bound(UTCDateTime(), dialect, now),
            "_import_id": self.import_id,
            "_batch": batch,
        }
        self.session.connection().exec_driver_sql(
            sql, [{**r.values, **shared} for r in rows]
        )
        mine = select(PARCEL.id, PARCEL.courier_id, PARCEL.waybill_no).where(
            PARCEL.intake_batch == batch
        )
        return {
            (courier, waybill): pid
            for pid, courier, waybill in self.session.execute(mine).all()
        }

    def _registered_events(self, batch: str, now: dt.datetime) -> None:
        details = {"import_id": self.import_id} if self.import_id else {}
        first = select(
            PARCEL.id,
            literal(now, UTCDateTime),
            literal("registered"),
            literal(Status.REGISTERED.value),
            literal("depot"),
            literal(self.actor_id),
            literal(details, JSON),
        ).where(PARCEL.intake_batch == batch)
        columns = [
            EVENT.parcel_id,
            EVENT.at,
            EVENT.kind,
            EVENT.to_status,
            EVENT.place,
            EVENT.actor_id,
            EVENT.details,
        ]
        self.session.execute(insert(ParcelEvent).from_select(columns, first))

    def _existing(self, rows: list[CheckedRow]) -> dict[tuple[object, object], dict]:
        keys = list({r.key for r in rows})
        columns = [
            PARCEL.id,
            PARCEL.courier_id,
            PARCEL.waybill_no,
            PARCEL.status,
            *(PARCEL[c] for c in COMPARED),
        ]
        found = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            query = select(*columns).where(
                tuple_(PARCEL.courier_id, PARCEL.waybill_no).in_(part)
            )
            for rec in self.session.execute(query).mappings():
                found[(rec["courier_id"], rec["waybill_no"])] = dict(rec)
        return found

    def _resend(self, row: CheckedRow, old: dict, now: dt.datetime) -> list[dict]:
        out = row.outcome
        out.parcel_id = old["id"]
        changed = [c for c in COMPARED if row.values.get(c) != old[c]]
        if not changed:
            out.result = Result.KNOWN
            return []
        if old["status"] != Status.REGISTERED.value:
            out.result = Result.CONFLICT
            out.problems.append(
                Problem(
                    out.row,
                    ",".join(changed),
                    out.waybill,
                    f"already {old['status']}: "
                    "a re-send with other details no longer changes it",
                    Result.CONFLICT,
                )
            )
            return [self._event(old["id"], "resend_conflict", now, changed)]
        out.result = Result.UPDATED
        new = {c: row.values[c] for c in (*COMPARED, *PLACE_COLUMNS)}
        self.session.execute(
            update(Parcel).where(Parcel.id == old["id"]).values(**new, updated_at=now)
        )
        old.update(new)  # a later copy in the same file compares with this one
        return [self._event(old["id"], "amended", now, changed)]

    def _event(
        self, parcel_id: int, kind: str, now: dt.datetime, changed: list[str]
    ) -> dict[str, Any]:
        details: dict[str, Any] = {"fields": changed}
        if self.import_id is not None:
            details["import_id"] = self.import_id
        return {
            "parcel_id": parcel_id,
            "at": now,
            "kind": kind,
            "from_status": None,
            "to_status": None,
            "place": "depot",
            "service_point_id": None,
            "actor_id": self.actor_id,
            "details": details,
        }


@functools.lru_cache(maxsize=16)
def _insert_sql(dialect: Dialect, keys: tuple[str, ...]) -> str:
    """INSERT INTO parcel … ON CONFLICT (courier_id, waybill_no) DO NOTHING, as the
    driver's SQL with named parameters: ``keys`` and the shared ``_stamp``,
    ``_import_id`` and ``_batch`` (compiled once per dialect and set of keys)."""
    key = ["courier_id", "waybill_no"]
    insert_ = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert_(Parcel)
        .on_conflict_do_nothing(index_elements=key)
        .values(
            registered_at=bindparam("_stamp"),
            updated_at=bindparam("_stamp"),
            import_id=bindparam("_import_id"),
            intake_batch=bindparam("_batch"),
        )
    )
    if dialect.paramstyle == "qmark":  # sqlite3 takes named parameters too
        dialect = type(dialect)(paramstyle="named")  # type: ignore[call-arg]
    return str(statement.compile(dialect=dialect, column_keys=list(keys)))


def _bound(type_: TypeEngine[Any], dialect: Dialect, value: object) -> object:
    """``value`` as the driver takes it for a column of ``type_``."""
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process else value
