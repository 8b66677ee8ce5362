"""Tests for countyhub.couriers.manifest.header: column names and the header row."""

from __future__ import annotations

from pathlib import Path

import pytest

from countyhub.couriers import manifest
from countyhub.couriers.manifest import FIELD_ALIASES, GRAM_WEIGHT_HEADERS
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
