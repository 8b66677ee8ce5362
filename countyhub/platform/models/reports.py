"""The province report: its versions, the outbox that delivers each, the attempts.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.  A report
version is never changed once stored: rebuilding a month makes a new version
(:mod:`countyhub.platform.reports.versions`).  Its outbox row is written in the
same transaction and carries the delivery's state (a
:class:`~countyhub.platform.reports.states.DeliveryState`); each try to send it
leaves an attempt (:mod:`countyhub.platform.reports.outbox`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from countyhub.platform.db import Base, UTCDateTime, utcnow
from countyhub.platform.models.accounts import User
from countyhub.platform.models.county import County

ANSWER_CHARS = 500  # of an answer, or of an error, kept with its attempt


class Report(Base):
    """One version of a month's report: its content as JSON, the SHA-256 of the
    content's canonical JSON, who built it and when."""

    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("county_id", "month", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("county.id"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the month
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))  # hex
    schema_version: Mapped[str] = mapped_column(String(20))
    built_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    county: Mapped[County] = relationship()
    built_by: Mapped[User | None] = relationship()
    outbox: Mapped[ReportOutbox | None] = relationship(back_populates="report")


class ReportOutbox(Base):
    """The delivery of one report version to the province, until it is
    acknowledged or needs a person.  ``attempts`` counts the claims; it is also
    the row's version for compare-and-set."""

    __tablename__ = "report_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), unique=True)
    webhook_id: Mapped[str] = mapped_column(String(80), unique=True)
    state: Mapped[str] = mapped_column(
        String(20), default="pending", index=True
    )  # DeliveryState
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # None: due at once (pending), or not again (delivered, failed)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(ANSWER_CHARS))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="outbox")
    attempt_log: Mapped[list[ReportAttempt]] = relationship(
        back_populates="outbox", order_by="ReportAttempt.id"
    )


class ReportAttempt(Base):
    """One try to send: when, the province's status code (None: no answer), the
    start of its answer or of the error, how long it took (seconds)."""

    __tablename__ = "report_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("report_outbox.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None] = mapped_column(Integer)
    answer: Mapped[str] = mapped_column(String(ANSWER_CHARS), default="")
    duration_s: Mapped[float | None] = mapped_column(Float)

    outbox: Mapped[ReportOutbox] = relationship(back_populates="attempt_log")
