"""The product categories of outbound parcels (农产品上行): a fixed list of codes.

An outbound parcel — farm products leaving a village service point — may say what
it carries, so that the county's outbound volumes can be counted by category; an
inbound parcel carries none.  A parcel stores the short code (``fruit``); people
see the Chinese or the English label.  Forms and the API take the code; a
manifest cell may also hold the Chinese label (水果), and any case or full-width
form of either.

The list is our own, not an official classification: the ten groups named in
issue 12 (水果 … 其他) plus two that the hill counties of north-west Jiangxi sell
much of by parcel — edible fungi (食用菌: shiitake, wood ear) and bee products
(蜂产品: honey).  Bamboo shoots go under vegetables, dried ones under processed
products; camellia oil and rice under grain and oil.  A code is at most 20
characters (the column's size) and never changes meaning once parcels carry it.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from countyhub.platform.parcels.statuses import Direction


class Category(StrEnum):
    """What an outbound parcel carries (stored as its value)."""

    FRUIT = "fruit"
    VEGETABLES = "vegetables"
    TEA = "tea"
    GRAIN_OIL = "grain_oil"
    MEAT_EGGS = "meat_eggs"
    AQUATIC = "aquatic"
    FUNGI = "fungi"
    BEE_PRODUCTS = "bee_products"
    HERBS = "herbs"
    PROCESSED = "processed"
    CRAFTS = "crafts"
    OTHER = "other"

    @property
    def zh(self) -> str:
        """The Chinese label (水果)."""
        return LABELS[self][0]

    @property
    def en(self) -> str:
        """The English label (Fruit)."""
        return LABELS[self][1]


LABELS: dict[Category, tuple[str, str]] = {
    Category.FRUIT: ("水果", "Fruit"),
    Category.VEGETABLES: ("蔬菜", "Vegetables"),
    Category.TEA: ("茶叶", "Tea"),
    Category.GRAIN_OIL: ("粮油", "Grain and edible oil"),
    Category.MEAT_EGGS: ("禽肉蛋", "Meat, poultry and eggs"),
    Category.AQUATIC: ("水产", "Aquatic products"),
    Category.FUNGI: ("食用菌", "Edible fungi"),
    Category.BEE_PRODUCTS: ("蜂产品", "Bee products"),
    Category.HERBS: ("中药材", "Chinese medicinal herbs"),
    Category.PROCESSED: ("农副加工品", "Processed farm products"),
    Category.CRAFTS: ("手工艺品", "Handicrafts"),
    Category.OTHER: ("其他", "Other"),
}
"""Chinese and English label of each category."""

CODES = tuple(c.value for c in Category)


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


_NAMED = {_key(name): c for c in Category for name in (c.value, c.zh)}


def find_category(text: str) -> Category | None:
    """The category whose code or Chinese label ``text`` is (case and width
    folded); None if none is."""
    return _NAMED.get(_key(text))


def check_category(
    text: str | None, direction: str
) -> tuple[Category | None, str | None]:
    """The category a parcel's ``text`` names, and why the parcel may not carry
    it (None: it may).  No text is no category, and no problem."""
    if not text or not text.strip():
        return None, None
    found = find_category(text)
    if found is None:
        listed = ", ".join(f"{c.value} ({c.zh})" for c in Category)
        return None, f"not a product category; use one of {listed}"
    if direction != Direction.OUTBOUND:
        return found, (
            "only an outbound parcel (农产品上行) has a product category; "
            "leave it empty for an inbound one"
        )
    return found, None
