"""Tests for countyhub.couriers.manifest.header: column names and the header row."""

from __future__ import annotations

from pathlib import Path

import pytest

from countyhub.couriers import manifest
from countyhub.couriers.manifest import FIELD_ALIASES, GRAM_WEIGHT_HEADERS
from countyhub.couriers.manifest.header import PASSED_ALIASES
from tests.couriers.manifest.files import (
    csv_bytes,
    read_all,
    refused,
    write,
)

ALIASES = [(f, alias) for f, aliases in FIELD_ALIASES.items() for alias in aliases]


@pytest.mark.parametrize(("name", "alias"), ALIASES)
def test_every_alias_names_its_field(tmp_path: Path, name: str, alias: str) -> None:
    """Each documented header name is recognised as its field."""
    header = {"waybill": "运单号", "address": "地址", name: alias}
    data = csv_bytes([list(header.values()), ["1"] * len(header)])
    manifest, _ = read_all(write(tmp_path / "m.csv", data))
    assert manifest.columns[name] == alias


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Waybill_No", "waybill"),
        ("WAYBILL NUMBER", "waybill"),
        ("Tracking-Number", "waybill"),
        ("tracking_number", "waybill"),
        ("*运单号", "waybill"),
        ("收件人（必填）", "recipient_name"),
        ("重量(kg)", "weight_kg"),
        ("重量（千克）", "weight_kg"),
        ("重量/kg", "weight_kg"),
        ("重量(公斤)", "weight_kg"),
        ("Weight (KG)", "weight_kg"),
        ("weight_kg", "weight_kg"),
        ("Ｗｅｉｇｈｔ（ｋｇ）", "weight_kg"),
        ("件数(件)", "pieces"),
        ("Recipient_Phone", "recipient_phone"),
    ],
)
def test_header_variants(tmp_path: Path, header: str, name: str) -> None:
    """Case, width, spaces, underscores, brackets, units and 必填 do not matter."""
    headers = {"waybill": "运单号", "address": "地址", name: header}
    data = csv_bytes([list(headers.values()), ["1"] * len(headers)])
    manifest, _ = read_all(write(tmp_path / "m.csv", data))
    assert manifest.columns[name] == header


PASSED = [(f, a) for f, aliases in PASSED_ALIASES.items() for a in aliases]


@pytest.mark.parametrize(("name", "alias"), PASSED)
def test_a_passed_column_reaches_extra_under_its_field(
    tmp_path: Path, name: str, alias: str
) -> None:
    """A category column (品类 …) is passed on unchecked, under the field's name."""
    rows = [["运单号", "地址", alias, "备注"], ["1", "永宁镇", " 水果 ", "易碎"]]
    manifest, (row,) = read_all(write(tmp_path / "m.csv", csv_bytes(rows)))
    assert row.extra == {name: "水果", "备注": "易碎"}
    assert name not in manifest.columns  # not a checked field


def test_a_second_category_column_keeps_its_header(tmp_path: Path) -> None:
    """Only the first category column is the category; a second is another extra."""
    rows = [["运单号", "地址", "Category", "品类"], ["1", "永宁镇", "tea", "其他"]]
    _, (row,) = read_all(write(tmp_path / "m.csv", csv_bytes(rows)))
    assert row.extra == {"category": "tea", "品类": "其他"}


@pytest.mark.parametrize("header", ["品名", "物品名称", "托寄物", "类别"])
def test_a_goods_column_is_no_category(tmp_path: Path, header: str) -> None:
    """What a depot's inbound file says of the goods keeps its own header."""
    rows = [["运单号", "地址", header], ["1", "永宁镇", "衣服"]]
    _, (row,) = read_all(write(tmp_path / "m.csv", csv_bytes(rows)))
    assert row.extra == {header: "衣服"}


def test_module_docstring_documents_every_header() -> None:
    """The user-facing spec lists every accepted header name."""
    doc = manifest.__doc__ or ""
    missing = [a for _, a in ALIASES if a not in doc]
    missing += [h for h in GRAM_WEIGHT_HEADERS if h not in doc]
    assert missing == []


# -- refusals ------------------------------------------------------------------------


def test_no_header_is_refused(tmp_path: Path) -> None:
    """A CSV whose columns are not a manifest's is refused, quoting its first line."""
    message = refused(tmp_path, b"foo,bar,baz\n1,2,3\n")
    assert "no header row" in message and "foo" in message


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    """A header without an address column names what is missing and what was found."""
    message = refused(
        tmp_path, csv_bytes([["单号", "收件人", "电话"], ["1", "张三", "1"]])
    )
    assert "lacks the required column(s) 地址" in message
    assert "单号, 收件人, 电话" in message
