"""Manifest imports as the API and the web show them: upload a file, read its report
and its row-level problems.

The import itself is :func:`countyhub.platform.intake.manifests.import_manifest`, which
commits chunk by chunk unless the upload is atomic; :func:`upload_manifest` only
names the depot by code and reads the report back.  A depot clerk sees the imports
of their own depot; admins, dispatchers and analysts see every import.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TypeVar

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.roles import Permission, can, require
from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.intake.manifests import import_manifest
from countyhub.platform.models import (
    Courier,
    Depot,
    ImportProblem,
    ManifestImport,
    User,
)
from countyhub.platform.privacy import mask_name, mask_phone

FIRST_PROBLEMS = 20  # problems shown with a report; the rest are listed in pages
MAX_FILENAME = 255  # ManifestImport.filename
_Coded = TypeVar("_Coded", Depot, Courier)
# A mainland mobile number anywhere in a problem's value (a cell read with bad
# bytes, a runaway quote spanning rows): masked like every recipient's phone.
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@dataclass(frozen=True, slots=True)
class ManifestUpload:
    """An uploaded manifest file and how to take it in."""

    file: BinaryIO
    filename: str
    courier: str | None = None
    depot: str | None = None
    atomic: bool = False


@dataclass(frozen=True, slots=True)
class ImportView:
    """One import's report: what was read, the counts, the first problems."""

    id: int
    filename: str
    format: str
    encoding: str
    state: str
    message: str
    atomic: bool
    depot: str | None
    courier: str | None
    actor: str | None
    started_at: dt.datetime  # in Asia/Shanghai
    finished_at: dt.datetime | None
    rows: int
    counts: dict[str, int]
    unresolved: int
    problem_count: int = 0
    problems: list[ProblemView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ProblemView:
    """A row-level problem as shown: recipients' names and phones masked."""

    id: int
    row: int
    column: str
    value: str
    reason: str
    severity: str


def masked(column: str, value: str) -> str:
    """``value`` (of the field or header ``column``) with any recipient's name or
    phone number in it masked."""
    if column == "recipient_name":
        value = mask_name(value)
    elif column == "recipient_phone":
        value = mask_phone(value)
    return _MOBILE.sub(lambda m: mask_phone(m[0]), value)


def view_problem(problem: ImportProblem) -> ProblemView:
    """``problem`` with any name or phone number in its value masked."""
    return ProblemView(
        problem.id,
        problem.row_number,
        problem.column,
        masked(problem.column, problem.value),
        problem.reason,
        problem.severity,
    )


def upload_manifest(
    session: Session, actor: User, upload: ManifestUpload
) -> ImportView:
    """Import an uploaded file; chunks are committed unless ``atomic``.
    Raises ManifestRefused, ImportAborted, Forbidden, InvalidInput."""
    require(
        actor,
        Permission.UPLOAD_MANIFESTS,
        "a depot clerk, a dispatcher or an admin uploads manifests",
    )
    report = import_manifest(
        session,
        actor,
        upload.file,
        filename=_short_name(upload.filename),
        courier=upload.courier,
        depot=_depot(session, upload.depot),
        atomic=upload.atomic,
    )
    record = session.get(ManifestImport, report.import_id)
    assert record is not None  # import_manifest created it in this session
    return view_import(session, record, problems=True)


def _short_name(name: str) -> str:
    base = re.split(r"[\\/]", name)[-1] or "upload"  # a Windows path too
    return base[-MAX_FILENAME:]


def _depot(session: Session, code: str | None) -> Depot | None:
    if code is None:
        return None
    depot = session.scalar(select(Depot).where(Depot.code == code))
    if depot is None:
        raise InvalidInput(f"no depot has the code {code!r}", {"depot": "unknown"})
    return depot


def visible_imports(actor: User) -> ColumnElement[bool] | None:
    """A WHERE clause for the imports ``actor`` may read; None: all of them."""
    if can(actor, Permission.SEE_ALL_IMPORTS):
        return None
    if can(actor, Permission.READ_IMPORTS) and actor.depot_id is not None:
        return ManifestImport.depot_id == actor.depot_id
    return false()


def imports_query(actor: User) -> Select[Any]:
    """The imports ``actor`` may read (unordered)."""
    query = select(ManifestImport)
    scope = visible_imports(actor)
    return query if scope is None else query.where(scope)


def get_import(session: Session, actor: User, import_id: int) -> ManifestImport:
    """The import with that id, if ``actor`` may read it.  Raises NotFound."""
    record = session.scalar(imports_query(actor).where(ManifestImport.id == import_id))
    if record is None:
        raise NotFound("manifest import", import_id)  # outside one's scope: hidden
    return record


def import_report(session: Session, actor: User, import_id: int) -> ImportView:
    """The report of one import with its first problems.  Raises NotFound."""
    return view_import(session, get_import(session, actor, import_id), problems=True)


def import_problems_query(
    actor: User, import_id: int, severity: str | None = None
) -> Select[Any]:
    """The row-level problems of one import that ``actor`` may read (unordered)."""
    query = (
        select(ImportProblem)
        .join(ManifestImport, ImportProblem.import_id == ManifestImport.id)
        .where(ImportProblem.import_id == import_id)
    )
    scope = visible_imports(actor)
    if scope is not None:
        query = query.where(scope)
    if severity is not None:
        query = query.where(ImportProblem.severity == severity)
    return query


def view_import(
    session: Session, record: ManifestImport, *, problems: bool = False
) -> ImportView:
    """The report of ``record``; with ``problems``, the count and the first ones."""
    found = _problems(session, record.id) if problems else (0, [])
    return ImportView(
        id=record.id,
        filename=record.filename,
        format=record.file_format,
        encoding=record.encoding,
        state=record.state,
        message=record.message,
        atomic=record.atomic,
        depot=_code(session, Depot, record.depot_id),
        courier=_code(session, Courier, record.courier_id),
        actor=_username(session, record.actor_id),
        started_at=record.started_at.astimezone(LOCAL_TZ),
        finished_at=record.finished_at and record.finished_at.astimezone(LOCAL_TZ),
        rows=record.rows,
        counts=_counts(record),
        unresolved=record.unresolved,
        problem_count=found[0],
        problems=found[1],
    )


def _counts(record: ManifestImport) -> dict[str, int]:
    return {
        "new": record.new,
        "known": record.known,
        "updated": record.updated,
        "conflict": record.conflicting,
        "rejected": record.rejected,
    }


def _problems(session: Session, import_id: int) -> tuple[int, list[ProblemView]]:
    where = ImportProblem.import_id == import_id
    count = session.scalar(select(func.count()).select_from(ImportProblem).where(where))
    first = session.scalars(
        select(ImportProblem)
        .where(where)
        .order_by(ImportProblem.id)
        .limit(FIRST_PROBLEMS)
    )
    return count or 0, [view_problem(p) for p in first]


def _code(session: Session, model: type[_Coded], row_id: int | None) -> str | None:
    row = session.get(model, row_id) if row_id is not None else None
    return row.code if row is not None else None


def _username(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id is not None else None
    return user.username if user is not None else None
