"""Which column is which: the accepted header names and the search for the header row.

Shared by the CSV and the XLSX reader; the names are documented for clerks in the
format of :mod:`countyhub.couriers.manifest`, which exports the tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from .model import ManifestError

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "waybill": ("运单号", "运单编号", "运单号码", "快递单号", "快递单号码", "单号",
                "物流单号", "面单号", "waybill", "waybill no", "waybill number",
                "tracking", "tracking no", "tracking number"),
    "courier": ("快递公司", "快递", "快递品牌", "承运商", "物流公司", "courier",
                "carrier", "express"),
    "recipient_name": ("收件人", "收件人姓名", "收货人", "收货人姓名", "姓名",
                       "recipient", "recipient name", "name", "consignee"),
    "recipient_phone": ("电话", "收件人电话", "收货人电话", "手机", "手机号",
                        "手机号码", "联系电话", "电话号码", "收件人手机", "phone",
                        "mobile", "tel", "recipient phone"),
    "address": ("地址", "收件地址", "收件人地址", "收货地址", "收货人地址", "详细地址",
                "address", "recipient address"),
    "weight_kg": ("重量", "weight"),
    "pieces": ("件数", "数量", "包裹数", "pieces", "qty", "quantity", "count"),
}  # fmt: skip
"""Header names per field, in the form a clerk writes them; the first names the field
in messages. Matching folds case, width, spacing, brackets and units (see the
format in :mod:`countyhub.couriers.manifest`)."""

PASSED_ALIASES: dict[str, tuple[str, ...]] = {
    "category": ("品类", "商品类别", "商品品类", "产品类别", "产品品类", "农产品类别",
                 "农产品品类", "category", "product category"),
}  # fmt: skip
"""Header names of columns the reader passes on unchecked, in ``extra`` under the
field's name (the first such column only; a second one keeps its header).  The
platform checks their text: ``category`` is an outbound parcel's product category.
Generic goods columns (品名, 物品名称, 托寄物, 类别) are not among them: a depot's
inbound file has those and carries no category."""

GRAM_WEIGHT_HEADERS = ("重量(g)", "重量(克)", "weight(g)", "weight(grams)")
"""Weight headers whose bare numbers are grams rather than kilograms."""

REQUIRED_FIELDS = ("waybill", "address")

HEADER_SEARCH_ROWS = 20  # non-blank rows searched for the header

_HEADER_NOISE = re.compile(
    r"[\s_\-.,/\\()\[\]{}<>【】《》:：*#'\"\u200b-\u200d\u2060\ufeff]+"
)
_HEADER_SUFFIX = re.compile(r"(?:kg|千克|公斤|件|个|必填|选填)+$")


def _header_key(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


_ALIASES = {_header_key(a): f for f, names in FIELD_ALIASES.items() for a in names}
_PASSED = {_header_key(a): f for f, names in PASSED_ALIASES.items() for a in names}
_GRAM_KEYS = frozenset(_header_key(h) for h in GRAM_WEIGHT_HEADERS)


def _field_of(header: str) -> tuple[str | None, bool]:
    """The field a header names, and whether it counts in grams."""
    key = _header_key(header)
    if key in _GRAM_KEYS:
        return "weight_kg", True
    return _ALIASES.get(key) or _ALIASES.get(_HEADER_SUFFIX.sub("", key)), False


@dataclass(frozen=True, slots=True)
class Layout:
    """The header row: which column holds which field, computed once per file."""

    headers: tuple[str, ...]
    index: dict[str, int]
    extra: tuple[tuple[int, str], ...]
    unnamed: tuple[int, ...]
    grams: bool

    @property
    def complete(self) -> bool:
        return all(f in self.index for f in REQUIRED_FIELDS)

    def label(self, column: int) -> str:
        named = column < len(self.headers) and self.headers[column]
        return named or f"{get_column_letter(column + 1)}列"


def _layout(texts: list[str]) -> Layout:
    while texts and not texts[-1]:
        texts = texts[:-1]
    index: dict[str, int] = {}
    extra: list[tuple[int, str]] = []
    grams = False
    for i, text in enumerate(texts):
        name, in_grams = _field_of(text) if text else (None, False)
        if name is not None and name not in index:
            index[name] = i
            grams = grams or in_grams
        elif text:
            extra.append((i, _extra_key(text, i, extra)))
    unnamed = tuple(i for i, text in enumerate(texts) if not text)
    return Layout(tuple(texts), index, tuple(extra), unnamed, grams)


def _extra_key(text: str, column: int, extra: list[tuple[int, str]]) -> str:
    """The header itself, or the field a passed-on column names (品类: category);
    a second 备注 is told apart by its column letter."""
    passed = _PASSED.get(_header_key(text))
    if passed is not None and all(key != passed for _, key in extra):
        return passed
    taken = any(key == text for _, key in extra)
    return f"{text} ({get_column_letter(column + 1)}列)" if taken else text


@dataclass(frozen=True, slots=True)
class Header:
    row: int
    layout: Layout
    titles: tuple[str, ...]


def search_header(
    records: Iterable[tuple[int, list[str]]],
) -> tuple[Header | None, str | None]:
    """The first row naming every required column, else the best partial candidate.

    Also returns the first non-blank row's text (None: every row was blank).
    """
    titles: list[str] = []
    best: Header | None = None
    for number, cells in records:
        texts = [c.strip() for c in cells]
        if not any(texts):
            continue
        layout = _layout(texts)
        if layout.complete:
            return Header(number, layout, tuple(titles)), None
        if len(layout.index) > (len(best.layout.index) if best else 0):
            best = Header(number, layout, ())
        titles.append(" ".join(t for t in texts if t))
        if len(titles) >= HEADER_SEARCH_ROWS:
            break
    return best, titles[0] if titles else None


def refuse_header(name: str, found: Header | None, first: str | None) -> ManifestError:
    """The refusal of a file without a usable header row (see search_header)."""
    if first is None:
        return ManifestError(f"{name}: the file has no content, only blank lines.")
    if found is None:
        return ManifestError(
            f"{name}: no header row found in the first {HEADER_SEARCH_ROWS} non-blank "
            "lines. The manifest needs a row of column names including 运单号 "
            f"(waybill number) and 地址 (address); the first line reads {first[:80]!r}."
        )
    return _missing_columns(name, found)


def _missing_columns(name: str, found: Header) -> ManifestError:
    missing = [f for f in REQUIRED_FIELDS if f not in found.layout.index]
    accepted = "; ".join(f"{f}: {', '.join(FIELD_ALIASES[f])}" for f in missing)
    return ManifestError(
        f"{name}: the header row (row {found.row}) lacks the required column(s) "
        f"{', '.join(FIELD_ALIASES[f][0] for f in missing)}. Columns found: "
        f"{', '.join(h for h in found.layout.headers if h)}. Add the column or rename "
        f"it to an accepted name ({accepted})."
    )
