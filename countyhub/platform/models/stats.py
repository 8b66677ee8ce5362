"""The figures' daily rollup of parcel events, its refresh state, and the indexes
the figures' raw queries read parcel events by.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.  The rollup is
derived data, rebuilt from the events by
:mod:`countyhub.platform.stats.rollup` (which says how it is kept right).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from countyhub.platform.db import Base, UTCDateTime
from countyhub.platform.models.parcels import ParcelEvent

# The figures find a period's events by target status and time, and a parcel's
# other events (its arrival, its reception) by parcel and status.
Index(
    "ix_parcel_event_to_status_at",
    ParcelEvent.to_status,
    ParcelEvent.at,
    postgresql_include=["parcel_id"],
)
Index(
    "ix_parcel_event_parcel_id_to_status",
    ParcelEvent.parcel_id,
    ParcelEvent.to_status,
    postgresql_include=["at"],
)


class StatsDay(Base):
    """Events to one status on one local day, counted by the parcel's direction,
    courier, village, point and category and the hand-over's consent.  A key
    column None: the parcel (or the event) has none."""

    __tablename__ = "stats_day"
    __table_args__ = (Index("ix_stats_day_day_to_status", "day", "to_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    to_status: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))
    courier_id: Mapped[int] = mapped_column(Integer)
    village_id: Mapped[int | None] = mapped_column(Integer)
    service_point_id: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(20))
    consent: Mapped[str | None] = mapped_column(String(30))
    events: Mapped[int] = mapped_column(Integer)


class StatsRefresh(Base):
    """Where the rollup stands: one row (id 1).  Every event id up to
    ``seen_id`` has been rolled up, except those in :class:`StatsGap`."""

    __tablename__ = "stats_refresh"

    id: Mapped[int] = mapped_column(primary_key=True)
    seen_id: Mapped[int] = mapped_column(Integer)
    refreshed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class StatsGap(Base):
    """An event id below ``seen_id`` that no committed event had at a refresh:
    a transaction still open then (looked at again by each refresh) or rolled
    back (forgotten once older than the refresh's margin)."""

    __tablename__ = "stats_gap"

    event_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
