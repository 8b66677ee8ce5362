"""Settings, read from the environment, and the database they point to.

=========================== ===============================================
``COUNTYHUB_DATABASE_URL``  SQLAlchemy URL; default: a SQLite file
                            ``countyhub.sqlite`` in the instance folder
``COUNTYHUB_INSTANCE_PATH`` folder for the SQLite file and the generated
                            secret key; default ``./instance``
``COUNTYHUB_SECRET_KEY``    key for signing web sessions; default: a random
                            key kept in ``<instance>/secret_key``
=========================== ===============================================
"""

from __future__ import annotations

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
    """Where the data lives and how sessions are signed."""

    instance_path: Path
    database_url: str
    given_secret_key: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        instance = Path(env.get("COUNTYHUB_INSTANCE_PATH") or "instance").absolute()
        url = env.get("COUNTYHUB_DATABASE_URL") or sqlite_url(
            instance / "countyhub.sqlite"
        )
        return cls(instance, url, env.get("COUNTYHUB_SECRET_KEY") or None)

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
