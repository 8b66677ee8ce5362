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
``COUNTYHUB_SCAN_SKEW_MINUTES`` how far ahead of this server's clock a scan's
                                own time may be (scanners' clocks drift);
                                default 10
=============================== ==========================================

A value that cannot be read (``COUNTYHUB_PLAN_SECONDS=fast``) raises
:class:`~countyhub.platform.errors.BadSetting` (a ValueError) naming the variable;
a database URL that is no URL, or names a database kind or driver that is not
installed, raises its subclass ``BadDatabaseUrl``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from countyhub.platform.db import make_engine, make_sessionmaker, sqlite_url
from countyhub.platform.errors import BadDatabaseUrl, BadSetting, InvalidInput

URL_SHAPE = "postgresql+psycopg://user:password@host:5432/database or sqlite:///path"
PG_DUMP = "pg_dump --format=custom --file=FILE DATABASE_URL (see the README)"


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
    scan_skew: dt.timedelta = dt.timedelta(minutes=10)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings; raises BadSetting naming a variable it cannot read."""
        env = os.environ if environ is None else environ
        instance = Path(env.get("COUNTYHUB_INSTANCE_PATH") or "instance").absolute()
        url = env.get("COUNTYHUB_DATABASE_URL") or sqlite_url(
            instance / "countyhub.sqlite"
        )
        _parse_url(url)
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
            scan_skew=dt.timedelta(
                minutes=_positive(env, "COUNTYHUB_SCAN_SKEW_MINUTES", 10.0)
            ),
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


def _parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:  # the text may hold a password: not repeated here
        raise BadDatabaseUrl(
            f"COUNTYHUB_DATABASE_URL is not a database URL; write it as {URL_SHAPE}"
        ) from None


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name) or ""
    if not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise BadSetting(f"{name} must be a positive number, not {raw!r}")
    return value


def _clock(env: Mapping[str, str], name: str, default: dt.time) -> dt.time:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        return dt.datetime.strptime(raw, "%H:%M").time()
    except ValueError:
        raise BadSetting(f"{name} must be a time HH:MM, not {raw!r}") from None


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
    """An engine and its session factory, made from settings.

    Nothing connects yet.  Raises BadDatabaseUrl for a kind of database, or a
    driver, that is not installed.
    """

    def __init__(self, settings: Settings) -> None:
        if settings.is_sqlite:
            settings.instance_path.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = _engine(settings)
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

    def backup(self, target: Path) -> None:
        """Copy the SQLite database to the new file ``target`` while it is in use
        (SQLite's online backup, a few pages at a time so writers go on).
        Raises InvalidInput on PostgreSQL (pg_dump backs it up) or if ``target``
        exists."""
        if self.engine.url.get_backend_name() != "sqlite":
            raise InvalidInput(f"on PostgreSQL, back up with pg_dump: {PG_DUMP}")
        if target.exists():
            raise InvalidInput(f"{target} exists: back up to a new file")
        partial = target.with_name(f".{target.name}.partial")
        try:
            self._copy_sqlite(partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)  # a backup is there whole, or not at all

    def _copy_sqlite(self, target: Path) -> None:
        with self.engine.connect() as connection:
            source = connection.connection.driver_connection
            assert isinstance(source, sqlite3.Connection)
            copy = sqlite3.connect(target)
            try:
                source.backup(copy, pages=1024)
            finally:
                copy.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _engine(settings: Settings) -> Engine:
    url = _parse_url(settings.database_url)
    try:
        return make_engine(url)
    except NoSuchModuleError:
        problem = f"names no database countyhub knows ({url.drivername!r})"
    except ImportError as exc:
        problem = f"needs the driver {exc.name or url.drivername!r}, not installed"
    raise BadDatabaseUrl(f"COUNTYHUB_DATABASE_URL {problem}; write it as {URL_SHAPE}")
