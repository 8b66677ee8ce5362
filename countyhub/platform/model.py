"""The data model: the county, its couriers, people, vehicles and parcels.

SQLAlchemy 2 typed mappings.  The schema is created and changed only by the Alembic
migrations in ``countyhub/platform/migrations``; ``countyhub db check`` proves that
these classes and the migrations agree.  Coordinates are WGS84 decimal degrees.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from countyhub.platform.db import Base, UTCDateTime, utcnow


class County(Base):
    __tablename__ = "county"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    province: Mapped[str] = mapped_column(String(60))
    prefecture: Mapped[str] = mapped_column(String(60))
    seat_lon: Mapped[float | None] = mapped_column(Float)
    seat_lat: Mapped[float | None] = mapped_column(Float)


class Township(Base):
    """A 乡/镇 (or a state forest farm, an industrial park) of the county."""

    __tablename__ = "township"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("county.id"), index=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)

    county: Mapped[County] = relationship()


class Village(Base):
    """A village-level unit (村委会/居委会) with its 12-digit statistical code."""

    __tablename__ = "village"

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))

    township: Mapped[Township] = relationship()


class ServicePoint(Base):
    """A village e-commerce service point (村级服务点): parcels are handed over here."""

    __tablename__ = "service_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    coord_approximate: Mapped[bool] = mapped_column(Boolean, default=True)
    coord_source: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    poverty_village: Mapped[bool] = mapped_column(Boolean, default=False)
    operator_name: Mapped[str] = mapped_column(String(60), default="")
    operator_phone: Mapped[str] = mapped_column(String(30), default="")
    cadence_days: Mapped[int] = mapped_column(Integer, default=2)

    village: Mapped[Village] = relationship()


class Courier(Base):
    """An express company (快递公司) whose parcels the county delivers."""

    __tablename__ = "courier"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(40))


class Depot(Base):
    """A courier's local outlet (快递网点) that hands its parcels to the county."""

    __tablename__ = "depot"

    id: Mapped[int] = mapped_column(primary_key=True)
    courier_id: Mapped[int] = mapped_column(ForeignKey("courier.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(200), default="")

    courier: Mapped[Courier] = relationship()


class Role(Base):
    """What a user may do: depot_clerk, dispatcher, point_operator, analyst, admin."""

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

    role: Mapped[Role] = relationship()
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
    """One row-level finding of an import: file row, column, value and reason."""

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
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
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
    outcome: Mapped[str | None] = mapped_column(String(16))

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
