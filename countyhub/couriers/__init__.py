"""Carriers: the registry of couriers, their waybill-number rules and manifest readers.

Pure: no database, no Flask.
"""

from .manifest import (
    FieldProblem,
    Manifest,
    ManifestError,
    ManifestRow,
    read_manifest,
    sniff_encoding,
)
from .registry import COURIERS, Courier, UnknownCourier, find_courier
from .waybill import (
    MAX_WAYBILL_LENGTH,
    WaybillCheck,
    check_waybill,
    detect_couriers,
    is_valid_s10,
    normalize_waybill,
    s10_check_digit,
)

__all__ = [
    "COURIERS",
    "MAX_WAYBILL_LENGTH",
    "Courier",
    "FieldProblem",
    "Manifest",
    "ManifestError",
    "ManifestRow",
    "UnknownCourier",
    "WaybillCheck",
    "check_waybill",
    "detect_couriers",
    "find_courier",
    "is_valid_s10",
    "normalize_waybill",
    "read_manifest",
    "s10_check_digit",
    "sniff_encoding",
]
