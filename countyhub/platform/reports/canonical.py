"""The canonical JSON of a report: the one byte string that is hashed, signed and
sent, so the same content always gives the same bytes.

Keys sorted, no whitespace, UTF-8 (not ``\\u`` escapes), no NaN or infinity
(JSON has none).  Pure: no database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def canonical_json(content: Mapping[str, Any]) -> bytes:
    """``content`` as canonical JSON bytes.  Raises ValueError for a NaN or an
    infinity, TypeError for a value JSON cannot hold."""
    text = json.dumps(
        dict(content),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return text.encode("utf-8")


def content_hash(content: Mapping[str, Any]) -> str:
    """The SHA-256 of ``content``'s canonical JSON, as 64 hex digits."""
    return hashlib.sha256(canonical_json(content)).hexdigest()
