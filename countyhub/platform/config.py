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
``COUNTYHUB_FEE_PER_PARCEL``    what the county's operator charges a
                                courier for each parcel handled (handed
                                over, returned or collected), in yuan, to
                                the fen (``0.80``); default 0.00: not set,
                                the statements show counts and zero amounts
=============================== ==========================================

The province report (:mod:`countyhub.platform.reports`):

==================================== =====================================
``COUNTYHUB_PROVINCE_URL``           the province's endpoint (http or https)
                                     the reports are POSTed to; default
                                     none: reports are kept, not sent
``COUNTYHUB_PROVINCE_SECRET``        the signing secret, ``whsec_<base64>``
                                     (Standard Webhooks); needed with a URL
``COUNTYHUB_PROVINCE_RETRY_SECONDS`` delays between attempts, comma-
                                     separated; default
                                     60,300,1800,7200,21600,86400,86400,86400
                                     (about 3.4 days)
``COUNTYHUB_REPORT_AUTO``            1: ``report send-due`` builds last
                                     month's report once the month has
                                     closed; default 0
==================================== =====================================

A value that cannot be read (``COUNTYHUB_PLAN_SECONDS=fast``) raises
:class:`~countyhub.platform.errors.BadSetting` (a ValueError) naming the variable;
a database URL that is no URL, or names a database kind or driver that is not
installed, raises its subclass ``BadDatabaseUrl``.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from countyhub.platform.db import make_engine, make_sessionmaker, sqlite_url
from countyhub.platform.errors import BadDatabaseUrl, BadSetting, InvalidInput

URL_SHAPE = "postgresql+psycopg://user:password@host:5432/database or sqlite:///path"
PG_DUMP = "pg_dump --format=custom --file=FILE DATABASE_URL (see the README)"
PROVINCE_RETRY = (60.0, 300.0, 1800.0, 7200.0, 21600.0, 86400.0, 86400.0, 86400.0)
WHSEC = "whsec_"  # a Standard Webhooks secret: this, then the key in base64
WHSEC_BYTES = range(24, 65)  # the key lengths the specification recommends


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
    fee_per_parcel: Decimal = Decimal("0.00")  # yuan, to the fen
    province_url: str | None = None  # None: reports are not sent
    province_secret: str | None = field(default=None, repr=False)
    province_retry: tuple[float, ...] = PROVINCE_RETRY  # seconds
    report_auto: bool = False

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
            fee_per_parcel=_yuan(env, "COUNTYHUB_FEE_PER_PARCEL"),
            **_province(env),
        )

    @cached_property
    def secret_key(self) -> str:
        """The given key, or one generated once and kept in the instance folder."""
        return self.given_secret_key or _secret(self.instance_path)

    @property
    def province_key(self) -> bytes | None:
        """The key that signs the province reports (None: no secret given)."""
        secret = self.province_secret
        return None if secret is None else webhook_key(secret)

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


def _province(env: Mapping[str, str]) -> dict[str, Any]:
    url = (env.get("COUNTYHUB_PROVINCE_URL") or "").strip() or None
    secret = (env.get("COUNTYHUB_PROVINCE_SECRET") or "").strip() or None
    if url is not None:
        _http_url(url, "COUNTYHUB_PROVINCE_URL")
        if secret is None:
            raise BadSetting("COUNTYHUB_PROVINCE_URL needs COUNTYHUB_PROVINCE_SECRET")
    if secret is not None:
        webhook_key(secret)
    auto = (env.get("COUNTYHUB_REPORT_AUTO") or "0").strip()
    if auto not in ("0", "1"):
        raise BadSetting(f"COUNTYHUB_REPORT_AUTO must be 0 or 1, not {auto!r}")
    return {
        "province_url": url,
        "province_secret": secret,
        "province_retry": _delays(env, "COUNTYHUB_PROVINCE_RETRY_SECONDS"),
        "report_auto": auto == "1",
    }


def webhook_key(secret: str) -> bytes:
    """The key of a Standard Webhooks secret ``whsec_<base64>`` (24 to 64 bytes).
    Raises BadSetting naming COUNTYHUB_PROVINCE_SECRET."""
    name = "COUNTYHUB_PROVINCE_SECRET"
    if not secret.startswith(WHSEC):
        raise BadSetting(f"{name} must be {WHSEC} followed by base64 (the key)")
    try:
        key = base64.b64decode(secret.removeprefix(WHSEC), validate=True)
    except ValueError:  # binascii.Error
        raise BadSetting(f"{name}: what follows {WHSEC} is not base64") from None
    if len(key) not in WHSEC_BYTES:
        raise BadSetting(f"{name} holds a key of {len(key)} bytes, not 24 to 64")
    return key


def _http_url(url: str, name: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading it checks the port)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadSetting(f"{name} must be an http:// or https:// URL, not {url!r}")


def _delays(env: Mapping[str, str], name: str) -> tuple[float, ...]:
    raw = (env.get(name) or "").strip()
    if not raw:
        return PROVINCE_RETRY
    parts = [part.strip() for part in raw.split(",")]
    if "" in parts:
        raise BadSetting(f"{name} must be seconds separated by commas, not {raw!r}")
    return tuple(_positive({name: part}, name, 0.0) for part in parts)


MAX_FEE = Decimal("1000")  # yuan a parcel: anything above is a typo


def _yuan(env: Mapping[str, str], name: str) -> Decimal:
    """An amount in yuan, 0 or more, to the fen; 0.00 when unset."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return Decimal("0.00")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 <= value <= MAX_FEE:
        raise BadSetting(
            f"{name} must be an amount in yuan from 0 to {MAX_FEE}, not {raw!r}"
        )
    if value != value.quantize(Decimal("0.01")):
        raise BadSetting(f"{name} is in yuan to the fen (two decimals), not {raw!r}")
    return value.quantize(Decimal("0.01"))


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
