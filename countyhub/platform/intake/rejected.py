"""The rejected rows of a manifest import, given back as a file to fix and upload.

Each rejected row's cells were kept as read (on its first problem, see
:class:`~countyhub.platform.models.ImportProblem`); the file holds exactly those
rows, in file order, under the manifest's own headers, and one more column that
says what is wrong with each.  It is CSV in UTF-8 with a BOM, so that Excel and
WPS open it as Chinese text; once the cells are corrected it uploads as it is (the
reader passes the extra column on unchecked).  A reader who may upload manifests
gets the cells whole (they are its own depot's, to correct); any other reader
gets names and phone numbers masked as everywhere else.  Rows of an import made
before the cells were kept are not in the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.roles import Permission, can
from countyhub.platform.intake.imports import get_import, masked
from countyhub.platform.models import ImportProblem, User

PROBLEM_COLUMN = "错误原因 (problem)"  # the column saying what is wrong

Cells = list[list[str]]  # [header, value, field] of one row, in the file's order


@dataclass(frozen=True, slots=True)
class RejectedFile:
    """The rejected rows as a CSV file: its name, its bytes (UTF-8, BOM first) and
    how many rows it holds."""

    filename: str
    data: bytes
    rows: int


def rejected_rows_csv(session: Session, actor: User, import_id: int) -> RejectedFile:
    """The import's rejected rows as a CSV file to fix.  Raises NotFound."""
    record = get_import(session, actor, import_id)
    rows = list(_rejected_rows(session, import_id))
    headers = _headers(cells for cells, _ in rows)
    whole = can(actor, Permission.UPLOAD_MANIFESTS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*headers, PROBLEM_COLUMN])
    for cells, problem in rows:
        values = {h: v if whole else masked(f, v) for h, v, f in cells}
        writer.writerow([*(values.get(h, "") for h in headers), problem])
    stem = PurePath(record.filename).stem or "manifest"
    # the BOM: Excel and WPS then read the file as UTF-8, not the local code page
    data = out.getvalue().encode("utf-8-sig")
    return RejectedFile(f"{stem}-rejected.csv", data, len(rows))


def _rejected_rows(session: Session, import_id: int) -> Iterator[tuple[Cells, str]]:
    """Each rejected row's cells and what is wrong with it, in file order."""
    errors = session.scalars(
        select(ImportProblem)
        .where(ImportProblem.import_id == import_id)
        .where(ImportProblem.severity == "error")
        .order_by(ImportProblem.row_number, ImportProblem.id)
        .execution_options(yield_per=500)
    )
    for _, problems in groupby(errors, key=lambda p: p.row_number):
        found = list(problems)
        cells = next((p.cells for p in found if p.cells is not None), None)
        if cells is not None:
            yield cells, _what_is_wrong(cells, found)


def _what_is_wrong(cells: Cells, problems: list[ImportProblem]) -> str:
    """ "header: reason" for each problem, the field named by the file's header."""
    header_of = {f: h for h, _, f in cells if f}
    return "; ".join(
        f"{header_of.get(p.column, p.column)}: {p.reason}" for p in problems
    )


def _headers(rows: Iterable[Cells]) -> list[str]:
    """Every header of the rows, in the order first met; the problem column of a
    file that came back from here before is left out (this one replaces it)."""
    seen: dict[str, None] = {}
    for cells in rows:
        seen.update((h, None) for h, _, _ in cells if h != PROBLEM_COLUMN)
    return list(seen)
