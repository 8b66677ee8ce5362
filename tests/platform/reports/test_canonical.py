"""The canonical JSON of a report and its hash."""

from __future__ import annotations

import hashlib
import math

import pytest

from countyhub.platform.reports.canonical import canonical_json, content_hash


def test_keys_are_sorted_with_no_whitespace_in_utf8():
    """Sorted keys at every depth, no spaces, Chinese as UTF-8 bytes."""
    content = {"b": [1, {"z": 1, "a": 2.5}], "a": "铜鼓县", "c": None}
    assert canonical_json(content) == (
        '{"a":"铜鼓县","b":[1,{"a":2.5,"z":1}],"c":null}'.encode()
    )


def test_the_same_content_in_another_order_has_the_same_hash():
    """Order of keys does not change the hash; a changed value does."""
    one = {"month": "2026-10", "volumes": {"in": 10, "out": 2}}
    two = {"volumes": {"out": 2, "in": 10}, "month": "2026-10"}
    assert content_hash(one) == content_hash(two)
    assert content_hash(one) != content_hash({**one, "month": "2026-11"})


def test_the_hash_is_sha256_hex_of_the_canonical_bytes():
    """64 hex digits of SHA-256 over exactly those bytes."""
    content = {"x": 1}
    assert content_hash(content) == hashlib.sha256(b'{"x":1}').hexdigest()
    assert len(content_hash(content)) == 64


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_nan_and_infinity_are_refused(bad: float):
    """JSON holds no NaN or infinity: refused, not written as invalid JSON."""
    with pytest.raises(ValueError):
        canonical_json({"x": bad})
