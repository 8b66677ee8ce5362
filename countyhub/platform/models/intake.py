"""Manifest imports and their row-level problems.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from countyhub.platform.db import Base, UTCDateTime, utcnow


class ManifestImport(Base):
    """One manifest file taken in: who, which file, and the counts of its report."""

    __tablename__ = "manifest_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(10), default="")
    encoding: Mapped[str] = mapped_column(String(20), default="")
    courier_id: Mapped[int | None] = mapped_column(ForeignKey("courier.id"))
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("depot.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    atomic: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20), default="running")
    message: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    known: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    conflicting: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    unresolved: Mapped[int] = mapped_column(Integer, default=0)


class ImportProblem(Base):
    """One row-level finding of an import: file row, column, value and reason.

    The first error of a rejected row also keeps the row's cells as read
    (``cells``: ``[header, value, field]`` in the file's columns, ``field`` the
    parcel field the header names or ""), so that the rejected rows can be given
    back as a file to fix and upload again; every other problem has none.
    """

    __tablename__ = "import_problem"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("manifest_import.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int] = mapped_column(Integer)
    severity: Mapped[str] = mapped_column(String(10))
    column: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    # none_as_null: a problem without cells is SQL NULL, not JSON null
    cells: Mapped[list[list[str]] | None] = mapped_column(JSON(none_as_null=True))
