"""Tests for countyhub.couriers.manifest.encoding: UTF-8 or GB18030, sniffed."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from countyhub.couriers.manifest import (
    SNIFF_BYTES,
    ManifestError,
    read_manifest,
    sniff_encoding,
)
from tests.couriers.manifest.files import (
    HEADER,
    PARCEL,
    csv_bytes,
    read_all,
    refused,
    write,
)


@pytest.mark.parametrize(
    ("encoding", "found"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")],
)
def test_csv_encoding_is_detected(tmp_path: Path, encoding: str, found: str) -> None:
    """UTF-8 with or without BOM and GB18030 are told apart without being told."""
    manifest, rows = read_all(
        write(tmp_path / "m.csv", csv_bytes([HEADER, PARCEL], encoding))
    )
    assert manifest.encoding == found
    assert manifest.columns["waybill"] == "运单号"
    assert (rows[0].recipient_name, rows[0].address) == ("张三", "铜鼓县永宁镇城南村")


@pytest.mark.parametrize("encoding", ["gbk", "gb2312"])
def test_gbk_and_gb2312_content_reads_as_gb18030(tmp_path: Path, encoding: str) -> None:
    """GBK and GB2312 files are decoded by GB18030, their superset."""
    manifest, rows = read_all(
        write(tmp_path / "m.csv", csv_bytes([HEADER, PARCEL], encoding))
    )
    assert manifest.encoding == "gb18030"
    assert rows[0].address == "铜鼓县永宁镇城南村"


def test_gb18030_four_byte_characters(tmp_path: Path) -> None:
    """Characters outside GBK (four-byte GB18030) survive."""
    row = [*PARCEL[:1], "𠀾𪚥", *PARCEL[2:]]
    _, rows = read_all(write(tmp_path / "m.csv", csv_bytes([HEADER, row], "gb18030")))
    assert rows[0].recipient_name == "𠀾𪚥"


def ascii_rows(count: int) -> list[list[str]]:
    return [
        [f"7361055{i:07d}", "Zhang San", "13812345678", f"Yongning Rd {i}"]
        for i in range(count)
    ]


def test_ascii_start_then_gb18030_switches_encoding(tmp_path: Path) -> None:
    """A file pure ASCII for its first 64 KiB and GB18030 later is read as GB18030."""
    head = csv_bytes([["waybill", "name", "phone", "address"], *ascii_rows(3000)])
    assert len(head) > SNIFF_BYTES
    tail = csv_bytes([["73610555599999", "李四", "13812345679", "铜鼓县温泉镇"]], "gbk")
    with read_manifest(write(tmp_path / "m.csv", head + tail)) as manifest:
        assert manifest.encoding == "utf-8"
        rows = list(manifest)
        assert manifest.encoding == "gb18030"
    assert rows[-1].address == "铜鼓县温泉镇"
    assert rows[-1].row_number == 3002
    assert not any(row.problems for row in rows)


def test_utf8_then_gbk_later_reports_the_gbk_rows(tmp_path: Path) -> None:
    """UTF-8 Chinese, then GBK after the first block: the GBK rows get a problem."""
    good = [
        [f"7361055{i:07d}", "张三", "13812345678", f"铜鼓县永宁镇{i}号"]
        for i in range(2500)
    ]
    head = csv_bytes([["运单号", "收件人", "电话", "地址"], *good])
    assert len(head) > SNIFF_BYTES
    tail = csv_bytes(
        [["73610555599999", "李四", "13812345679", "铜鼓县温泉镇新村"]], "gbk"
    )
    _, rows = read_all(write(tmp_path / "m.csv", head + tail))
    assert len(rows) == 2501
    assert not any(row.problems for row in rows[:-1])
    assert rows[-1].row_number == 2502
    assert "mixes encodings" in rows[-1].problems[0].reason


def test_a_nul_after_the_first_block_is_a_problem_of_its_row(tmp_path: Path) -> None:
    """A NUL past the first 64 KiB is a problem of its row, not of the file."""
    rows = ascii_rows(3000)
    rows[2500][3] = "Yongning\x00Rd"
    data = csv_bytes([["waybill", "name", "phone", "address"], *rows])
    assert data.index(b"\x00") > SNIFF_BYTES
    _, read = read_all(write(tmp_path / "m.csv", data))
    assert len(read) == 3000
    bad = [(r.row_number, p.column, p.value) for r in read for p in r.problems]
    assert bad == [(2502, "address", "Yongning\ufffdRd")]
    assert read[2500].address == "Yongning\ufffdRd"


def test_mixed_encodings_in_the_first_block_are_refused(tmp_path: Path) -> None:
    """UTF-8 Chinese lines followed at once by GBK lines: the file is refused."""
    data = csv_bytes([HEADER, PARCEL]) + csv_bytes([PARCEL], "gbk")
    assert "mixes encodings" in refused(tmp_path, data)


# -- refusals ------------------------------------------------------------------------


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    """Binary data is neither CSV nor xlsx."""
    data = random.Random(7).randbytes(5000)
    assert "neither a CSV" in refused(tmp_path, b"abc" + data)


def test_utf16_without_bom_is_refused_as_binary(tmp_path: Path) -> None:
    """UTF-16 text without its BOM (a NUL byte beside each ASCII one) is no CSV."""
    data = "waybill,address\n73610555582883,Yongning\n".encode("utf-16-le")
    assert "neither a CSV" in refused(tmp_path, data)


def test_utf16_is_refused(tmp_path: Path) -> None:
    """Excel's "Unicode text" (UTF-16) is refused with: save as CSV UTF-8."""
    assert "UTF-16" in refused(tmp_path, "运单号\t地址\n1\t甲村\n".encode("utf-16"))


# -- the public sniffer --------------------------------------------------------------


def test_sniff_encoding_returns_the_text_without_bom() -> None:
    """The public sniffer names the encoding and decodes the block, BOM removed."""
    data = "运单号,地址\n".encode()
    assert sniff_encoding(codecs.BOM_UTF8 + data, "r.csv", True) == (
        "utf-8-sig",
        "运单号,地址\n",
    )
    assert sniff_encoding("运单号,地址\n".encode("gbk"), "r.csv", True) == (
        "gb18030",
        "运单号,地址\n",
    )


def test_sniff_encoding_refuses_binary_with_the_name() -> None:
    """Bytes that are not text are refused by a ManifestError naming the file."""
    with pytest.raises(ManifestError, match=r"r\.csv: the file is neither"):
        sniff_encoding(b"abc\x00\x01", "r.csv", True)


def test_sniff_encoding_lets_stray_nuls_through_only_when_asked() -> None:
    """A NUL byte here and there is binary by default; with ``stray_nul`` it is
    text (the manifest reader reports the row holding it)."""
    data = b"waybill,address\n" * 4 + b"73610555582883,Yong\x00ning\n"
    with pytest.raises(ManifestError, match="neither"):
        sniff_encoding(data, "r.csv", True)
    assert sniff_encoding(data, "r.csv", True, stray_nul=True) == (
        "utf-8",
        data.decode(),
    )
