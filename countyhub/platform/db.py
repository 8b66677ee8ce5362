"""The database: declarative base, naming convention, column types and engines.

One module owns how countyhub talks to SQLite and PostgreSQL so the rest of the
platform can stay dialect-blind:

* ``Base`` carries a naming convention, so every constraint has a stable name and
  Alembic's diffs are the same on both databases (batch mode on SQLite).
* ``UTCDateTime`` stores naive UTC and hands back aware UTC datetimes; display in
  Asia/Shanghai happens at the edges (:func:`local_time`).
* :func:`make_engine` turns on SQLite's WAL journal and foreign keys, and starts
  every SQLite transaction with ``BEGIN IMMEDIATE``.  SQLite otherwise upgrades a
  read transaction to a write lazily, and two writers that both read first deadlock
  with an immediate ``database is locked`` that no busy timeout waits out; taking
  the write lock up front makes them queue instead.  Readers outside a transaction
  are not blocked (WAL).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every countyhub table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and returned as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(
                f"naive datetime {value!r}: countyhub stores only aware times"
            )
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    """The current time, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def local_time(value: dt.datetime | None) -> str:
    """Format an aware time in Asia/Shanghai, as people in the county read it."""
    if value is None:
        return ""
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite+pysqlite:///{path}"


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with countyhub's connection settings."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine | Connection) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` (or one connection); objects stay
    usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
