"""The rows of an intake: what comes in, what is found wrong, what becomes of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from countyhub.couriers import FieldProblem, ManifestRow
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
MAX_CELL = 2000  # characters of a rejected row's cell kept to give it back


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


def row_cells(columns: dict[str, str], row: ManifestRow) -> list[list[str]]:
    """The row's cells as ``[header, value, field]`` under the file's own headers
    (``columns``: field -> header), then its other columns (``field`` "").

    A cell the reader could not read is given as written; the others as read: a
    weight in kilograms with its unit (so that a column in grams reads it right
    again), the waybill and phone without what spreadsheets add to numbers.
    """
    unread = {p.column: p.value for p in row.problems}
    cells = [
        [header, unread.get(header, _cell(name, row))[:MAX_CELL], name]
        for name, header in columns.items()
    ]
    cells.extend([header, value[:MAX_CELL], ""] for header, value in row.extra.items())
    return cells


def _cell(name: str, row: ManifestRow) -> str:
    if name == "weight_kg":
        return "" if row.weight_kg is None else f"{row.weight_kg:g}kg"
    value = getattr(row, name)
    return "" if value is None else str(value)


def rejected_cells(
    columns: dict[str, str],
    rows: list[tuple[int, ManifestRow]],
    outcomes: list[Outcome],
) -> dict[int, list[list[str]]]:
    """The cells of the rejected ones of ``rows``, by row number (``outcomes``
    are the rows' own, in their order)."""
    return {
        number: row_cells(columns, row)
        for (number, row), out in zip(rows, outcomes, strict=True)
        if out.result == Result.REJECTED
    }
