"""The bytes of a CSV manifest as text: UTF-8 or GB18030, found and then streamed.

The first block decides the encoding (or refuses the file) in :func:`sniff_encoding`,
public because other uploaded text files are sniffed the same way; :class:`Decoded`
then turns the rest into lines a chunk at a time, in flat memory.
"""

from __future__ import annotations

import codecs
import io
import itertools
import re
from collections.abc import Iterator
from typing import BinaryIO

from .model import ManifestError

CHUNK_BYTES = 256 * 1024  # CSV bytes read at a time after the first block

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # CJK ideographs (BMP)
# Control bytes never occur in UTF-8 or GB18030 text (tab, CR, LF, VT, FF, ^Z may).
_BINARY = re.compile(rb"[\x01-\x08\x0e-\x19\x1b-\x1f]")
# NUL neither, but a broken export may leave one in a cell: up to one NUL byte in
# this many is text with stray NULs.  UTF-16 or UTF-32 text without its BOM has far
# more (one or three beside each ASCII character), and so has binary data.
_STRAY_NUL = 20


def _decoder(encoding: str, errors: str = "strict") -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder(encoding)(errors)


def sniff_encoding(
    head: bytes, name: str, final: bool, *, stray_nul: bool = False
) -> tuple[str, str]:
    """Decide the encoding from the first block; return it and the decoded text.

    Parameters
    ----------
    head : bytes
        The first block of the file (the manifest reader takes 64 KiB), or all of it.
    name : str
        The file name used in messages.
    final : bool
        Whether ``head`` is the whole file; if not, a character cut off at its end
        is left undecoded rather than taken for an error.
    stray_nul : bool, default False
        Take a NUL byte here and there for text (the manifest reader reports the
        row that holds it) rather than for binary data; many are binary either way.

    Returns
    -------
    encoding : {"utf-8", "utf-8-sig", "gb18030"}
    text : str
        ``head`` decoded, without the BOM.

    Raises
    ------
    ManifestError
        The bytes are binary or UTF-16, mix UTF-8 and another encoding, or are
        neither UTF-8 nor GB18030.
    """
    _refuse_binary(head, name, stray_nul)
    bom = head.startswith(codecs.BOM_UTF8)
    body = head[len(codecs.BOM_UTF8) :] if bom else head
    try:
        text = _decoder("utf-8").decode(body, final)
    except UnicodeDecodeError as exc:
        # GBK bytes pass for UTF-8 only briefly and never as Chinese characters.
        if bom or len(_CJK.findall(body[: exc.start].decode())) >= 2:
            raise _mixed(name, body, exc.start) from None
    else:
        if bom or text.isascii() or _CJK.search(text) or not _gb_chinese(head, final):
            return ("utf-8-sig" if bom else "utf-8"), text
    return "gb18030", _gb18030_text(head, name, final)


def _refuse_binary(head: bytes, name: str, stray_nul: bool) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ManifestError(
            f"{name}: the file is UTF-16 text (Excel's \"Unicode "
            'text"); save it as CSV UTF-8 or as .xlsx.'
        )
    nuls = head.count(b"\x00")
    stray = stray_nul and nuls * _STRAY_NUL <= len(head)
    if _BINARY.search(head) or (nuls and not stray):
        raise ManifestError(
            f"{name}: the file is neither a CSV text file nor an "
            ".xlsx workbook; upload the manifest as .xlsx or CSV."
        )


def _gb18030_text(head: bytes, name: str, final: bool) -> str:
    try:
        return _decoder("gb18030").decode(head, final)
    except UnicodeDecodeError:
        raise ManifestError(
            f"{name}: the file is not text in UTF-8 or GB18030 (GBK); "
            "save it as CSV UTF-8 or as .xlsx."
        ) from None


def _mixed(name: str, body: bytes, failed_at: int) -> ManifestError:
    line = body.count(b"\n", 0, failed_at) + 1
    return ManifestError(
        f"{name}: line {line} is not UTF-8 although the lines before it are: the "
        "file mixes encodings. Save the whole file again as CSV UTF-8 and upload "
        "it again."
    )


def _gb_chinese(head: bytes, final: bool) -> bool:
    """Whether the block reads as Chinese in GB18030 (it read as UTF-8 without any)."""
    try:
        return bool(_CJK.search(_decoder("gb18030").decode(head, final)))
    except UnicodeDecodeError:
        return False


class Decoded:
    """The CSV bytes as text lines, read a chunk at a time.

    A file whose first block is pure ASCII starts as UTF-8 and turns GB18030 at the
    first chunk that is not UTF-8 (ASCII is the same in both). Bytes that fit neither
    the chosen encoding are replaced by U+FFFD and ``damaged`` is set, so the rows
    holding them can be reported rather than the whole file lost half-way.
    ``nul`` is set once the text holds a NUL, the one character these decoders give
    that no database stores (neither decodes a lone surrogate).
    """

    def __init__(self, file: BinaryIO, head: bytes, encoding: str) -> None:
        self._file, self._head = file, head
        self.encoding = encoding
        self.bytes_read = 0
        self.damaged = False
        self.nul = False
        self._ascii = encoding == "utf-8"
        self._decoder = _decoder(encoding)

    def lines(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._batches())

    def _batches(self) -> Iterator[list[str]]:
        pending = ""
        for text in self._texts():
            # Split as universal newlines do (\\r\\n, \\n, \\r), keeping the endings
            # for csv; the last line may be incomplete (or a \\r whose \\n follows).
            lines = io.StringIO(pending + text, newline="").readlines()
            pending = lines.pop() if lines else ""
            yield lines
        if pending:
            yield [pending]

    def _texts(self) -> Iterator[str]:
        data, self._head = self._head, b""
        while data:
            self.bytes_read += len(data)
            yield self._decode(data, final=False)
            data = self._file.read(CHUNK_BYTES)
        yield self._decode(b"", final=True)

    def _decode(self, data: bytes, final: bool) -> str:
        state = self._decoder.getstate()
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            text = self._recover(state, data, final, exc.start)
        if self._ascii and not text.isascii():
            self._ascii = False
        if "\x00" in text:
            self.nul = True
        return text

    def _recover(
        self, state: tuple[bytes, int], data: bytes, final: bool, failed_at: int
    ) -> str:
        if self._ascii and (state[0] + data)[:failed_at].isascii():
            self.encoding, self._ascii = "gb18030", False
            self._decoder, data = _decoder("gb18030"), state[0] + data
            state = self._decoder.getstate()
            try:
                return self._decoder.decode(data, final)
            except UnicodeDecodeError:
                pass
        self.damaged = True
        self._decoder = _decoder(self.encoding, "replace")
        self._decoder.setstate(state)
        return self._decoder.decode(data, final)
