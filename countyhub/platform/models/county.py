"""The county's places and its couriers: the county, townships, villages,
service points, couriers and their depots.

SQLAlchemy 2 typed mappings; see :mod:`countyhub.platform.models`.
"""

from __future__ import annotations

import secrets
from itertools import chain
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    event,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from countyhub.platform.db import Base


def new_revision() -> str:
    """A new value for :attr:`County.revision`."""
    return secrets.token_hex(8)


class County(Base):
    __tablename__ = "county"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    province: Mapped[str] = mapped_column(String(60))
    prefecture: Mapped[str] = mapped_column(String(60))
    seat_lon: Mapped[float | None] = mapped_column(Float)
    seat_lat: Mapped[float | None] = mapped_column(Float)
    # Changes whenever the county, a township, a village or a service point does
    # (:func:`_new_revision_on_change`): what was built from the places (the
    # gazetteer that resolves addresses) is kept under it.  Random, so that no two
    # databases' counties ever share one.
    revision: Mapped[str] = mapped_column(String(16), default=new_revision)


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
    # a poverty village (贫困村) by the county's list; None: not declared
    poverty: Mapped[bool | None] = mapped_column(Boolean)

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
    operator_name: Mapped[str] = mapped_column(String(60), default="")
    operator_phone: Mapped[str] = mapped_column(String(30), default="")
    cadence_days: Mapped[int] = mapped_column(Integer, default=2)

    village: Mapped[Village] = relationship()

    @property
    def poverty_village(self) -> bool | None:
        """Whether the point's village is a poverty village (None: not declared);
        the flag is the village's, set here for the point's admin pages."""
        return self.village.poverty

    @poverty_village.setter
    def poverty_village(self, value: bool | None) -> None:
        self.village.poverty = value


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


PLACES = (County, Township, Village, ServicePoint)


@event.listens_for(Session, "before_flush")
def _new_revision_on_change(session: Session, _context: Any, _instances: Any) -> None:
    """Give the county a new revision in the flush that changes any of its places
    (every write of the platform's goes through the ORM's unit of work)."""
    changed = chain(
        session.new,
        session.deleted,
        (o for o in session.dirty if session.is_modified(o)),
    )
    if any(isinstance(o, PLACES) for o in changed):
        session.execute(
            update(County).values(revision=new_revision()),
            execution_options={"synchronize_session": False},
        )
        for obj in list(session.identity_map.values()):
            if isinstance(obj, County) and obj not in session.new:
                session.expire(obj, ["revision"])
