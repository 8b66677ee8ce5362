"""Recording the steps of a parcel's life (scans), one event each.

A step is checked against the state machine of
:mod:`countyhub.platform.parcels.statuses` and against who may take it. Arriving at the
point gives the parcel a pickup code, unique among the parcels waiting there; handing it
over needs that code and records the villager's consent (since 2024 a courier may not
leave a parcel at a station without it).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.roles import Permission, Role, require
from countyhub.platform.db import utcnow
from countyhub.platform.errors import (
    CountyhubError,
    Forbidden,
    InvalidInput,
    WrongPickupCode,
)
from countyhub.platform.models import Parcel, ParcelEvent, User
from countyhub.platform.parcels import access, pickup
from countyhub.platform.parcels.registry import parcels_by_waybill, pick_parcel
from countyhub.platform.parcels.statuses import (
    PLACE_OF,
    Direction,
    Status,
    check_transition,
)

POINT_STEPS = frozenset(
    {Status.ARRIVED, Status.DELIVERED, Status.RETURNED, Status.REGISTERED}
)
CONSENT = ("picked_up", "consented_station", "agreed_method")
# How far ahead of this server's clock a step's own time may be (scanners' clocks
# drift); COUNTYHUB_SCAN_SKEW_MINUTES sets it for the API (Settings.scan_skew).
SCAN_SKEW = dt.timedelta(minutes=10)


def record_scan(
    session: Session,
    actor: User,
    parcel: Parcel,
    target: Status,
    *,
    at: dt.datetime | None = None,
    pickup_code: str | None = None,
    consent: str | None = None,
    note: str = "",
    context: Mapping[str, str] | None = None,
    skew: dt.timedelta = SCAN_SKEW,
) -> ParcelEvent:
    """Move ``parcel`` to ``target`` and record the event; flushed.

    ``at`` (default: now) may not be before the parcel's previous step nor more
    than ``skew`` ahead of this server's clock.  ``context`` adds fields to the
    event's details (a plan's day and vehicle, say); they never replace the
    fields the step itself records.

    Raises IllegalTransition, Forbidden, PickupLocked, WrongPickupCode,
    InvalidInput — before anything is changed (a wrong code is not kept here: the
    caller keeps it, see :func:`~countyhub.platform.parcels.pickup.note_wrong_code`).
    """
    event = _step(
        session,
        actor,
        parcel,
        target,
        at=at,
        pickup_code=pickup_code,
        consent=consent,
        note=note,
        context=context,
        skew=skew,
    )
    session.flush()
    return event


def _step(
    session: Session,
    actor: User,
    parcel: Parcel,
    target: Status,
    *,
    at: dt.datetime | None,
    pickup_code: str | None,
    consent: str | None,
    note: str = "",
    context: Mapping[str, str] | None = None,
    skew: dt.timedelta,
) -> ParcelEvent:
    """Check the step, then take it (not flushed): every check comes before the
    first change, so a refused step leaves the session as it was."""
    if not access.can_change(actor, parcel):
        raise Forbidden("this parcel is outside your scope")
    require(
        actor,
        Permission.RECORD_STEPS,
        "a depot registers parcels; the sorting centre and the "
        "service points record their steps",
    )
    if actor.role_code == Role.POINT_OPERATOR and target not in POINT_STEPS:
        raise Forbidden(f"a service point records arrival and hand-over, not {target}")
    current = Status(parcel.status)
    check_transition(Direction(parcel.direction), current, target)
    if at is not None:
        _check_time(session, parcel, at, skew)
    details: dict[str, object] = {**(context or {})}
    details |= _check_handover(session, parcel, target, pickup_code, consent)
    if note:
        details["note"] = note[:500]
    # checked: from here on, changes
    if target is Status.ARRIVED:
        parcel.pickup_code = _free_pickup_code(session, parcel)
        details["pickup_code_issued"] = True
    event = ParcelEvent(
        parcel_id=parcel.id,
        at=at or utcnow(),
        kind="status",
        from_status=current.value,
        to_status=target.value,
        place=PLACE_OF[target],
        service_point_id=parcel.service_point_id,
        actor_id=actor.id,
        details=details,
    )
    parcel.status, parcel.updated_at = target.value, event.at
    session.add(event)
    return event


def _check_time(
    session: Session, parcel: Parcel, at: dt.datetime, skew: dt.timedelta
) -> None:
    """Raise InvalidInput when ``at`` is before the parcel's last step or ahead."""
    now = utcnow()
    if at > now + skew:
        raise InvalidInput(
            f"the step's time {at.isoformat()} is in the future (this server's clock "
            f"allows {int(skew.total_seconds() // 60)} minutes ahead)",
            {"at": "in the future"},
        )
    last = session.scalar(
        select(func.max(ParcelEvent.at)).where(ParcelEvent.parcel_id == parcel.id)
    )
    if last is not None and at < last:
        raise InvalidInput(
            f"the step's time {at.isoformat()} is before the parcel's previous "
            f"step ({last.isoformat()})",
            {"at": "before the previous step"},
        )


def _check_handover(
    session: Session,
    parcel: Parcel,
    target: Status,
    pickup_code: str | None,
    consent: str | None,
) -> dict[str, object]:
    """What the step needs of the parcel and the villager; the event's details
    that say how it was handed over.  A locked hand-over is refused before the
    code is compared, so that it tells nothing about the code."""
    if target in (Status.SORTED, Status.ARRIVED) and parcel.service_point_id is None:
        raise InvalidInput(
            "the parcel has no service point yet: assign one first "
            "(countyhub parcels assign)",
            {"service_point": "missing"},
        )
    if target is Status.DELIVERED:
        pickup.check_open(session, parcel.id, utcnow())
        if not pickup_code or pickup_code.strip() != parcel.pickup_code:
            raise WrongPickupCode(parcel.id)
        if consent not in CONSENT:
            raise InvalidInput(
                f"say how the villager consented: one of {', '.join(CONSENT)}",
                {"consent": "required"},
            )
        return {"handover": "pickup_code", "consent": consent}
    return {}


def _free_pickup_code(session: Session, parcel: Parcel) -> str:
    taken = set(
        session.scalars(
            select(Parcel.pickup_code).where(
                Parcel.service_point_id == parcel.service_point_id,
                Parcel.status == Status.ARRIVED.value,
            )
        )
    )
    while True:
        code = f"{secrets.randbelow(1_000_000):06d}"
        if code not in taken:
            return code


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """One step for one parcel, as a scanner sends it."""

    waybill: str
    to: str
    courier: str | None = None
    pickup_code: str | None = None
    consent: str | None = None
    note: str = ""
    at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What became of one scan of a batch."""

    index: int
    waybill: str
    ok: bool
    status: str | None = None
    error: str | None = None
    problem: str | None = None


def record_scans(
    session: Session,
    actor: User,
    requests: list[ScanRequest],
    *,
    skew: dt.timedelta = SCAN_SKEW,
) -> list[ScanResult]:
    """Record many scans; each succeeds or fails on its own; flushed.

    The batch's parcels are read in one query, and the steps are written together
    at the end: a refused step changes nothing (every check comes first), so the
    others need no savepoint of their own.  A wrong pickup code is kept in the
    batch's own transaction (its answer is a success, committed with the steps);
    later scans of the same parcel in the batch count it.
    """
    found = parcels_by_waybill(session, [scan.waybill for scan in requests])
    results = []
    for index, scan in enumerate(requests):
        try:
            parcel = pick_parcel(found, actor, scan.waybill, scan.courier)
            event = _step(
                session,
                actor,
                parcel,
                _status(scan.to),
                at=scan.at,
                pickup_code=scan.pickup_code,
                consent=scan.consent,
                note=scan.note,
                skew=skew,
            )
            results.append(ScanResult(index, scan.waybill, True, event.to_status))
        except CountyhubError as exc:
            if isinstance(exc, WrongPickupCode):
                pickup.add_wrong_code(session, exc.parcel_id, actor.id, utcnow())
            results.append(
                ScanResult(
                    index,
                    scan.waybill,
                    False,
                    error=str(exc),
                    problem=type(exc).__name__,
                )
            )
    session.flush()
    return results


def _status(text: str) -> Status:
    try:
        return Status(text)
    except ValueError:
        raise InvalidInput(
            f"unknown status {text!r}; statuses: {', '.join(s.value for s in Status)}",
            {"to": "unknown status"},
        ) from None
