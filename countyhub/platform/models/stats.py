"""The figures' daily rollup of parcel events, its refresh state, and the indexes
the figures' raw queries read parcel events by.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.  The rollup is
derived data, rebuilt from the events by
:mod:`countyhub.platform.stats.rollup` (which says how it is kept right).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

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


class Dim(StrEnum):
    """What a rollup row counts by."""

    ALL = "all"
    COURIER = "courier"
    VILLAGE = "village"
    POINT = "point"
    CATEGORY = "category"
    CONSENT = "consent"
    PROMISE = "promise"  # receptions of inbound parcels, by Promise
    ORIGIN = "origin"  # returns and re-sorts, by the status they came from
    DWELL = "dwell"  # hand-overs, by whole quarter hours since the arrival
    ARRIVAL = "arrival"  # arrivals, by the point the event names


class Promise(StrEnum):
    """What became of an inbound parcel's 48 h promise, as far as known."""

    WITHIN = "within"  # handed over within 48 h of its reception
    LATE = "late"  # handed over later
    OPEN = "open"  # not handed over (yet)


class StatsDay(Base):
    """Events to one status on one local day, of parcels of one direction whose
    place (the address's village, else the point's) lies in one township (None:
    not known), counted along one dimension (:class:`Dim`): ``ref_id`` the
    courier, village or point, ``tag`` the category or consent (None: none);
    ``all``: the whole count."""

    __tablename__ = "stats_day"
    __table_args__ = (
        Index("ix_stats_day_to_status_dim_day", "to_status", "dim", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    to_status: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))
    township_id: Mapped[int | None] = mapped_column(Integer)
    dim: Mapped[str] = mapped_column(String(10))
    ref_id: Mapped[int | None] = mapped_column(Integer)
    tag: Mapped[str | None] = mapped_column(String(30))
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
