"""The province on loopback, and session factories for the outbox's own commits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from countyhub.platform.config import Settings
from tests.platform.reports.province import SECRET, Province, serve_province


@pytest.fixture
def province() -> Iterator[Province]:
    yield from serve_province()


@pytest.fixture
def sessions(session: Session) -> sessionmaker[Session]:
    """Sessions on the test's connection: their commits are savepoints, rolled
    back with the test."""
    return sessionmaker(
        bind=session.connection(),
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def delivery(url: str | None, *retry: float, auto: bool = False) -> Settings:
    """Settings that deliver to ``url`` on the given schedule (seconds)."""
    return Settings(
        Path("instance"),
        "sqlite://",
        province_url=url,
        province_secret=SECRET if url else None,
        province_retry=retry or (60.0, 300.0),
        report_auto=auto,
    )
