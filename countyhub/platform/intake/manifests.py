"""Taking in a depot's manifest file (CSV or XLSX) through the parcel registrar.

The file is read as a stream (``countyhub.couriers.read_manifest``) and registered
in chunks.  By default every chunk is committed as it is done, so a file of a
million rows neither holds a million rows in memory nor loses the good rows to one
bad one; this is the one service that commits, and it says so in its signature
(``commit``).  With ``atomic=True`` nothing is committed here: the first rejected
row or a file that breaks half-way raises :class:`ImportAborted` and the caller
rolls the whole file back.

A file that is not a manifest at all is refused (:class:`ManifestRefused`) before
anything is written, and so is a file with a row outside the actor's lane (a
depot clerk's file naming another courier: Forbidden).  To know that before the
first chunk is committed, such an actor's file is read twice: once for the lane,
once to import it.  Each problem goes to the database; a rejected row's first one
also keeps the row's cells, to give the rejected rows back as a file
(:mod:`countyhub.platform.intake.rejected`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import insert
from sqlalchemy.orm import Session

from countyhub.couriers import (
    Manifest,
    ManifestError,
    ManifestRow,
    UnknownCourier,
    read_manifest,
)
from countyhub.platform.accounts.roles import Permission, require
from countyhub.platform.db import utcnow
from countyhub.platform.errors import ImportAborted, ManifestRefused
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import (
    ImportState,
    Outcome,
    Problem,
    Result,
    rejected_cells,
)
from countyhub.platform.models import Depot, ImportProblem, ManifestImport, User

RESULTS = tuple(Result)
KEPT_PROBLEMS = 1000  # problems kept in memory for the report; all go to the database
Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    """The outcome of one file: counts per result and the row-level problems."""

    filename: str
    import_id: int | None = None
    state: str = ImportState.RUNNING
    message: str = ""
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RESULTS, 0))
    unresolved: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def rejected(self) -> int:
        return self.counts[Result.REJECTED]

    def add(self, outcomes: Iterable[Outcome]) -> list[Problem]:
        found = []
        for out in outcomes:
            self.rows += 1
            self.counts[out.result] += 1
            self.unresolved += out.resolved is False and out.result != Result.REJECTED
            found.extend(out.problems)
        self.problem_count += len(found)
        room = KEPT_PROBLEMS - len(self.problems)
        self.problems.extend(found[: max(room, 0)])
        return found


def import_manifest(
    session: Session,
    actor: User,
    source: Path | BinaryIO,
    *,
    filename: str | None = None,
    courier: str | None = None,
    depot: Depot | None = None,
    atomic: bool = False,
    commit: bool = True,
    progress: Progress | None = None,
    chunk_rows: int = 5000,
) -> ImportReport:
    """Import one manifest file.  Raises ManifestRefused, ImportAborted, Forbidden
    (a row outside the actor's lane: then nothing is written)."""
    require(
        actor,
        Permission.UPLOAD_MANIFESTS,
        "a depot clerk, a dispatcher or an admin imports manifests",
    )
    name = filename or getattr(source, "name", None) or "upload"
    name = Path(str(name)).name
    with ExitStack() as stack:
        source = _rereadable(source, stack)
        registrar, manifest = _open_in_lane(
            session, actor, source, name, courier, depot
        )
        stack.enter_context(manifest)
        record = _start(session, actor, manifest, name, registrar, atomic)
        registrar.import_id = record.id
        report = ImportReport(name, import_id=record.id)
        chunks = _chunks(manifest, chunk_rows)
        _run(
            session,
            record,
            report,
            registrar,
            manifest.columns,
            chunks,
            atomic,
            commit and not atomic,
            lambda: progress and progress(manifest.bytes_read, manifest.size),
        )
        # A CSV that starts in ASCII may turn out to be GB18030 further down.
        record.encoding = manifest.encoding or ""
    return report


def _read(source: Path | BinaryIO, name: str) -> Manifest:
    try:
        return read_manifest(source, filename=name)
    except ManifestError as exc:
        raise ManifestRefused(str(exc)) from None


def _rereadable(source: Path | BinaryIO, stack: ExitStack) -> Path | BinaryIO:
    """``source``, or a copy of a stream that cannot seek (closed with ``stack``)."""
    if isinstance(source, (str, os.PathLike)) or source.seekable():
        return source
    spool = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 - it is one
    shutil.copyfileobj(source, spool)
    spool.seek(0)
    return spool  # type: ignore[return-value]


def _open_in_lane(
    session: Session,
    actor: User,
    source: Path | BinaryIO,
    name: str,
    courier: str | None,
    depot: Depot | None,
) -> tuple[Registrar, Manifest]:
    """The registrar and the opened file, once no row is outside the actor's lane.

    Raises Forbidden naming the rule and the rows, before anything is written.
    """
    start = None if isinstance(source, (str, os.PathLike)) else source.tell()
    manifest = _read(source, name)
    try:
        registrar = _registrar(session, actor, manifest, name, courier, depot)
        if not registrar.lane_bound(rows_name_couriers=manifest.has_courier_column):
            return registrar, manifest
        registrar.refuse_outside_lane(_rows_until_broken(manifest))
    except BaseException:
        manifest.close()
        raise
    manifest.close()
    if start is not None:
        source.seek(start)  # type: ignore[union-attr]
    return registrar, _read(source, name)


def _rows_until_broken(manifest: Manifest) -> Iterator[tuple[int, ManifestRow]]:
    """The file's numbered rows up to where it breaks (the import reports that)."""
    try:
        for row in manifest:
            yield row.row_number, row
    except ManifestError:
        return


def _registrar(
    session: Session,
    actor: User,
    manifest: Manifest,
    name: str,
    courier: str | None,
    depot: Depot | None,
) -> Registrar:
    if not manifest.has_courier_column and not (courier or depot or actor.depot):
        raise ManifestRefused(
            f"{name}: the file has no 快递公司 (courier) column; "
            "name the courier of the whole file (--courier CODE)"
        )
    try:
        return Registrar(session, actor, depot=depot, courier=courier)
    except UnknownCourier as exc:
        raise ManifestRefused(f"{name}: {exc}") from None


def _start(
    session: Session,
    actor: User,
    manifest: Manifest,
    name: str,
    registrar: Registrar,
    atomic: bool,
) -> ManifestImport:
    fixed = registrar.fixed_courier
    record = ManifestImport(
        filename=name,
        file_format=manifest.format,
        encoding=manifest.encoding or "",
        actor_id=actor.id,
        atomic=atomic,
        depot_id=registrar.depot.id if registrar.depot else None,
        courier_id=registrar.couriers.get(fixed.code) if fixed else None,
    )
    session.add(record)
    session.flush()
    return record


def _chunks(
    rows: Iterable[ManifestRow], size: int
) -> Iterator[list[tuple[int, ManifestRow]]]:
    """The file's rows in lists of ``size``; a ManifestRow reads as a ParcelInput."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield [(row.row_number, row) for row in chunk]


def _run(
    session: Session,
    record: ManifestImport,
    report: ImportReport,
    registrar: Registrar,
    columns: dict[str, str],
    chunks: Iterator[list[tuple[int, ManifestRow]]],
    atomic: bool,
    commit: bool,
    tick: Callable[[], object],
) -> None:
    if commit:
        session.commit()
    try:
        for chunk in chunks:
            outcomes = registrar.register(chunk)
            found = report.add(outcomes)
            _save_problems(
                session, record.id, found, rejected_cells(columns, chunk, outcomes)
            )
            if atomic and report.rejected:
                raise ImportAborted(
                    f"{report.filename}: {report.rejected} rows rejected; the import "
                    "is all-or-nothing, so nothing was imported",
                    report,
                )
            _finish(record, report, ImportState.RUNNING)
            if commit:
                session.commit()
            tick()
    except ManifestError as exc:
        report.message = str(exc)
        if atomic:
            raise ImportAborted(
                f"{exc}; the import is all-or-nothing, so nothing was imported",
                report,
            ) from None
        _finish(record, report, ImportState.FAILED)
        return
    _finish(record, report, ImportState.DONE)


def _finish(record: ManifestImport, report: ImportReport, state: str) -> None:
    report.state = record.state = state
    record.message = report.message
    record.rows, record.new, record.known = (
        report.rows,
        report.counts[Result.NEW],
        report.counts[Result.KNOWN],
    )
    record.updated, record.conflicting = (
        report.counts[Result.UPDATED],
        report.counts[Result.CONFLICT],
    )
    record.rejected, record.unresolved = report.rejected, report.unresolved
    if state != ImportState.RUNNING:
        record.finished_at = utcnow()


def _save_problems(
    session: Session,
    import_id: int,
    problems: list[Problem],
    rejected: dict[int, list[list[str]]],
) -> None:
    """Store the problems; a rejected row's first error keeps its cells."""
    if problems:
        session.execute(
            insert(ImportProblem),
            [
                {
                    "import_id": import_id,
                    "row_number": p.row,
                    "severity": p.severity,
                    "column": p.column[:60],
                    "value": p.value[:500],
                    "reason": p.reason,
                    "cells": rejected.pop(p.row, None)
                    if p.severity == "error"
                    else None,
                }
                for p in problems
            ],
        )
