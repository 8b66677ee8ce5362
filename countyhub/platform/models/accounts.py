"""People and machines: the role labels, users and their API keys.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from countyhub.platform.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from countyhub.platform.models.county import Depot, ServicePoint


class RoleLabel(Base):
    """A role's names in Chinese and English (the roles themselves:
    :class:`countyhub.platform.accounts.roles.Role`)."""

    __tablename__ = "role"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(40))


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role_code: Mapped[str] = mapped_column(ForeignKey("role.code"), index=True)
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("depot.id"))
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_point.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    role_label: Mapped[RoleLabel] = relationship()
    depot: Mapped[Depot | None] = relationship()
    service_point: Mapped[ServicePoint | None] = relationship()


class ApiKey(Base):
    """A machine's key; only its SHA-256 is stored, looked up by its public prefix."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class UserSession(Base):
    """A person's login; the cookie carries a random token of which only the
    SHA-256 is stored.  Logging out, a password change or deactivation end it."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
