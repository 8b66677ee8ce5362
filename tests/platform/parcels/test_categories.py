"""The product categories of outbound parcels: codes, labels, and who may carry one."""

from __future__ import annotations

import pytest

from countyhub.platform.parcels.categories import (
    CODES,
    LABELS,
    Category,
    check_category,
    find_category,
)


def test_every_category_has_a_short_code_and_two_distinct_labels():
    """Codes fit the column (20); each Chinese and English label names one category."""
    assert set(LABELS) == set(Category)
    assert all(len(code) <= 20 and code.isascii() for code in CODES)
    for index in (0, 1):
        labels = [LABELS[c][index] for c in Category]
        assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("fruit", Category.FRUIT),
        ("水果", Category.FRUIT),
        (" Grain_Oil ", Category.GRAIN_OIL),
        ("中药材", Category.HERBS),
        ("ｆｕｎｇｉ", Category.FUNGI),
        ("Fruit and nuts", None),
        ("果", None),
        ("", None),
    ],
)
def test_a_code_or_chinese_label_finds_its_category(text: str, found: object):
    """Case, width and surrounding spaces fold; nothing else is guessed."""
    assert find_category(text) is found


def test_only_an_outbound_parcel_may_carry_one():
    """No text: no problem; an inbound parcel's category or an unknown one: why."""
    assert check_category(None, "inbound") == (None, None)
    assert check_category("  ", "outbound") == (None, None)
    assert check_category("tea", "outbound") == (Category.TEA, None)
    found, why = check_category("tea", "inbound")
    assert found is Category.TEA and why and "outbound" in why
    found, why = check_category("rubber", "outbound")
    assert found is None and why and all(code in why for code in CODES)
