"""Settings, read from the environment, and the database they point to.

=============================== ==========================================
``COUNTYHUB_DATABASE_URL``      SQLAlchemy URL; default: a SQLite file
                                ``countyhub.sqlite`` in the instance folder
``COUNTYHUB_INSTANCE_PATH``     folder for the SQLite file and the generated
                                secret key; default ``./instance``
``COUNTYHUB_SECRET_KEY``        key for signing web sessions; default: a
                                random key kept in ``<instance>/secret_key``
``COUNTYHUB_PLAN_SECONDS``      time the day's planner may take, in seconds;
                                default 5
``COUNTYHUB_PLAN_DEPARTURE``    local (Asia/Shanghai) time the runs leave
                                the centre, ``HH:MM``; default ``08:00``
``COUNTYHUB_ROAD_NETWORK``      path of the road network: a GeoJSON file of
                                road lines, or an OpenStreetMap ``.osm``
                                extract; default none (geodesic distance)
``COUNTYHUB_DETOUR_FACTOR``     without a road network, road over geodesic
                                distance; default 1.3
``COUNTYHUB_AVERAGE_SPEED_KMH`` without a road network, the average speed on
                                that distance, km/h; default 30
=============================== ==========================================

A value that cannot be read (``COUNTYHUB_PLAN_SECONDS=fast``) raises ValueError
naming the variable.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from countyhub.platform.db import make_engine, make_sessionmaker, sqlite_url


@dataclass(frozen=True)
class Settings:
    """Where the data lives, how sessions are signed, and how days are planned."""

    instance_path: Path
    database_url: str
    given_secret_key: str | None = field(default=None, repr=False)
    plan_seconds: float = 5.0
    plan_departure: dt.time = dt.time(8, 0)  # local time, Asia/Shanghai
    road_network: Path | None = None  # None: geodesic distance
    detour_factor: float = 1.3
    average_speed_kmh: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings; raises ValueError naming a variable it cannot read."""
        env = os.environ if environ is None else environ
        instance = Path(env.get("COUNTYHUB_INSTANCE_PATH") or "instance").absolute()
        url = env.get("COUNTYHUB_DATABASE_URL") or sqlite_url(
            instance / "countyhub.sqlite"
        )
        roads = env.get("COUNTYHUB_ROAD_NETWORK") or None
        return cls(
            instance,
            url,
            env.get("COUNTYHUB_SECRET_KEY") or None,
            plan_seconds=_positive(env, "COUNTYHUB_PLAN_SECONDS", 5.0),
            plan_departure=_clock(env, "COUNTYHUB_PLAN_DEPARTURE", dt.time(8, 0)),
            road_network=Path(roads).absolute() if roads else None,
            detour_factor=_positive(env, "COUNTYHUB_DETOUR_FACTOR", 1.3),
            average_speed_kmh=_positive(env, "COUNTYHUB_AVERAGE_SPEED_KMH", 30.0),
        )

    @cached_property
    def secret_key(self) -> str:
        """The given key, or one generated once and kept in the instance folder."""
        return self.given_secret_key or _secret(self.instance_path)

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    def masked_url(self) -> str:
        """The database URL with any password hidden, for printing."""
        return make_url(self.database_url).render_as_string(hide_password=True)


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name) or ""
    if not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a positive number, not {raw!r}")
    return value


def _clock(env: Mapping[str, str], name: str, default: dt.time) -> dt.time:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        return dt.datetime.strptime(raw, "%H:%M").time()
    except ValueError:
        raise ValueError(f"{name} must be a time HH:MM, not {raw!r}") from None


def _secret(instance: Path) -> str:
    path = instance / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Database:
    """An engine and its session factory, made from settings."""

    def __init__(self, settings: Settings) -> None:
        if settings.is_sqlite:
            settings.instance_path.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = make_engine(settings.database_url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit if the block succeeds, roll back if it raises."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
