"""Parcels and their append-only events.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from countyhub.platform.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from countyhub.platform.models.accounts import User
    from countyhub.platform.models.county import Courier, Depot, ServicePoint, Village


class Parcel(Base):
    """A parcel, recorded once per courier and waybill number."""

    __tablename__ = "parcel"
    __table_args__ = (
        UniqueConstraint("courier_id", "waybill_no"),
        Index("ix_parcel_point_status", "service_point_id", "status"),
        # Public tracking and scanners look parcels up by number alone.
        Index("ix_parcel_waybill_no", "waybill_no"),
        # The parcels one store of the registrar inserted (see platform.intake).
        Index("ix_parcel_intake_batch", "intake_batch"),
        # A pickup code identifies one parcel among those waiting at its point.
        Index(
            "uq_parcel_waiting_pickup_code",
            "service_point_id",
            "pickup_code",
            unique=True,
            sqlite_where=text("status = 'arrived'"),
            postgresql_where=text("status = 'arrived'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    courier_id: Mapped[int] = mapped_column(ForeignKey("courier.id"))
    waybill_no: Mapped[str] = mapped_column(String(40))
    waybill_raw: Mapped[str] = mapped_column(String(80))
    direction: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), index=True)
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("depot.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_point.id"))
    address: Mapped[str] = mapped_column(Text)
    address_state: Mapped[str] = mapped_column(String(12), index=True)
    address_note: Mapped[str] = mapped_column(Text, default="")
    recipient_name: Mapped[str] = mapped_column(String(80), default="")
    recipient_phone: Mapped[str] = mapped_column(String(30), default="")
    weight_kg: Mapped[float | None] = mapped_column(Float)
    pieces: Mapped[int] = mapped_column(Integer, default=1)
    # an outbound parcel's product category (农产品上行), a code of
    # countyhub.platform.parcels.categories; None: not given
    category: Mapped[str | None] = mapped_column(String(20))
    pickup_code: Mapped[str | None] = mapped_column(String(8))
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("manifest_import.id"), index=True
    )
    intake_batch: Mapped[str | None] = mapped_column(String(16))
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    courier: Mapped[Courier] = relationship()
    depot: Mapped[Depot | None] = relationship()
    village: Mapped[Village | None] = relationship()
    service_point: Mapped[ServicePoint | None] = relationship()


class ParcelEvent(Base):
    """One step in a parcel's life (who, when, where).  Append-only: a database
    trigger refuses UPDATE and DELETE."""

    __tablename__ = "parcel_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcel.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    place: Mapped[str] = mapped_column(String(20), default="")
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_point.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
    service_point: Mapped[ServicePoint | None] = relationship()


class PickupTry(Base):
    """A wrong pickup code given at a parcel's hand-over; too many of them in a
    while lock the hand-over (see :mod:`countyhub.platform.parcels.pickup`)."""

    __tablename__ = "pickup_try"
    # The lock counts one parcel's tries of the last hour.
    __table_args__ = (Index("ix_pickup_try_parcel_id_at", "parcel_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcel.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
