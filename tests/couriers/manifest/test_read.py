"""Tests for countyhub.couriers.manifest.read: opening a file or a stream."""

from __future__ import annotations

import io
from pathlib import Path

from countyhub.couriers.manifest import read as read_module
from countyhub.couriers.manifest import read_manifest
from tests.couriers.manifest.files import (
    HEADER,
    PARCEL,
    XLSX_ROWS,
    csv_bytes,
    read_all,
    refused,
    save_xlsx,
    write,
)


def test_format_is_told_by_content_not_name(tmp_path: Path) -> None:
    """A workbook named .csv is read as xlsx and a CSV named .xlsx as CSV."""
    workbook = save_xlsx(tmp_path / "m.xlsx", XLSX_ROWS)
    assert (
        read_all(write(tmp_path / "w.csv", workbook.read_bytes()))[0].format == "xlsx"
    )
    assert (
        read_all(write(tmp_path / "c.xlsx", csv_bytes([HEADER, PARCEL])))[0].format
        == "csv"
    )


# -- refusals ------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    """An empty file is not a manifest."""
    assert "empty" in refused(tmp_path, b"")


def test_old_xls_is_refused(tmp_path: Path) -> None:
    """An old Excel .xls (OLE2) file is refused with: save as .xlsx or CSV."""
    message = refused(tmp_path, read_module._XLS_MAGIC + bytes(600), "m.xls")
    assert ".xlsx" in message and "CSV" in message


# -- streams and files ---------------------------------------------------------------


class Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_unseekable_stream_is_read(tmp_path: Path) -> None:
    """An upload stream that cannot seek is spooled and read; it is not closed."""
    data = save_xlsx(tmp_path / "m.xlsx", XLSX_ROWS).read_bytes()
    stream = Unseekable(data)
    manifest, rows = read_all(stream, filename="upload.xlsx")  # type: ignore[arg-type]
    assert (manifest.name, len(rows)) == ("upload.xlsx", 2)
    assert not stream.closed
    stream.close()


def test_stream_is_left_open(tmp_path: Path) -> None:
    """A caller's stream is read from where it stands and left open."""
    stream = io.BytesIO(b"junk" + csv_bytes([HEADER, PARCEL]))
    stream.seek(4)
    manifest, rows = read_all(stream)
    assert (manifest.name, manifest.size, len(rows)) == (
        "upload",
        len(stream.getvalue()) - 4,
        1,
    )
    assert not stream.closed


def test_rows_are_read_lazily(tmp_path: Path) -> None:
    """The first row comes before the file is read; close() stops the reading."""
    data = csv_bytes([HEADER, *([PARCEL] * 40000)])
    with read_manifest(write(tmp_path / "m.csv", data)) as manifest:
        rows = iter(manifest)
        assert next(rows).row_number == 2
        assert manifest.bytes_read < manifest.size / 2
        manifest.close()
        assert list(rows) == []
