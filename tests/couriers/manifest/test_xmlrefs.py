"""Tests for countyhub.couriers.manifest.xmlrefs: references XML forbids, carried."""

from __future__ import annotations

import io
import zipfile

import pytest

from countyhub.couriers.manifest import xmlrefs

XML = "<t>a&#0;b&#xD800;c&#x41;d&amp;e&#20013;f&#1;g&#x0001F600;h&#99999999;</t>"
CARRIED = (
    "<t>a\ufdd00\ufdd1b\ufdd0d800\ufdd1c&#x41;d&amp;e&#20013;f\ufdd01\ufdd1g"
    "&#x0001F600;h&#99999999;</t>"
)


def archive(parts: dict[str, str]) -> xmlrefs.RefZip:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, text in parts.items():
            target.writestr(name, text)
    return xmlrefs.RefZip(buffer)


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 11, 64 * 1024])
def test_forbidden_references_are_carried_across_chunks(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Only references XML forbids are rewritten, also when a chunk cuts them."""
    monkeypatch.setattr(xmlrefs, "CHUNK_BYTES", chunk)
    refs = archive({"sheet.xml": XML})
    assert not refs.carried
    with refs.open("sheet.xml") as part:
        assert part.read().decode() == CARRIED
    assert refs.carried


def test_other_parts_and_clean_xml_are_read_as_they_are() -> None:
    """A part that is not XML, or XML without a forbidden reference, is unchanged."""
    refs = archive({"sheet.xml": "<t>&#20013;&amp;</t>", "data.bin": XML})
    assert refs.read("sheet.xml") == b"<t>&#20013;&amp;</t>"
    assert refs.read("data.bin") == XML.encode()
    assert not refs.carried


def test_restore_gives_back_the_characters() -> None:
    """A carried reference in a cell's text is its character again."""
    assert xmlrefs.restore("a\ufdd00\ufdd1b\ufdd0d800\ufdd1c") == "a\x00b\ud800c"
    assert xmlrefs.restore("铜鼓县") == "铜鼓县"
