"""A report version as a file: its canonical JSON, a workbook or a PDF.

JSON is the canonical JSON of the stored content: the very bytes that were
hashed (``content_hash``) and sent to the province, so anyone can check them.
The workbook and the PDF are laid out by :mod:`countyhub.platform.reports.xlsx`
and :mod:`countyhub.platform.reports.pdf` from the same content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import Report
from countyhub.platform.reports.canonical import canonical_json


@dataclass(frozen=True, slots=True)
class Export:
    """A version in one format: its bytes, media type and a file name."""

    body: bytes
    media_type: str
    filename: str


FORMATS = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export_report(report: Report, fmt: str) -> Export:
    """``report`` as ``json`` (its canonical JSON: the bytes hashed and sent),
    ``xlsx`` or ``pdf``.  Raises InvalidInput for another format."""
    if fmt not in FORMATS:
        raise InvalidInput(
            f"format {fmt!r} is not one of {', '.join(FORMATS)}",
            {"format": "json, xlsx or pdf"},
        )
    name = f"report-{report.county.code}-{report.month}-v{report.version}.{fmt}"
    if fmt == "json":  # the very bytes hashed and sent
        return Export(canonical_json(report.content), FORMATS[fmt], name)
    # a person's copy says which version it is
    shown = {**report.content, "version": report.version}
    return Export(_render(shown, fmt), FORMATS[fmt], name)


def _render(content: dict[str, Any], fmt: str) -> bytes:
    if fmt == "json":
        return canonical_json(content)
    if fmt == "xlsx":
        # openpyxl is heavy: loaded only when a workbook is asked for
        from countyhub.platform.reports.xlsx import report_xlsx

        return report_xlsx(content)
    # the PDF writer and its fonts are heavy: loaded only when a PDF is asked for
    from countyhub.platform.reports.pdf import report_pdf

    return report_pdf(content)
