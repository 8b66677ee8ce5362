"""The audit trail: who changed which administrative record, when, and how.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.  Append-only: a
database trigger refuses UPDATE and DELETE, as for parcel events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from countyhub.platform.db import Base, UTCDateTime, utcnow
from countyhub.platform.models.accounts import User


class AuditEntry(Base):
    """One administrative change: its action (``user.update`` …), the record it
    touched and its fields as ``{name: [before, after]}`` (never a secret)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_kind: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
