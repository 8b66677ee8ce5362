"""Idempotency keys: the stored first answer to a retried request.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from countyhub.platform.db import Base, UTCDateTime, utcnow


class IdempotencyKey(Base):
    """A client's Idempotency-Key and the first response given to its request.

    Scoped to the acting user; see :mod:`countyhub.platform.idempotency`.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10), default="running")
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
