"""Character references that XML forbids, carried through openpyxl into the cells.

A workbook's XML may refer to a character that XML 1.0 does not allow: NUL
(``&#0;``), another control character, or half of a UTF-16 surrogate pair
(``&#55296;``, which openpyxl itself writes for a str holding one).  The XML parser
stops at the first such reference, so one bad cell would lose the whole file.
:class:`RefZip` reads the workbook's XML parts through a filter that writes each of
them as a marked run of text the parser takes; :func:`restore` turns the run in a
cell's text back into its character, which the reader then judges as it judges any
cell (:mod:`.cells`).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO, TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# Unicode noncharacters, kept for a program's own use: no cell holds them.
MARK_START, MARK_END = "\ufdd0", "\ufdd1"
CHUNK_BYTES = 64 * 1024  # bytes of a part filtered at a time

_REF = re.compile(rb"&#(?:x([0-9A-Fa-f]{1,8})|([0-9]{1,8}));")
_LONGEST_REF = len(b"&#x12345678;")
_CARRIED = re.compile(f"{MARK_START}([0-9a-f]{{1,6}}){MARK_END}")


def _xml_char(code: int) -> bool:
    """Whether XML 1.0 allows the character (its production ``Char``)."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _carry(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if code > 0x10FFFF or _xml_char(code):
        return match[0]  # allowed, or no character at all (the parser says so)
    return f"{MARK_START}{code:x}{MARK_END}".encode()


def restore(text: str) -> str:
    """``text`` (a cell) with each carried reference back as its character."""
    if MARK_START not in text:
        return text
    return _CARRIED.sub(lambda match: chr(int(match[1], 16)), text)


class RefZip(zipfile.ZipFile):
    """A workbook archive whose XML parts are read with forbidden references carried.

    ``carried`` is set once a part read so far held one.
    """

    carried = False

    def open(
        self,
        name: str | zipfile.ZipInfo,
        mode: Literal["r", "w"] = "r",
        pwd: bytes | None = None,
        *,
        force_zip64: bool = False,
    ) -> IO[bytes]:
        part = super().open(name, mode, pwd, force_zip64=force_zip64)
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        if mode != "r" or not filename.lower().endswith(".xml"):
            return part
        return io.BufferedReader(_Carried(part, self))


class _Carried(io.RawIOBase):
    """An XML part read through the filter, a chunk at a time."""

    def __init__(self, part: IO[bytes], archive: RefZip) -> None:
        self._part, self._archive = part, archive
        self._held = b""  # a chunk's end that may be a reference cut in two
        self._out = bytearray()
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while not self._out and not self._ended:
            self._fill()
        with memoryview(buffer).cast("B") as view:
            size = min(len(view), len(self._out))
            view[:size] = self._out[:size]
        del self._out[:size]
        return size

    def _fill(self) -> None:
        chunk = self._part.read(CHUNK_BYTES)
        data, self._ended = self._held + chunk, not chunk
        cut = len(data) if self._ended else _uncut(data)
        self._held = data[cut:]
        self._out += self._filter(data[:cut])

    def _filter(self, data: bytes) -> bytes:
        if b"&#" not in data:
            return data
        carried = _REF.sub(_carry, data)
        if carried != data:
            self._archive.carried = True
        return carried

    def close(self) -> None:
        if not self.closed:
            self._part.close()
        super().close()


def _uncut(data: bytes) -> int:
    """Where ``data`` ends before a reference its end may cut in two."""
    start = data.rfind(b"&", max(len(data) - _LONGEST_REF + 1, 0))
    return start if start >= 0 and b";" not in data[start:] else len(data)
