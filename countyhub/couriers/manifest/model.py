"""What reading a manifest produces: its rows, their problems and the refusal.

The readers of this package all build these; :mod:`countyhub.couriers.manifest`
exports them and documents the format they follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A cell that could not be read as it should.

    Attributes
    ----------
    column : str
        The header as written in the file (e.g. "重量"), or the field name.
    value : str
        The offending cell as text; "" if it is empty.
    reason : str
        What is wrong and what to do, written for a depot clerk.
    """

    column: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One parcel line of a manifest, read but not yet checked against any rule.

    Attributes
    ----------
    row_number : int
        1-based row in Excel, or line in a text editor where the record starts.
    waybill : str
        As written, minus spreadsheet artefacts (``="…"``, ', ".0"); "" if empty.
    courier : str or None
        The 快递公司 cell as written; None if the file has no such column.
    recipient_name, recipient_phone, address : str
        Trimmed; spaces and hyphens removed from the phone number.
    weight_kg : float or None
        Kilograms; None if blank or unreadable (then see ``problems``).
    pieces : int
        1 if blank or unreadable (then see ``problems``).
    problems : tuple of FieldProblem
        Cells that could not be read; the row should not be registered as is.
    extra : dict of str to str
        Every other column, by header.
    """

    row_number: int
    waybill: str
    courier: str | None
    recipient_name: str
    recipient_phone: str
    address: str
    weight_kg: float | None
    pieces: int = 1
    problems: tuple[FieldProblem, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


class ManifestError(ValueError):
    """The file is not a manifest at all; nothing should be imported.

    The message names the file, says why and what to do.
    """
