"""The rows of an intake: what comes in, what is found wrong, what becomes of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from countyhub.couriers import FieldProblem
from countyhub.platform.parcels.statuses import Direction


class Result(StrEnum):
    """What became of a row: a new parcel, a re-send (known: the same; updated:
    amended while only registered; conflict: changed later, not applied) or
    rejected."""

    NEW = "new"
    KNOWN = "known"
    UPDATED = "updated"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class ImportState(StrEnum):
    """A manifest import runs, then is done or failed (the file broke half-way)."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


MAX_WEIGHT_KG = 1000  # a parcel weighs more than 0 and at most this
MAX_NAME = 80  # characters of a recipient's name (its column's size)
PHONE_LENGTH = (3, 20)  # characters of a phone number: digits, +, -, ( )
MAX_ADDRESS = 500  # characters of an address
MAX_PIECES = 999  # and has 1 to this many pieces


@dataclass(slots=True)
class ParcelInput:
    """One parcel as a depot, a point or a file states it.

    The registrar reads these attributes from any object that has them (a
    ``countyhub.couriers.ManifestRow`` does), so a file's rows need no copy;
    ``direction`` and ``service_point`` default to an inbound parcel;
    ``category`` is an outbound parcel's product category (a code or Chinese label
    of :mod:`countyhub.platform.parcels.categories`), which a ManifestRow holds in
    ``extra["category"]``.
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
    category: str | None = None
    problems: tuple[FieldProblem, ...] = ()  # found while reading the row


class ParcelLike(Protocol):
    """What the registrar reads of a parcel: a ParcelInput or a ManifestRow."""

    @property
    def waybill(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def courier(self) -> str | None: ...
    @property
    def recipient_name(self) -> str: ...
    @property
    def recipient_phone(self) -> str: ...
    @property
    def weight_kg(self) -> float | None: ...
    @property
    def pieces(self) -> int: ...
    @property
    def problems(self) -> tuple[FieldProblem, ...]: ...


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
    forbidden: bool = False  # rejected because the actor may not do it

    def forbid(self, column: str, value: str, reason: str) -> None:
        """Reject the row as outside the actor's rights."""
        self.forbidden = True
        self.reject(column, value, reason)

    def reject(self, column: str, value: str, reason: str) -> None:
        """Mark the row rejected for ``reason``."""
        self.result = Result.REJECTED
        self.problems.append(Problem(self.row, column, value, reason))

    def warn(self, column: str, value: str, reason: str) -> None:
        """Note something a clerk should know; the row is still taken."""
        self.problems.append(Problem(self.row, column, value, reason, "warning"))


@dataclass(slots=True)
class CheckedRow:
    """A row that passed its checks: its outcome so far and its parcel columns."""

    outcome: Outcome
    values: dict[str, object]

    @property
    def key(self) -> tuple[object, object]:
        """The parcel's identity: (courier id, waybill number)."""
        return self.values["courier_id"], self.values["waybill_no"]
