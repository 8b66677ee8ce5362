"""Masking of personal data (recipient names and phone numbers).

Pure.  Every output masks these unless the role that reads it needs them whole
(the point operator handing the parcel over).
"""

from __future__ import annotations


def mask_name(name: str | None) -> str:
    """``张三丰`` -> ``张**``; ``Li Lei`` -> ``L*****``; empty stays empty."""
    if not name:
        return ""
    name = name.strip()
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def mask_phone(phone: str | None) -> str:
    """``13812345678`` -> ``138****5678``; shorter numbers keep their last 2 digits."""
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    if len(digits) > 4:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)
