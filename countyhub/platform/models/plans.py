"""The fleet and the day's plans: vehicles, the cycle of visits, plans with their
runs, stops and parcels, pins and the visit log.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from countyhub.platform.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from countyhub.platform.models.county import ServicePoint
    from countyhub.platform.models.parcels import Parcel


class Vehicle(Base):
    """A vehicle of the county fleet with its capacities and shift length."""

    __tablename__ = "vehicle"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    capacity_parcels: Mapped[int] = mapped_column(Integer)
    capacity_kg: Mapped[float] = mapped_column(Float)
    shift_minutes: Mapped[int] = mapped_column(Integer, default=480)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RouteCycle(Base):
    """The cycle the daily planner starts from: each point's days in it.

    ``days`` maps a service point id (as text, a JSON key) to its day indices
    in the cycle; day ``k`` of the cycle is every date ``starts_on + k + n ×
    length``. The latest cycle is used; it is made again when the active
    points or their cadences change.
    """

    __tablename__ = "route_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    length: Mapped[int] = mapped_column(Integer)
    days: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=dict)
    cadences: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    cost_m: Mapped[float] = mapped_column(Float)
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Plan(Base):
    """The runs of one day: draft, then published (parcels loaded), then done."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    status: Mapped[str] = mapped_column(
        String(12), default="draft", index=True
    )  # PlanState
    method: Mapped[str] = mapped_column(String(60))
    seconds: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer, default=1)
    objective: Mapped[int] = mapped_column(Integer)
    distance_m: Mapped[int] = mapped_column(Integer)
    runtime: Mapped[float] = mapped_column(Float)
    feasible: Mapped[bool] = mapped_column(Boolean)
    # Local (Asia/Shanghai) time the runs leave the centre; stops' times follow.
    departure: Mapped[dt.time] = mapped_column(Time, default=dt.time(8, 0))
    required: Mapped[list[int]] = mapped_column(JSON, default=list)
    unserved: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("route_cycle.id"))
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    runs: Mapped[list[PlanRun]] = relationship(
        back_populates="plan",
        order_by="PlanRun.position",
        cascade="all, delete-orphan",
    )


class PlanRun(Base):
    """One vehicle's run in a plan."""

    __tablename__ = "plan_run"
    __table_args__ = (
        UniqueConstraint("plan_id", "vehicle_id"),
        UniqueConstraint("plan_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicle.id"))
    distance_m: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[int] = mapped_column(Integer)
    load_parcels: Mapped[int] = mapped_column(Integer)
    load_kg: Mapped[float] = mapped_column(Float)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    violations: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The km the vehicle drove as the driver read them off the odometer or trip
    # meter (None: not recorded); a later reading replaces it, with who and when.
    km_recorded: Mapped[float | None] = mapped_column(Float)
    km_recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    km_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    plan: Mapped[Plan] = relationship(back_populates="runs")
    vehicle: Mapped[Vehicle] = relationship()
    stops: Mapped[list[PlanStop]] = relationship(
        back_populates="run",
        order_by="PlanStop.position",
        cascade="all, delete-orphan",
    )


class PlanStop(Base):
    """A stop of a run; its result is recorded after the run."""

    __tablename__ = "plan_stop"
    __table_args__ = (UniqueConstraint("run_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("plan_run.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    service_point_id: Mapped[int] = mapped_column(
        ForeignKey("service_point.id"), index=True
    )
    arrival_seconds: Mapped[int] = mapped_column(Integer)
    load_parcels: Mapped[int] = mapped_column(Integer)
    load_kg: Mapped[float] = mapped_column(Float)
    required: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    visited: Mapped[bool | None] = mapped_column(Boolean)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    run: Mapped[PlanRun] = relationship(back_populates="stops")
    service_point: Mapped[ServicePoint] = relationship()
    parcels: Mapped[list[PlanStopParcel]] = relationship(
        back_populates="stop", cascade="all, delete-orphan"
    )


class PlanStopParcel(Base):
    """A parcel to drop (inbound) or collect (outbound) at a stop, and what happened."""

    __tablename__ = "plan_stop_parcel"

    stop_id: Mapped[int] = mapped_column(
        ForeignKey("plan_stop.id", ondelete="CASCADE"), primary_key=True
    )
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcel.id"), primary_key=True)
    action: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(16))  # StopOutcome

    stop: Mapped[PlanStop] = relationship(back_populates="parcels")
    parcel: Mapped[Parcel] = relationship()


class PlanPin(Base):
    """A dispatcher's pin for a day: a required visit, or a stop of a fixed route.

    Without a vehicle the point must be visited that day; with one, the pins of
    that vehicle ordered by ``position`` are its route, kept as they are.
    """

    __tablename__ = "plan_pin"
    __table_args__ = (UniqueConstraint("day", "service_point_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_point.id"))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle.id"))
    position: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    service_point: Mapped[ServicePoint] = relationship()
    vehicle: Mapped[Vehicle | None] = relationship()


class PointVisit(Base):
    """The visit log: a day on which a run reached a service point.

    The next day's required points follow from each point's latest visit.
    """

    __tablename__ = "point_visit"
    __table_args__ = (UniqueConstraint("service_point_id", "visited_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_point.id"))
    visited_on: Mapped[dt.date] = mapped_column(Date)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicle.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
