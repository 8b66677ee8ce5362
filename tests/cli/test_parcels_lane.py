"""``countyhub parcels add``/``import`` keep each role in its lane, as the API does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from countyhub.platform.accounts.roles import Role
from countyhub.platform.models import ServicePoint, User
from tests.test_cli import invoker, own_database, short_demo

EXIT_FORBIDDEN = 4


@pytest.fixture(scope="module")
def cli_env(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    """A demo database of this module's own (SQLite file or PostgreSQL)."""
    for env in own_database(database_url, tmp_path_factory.mktemp("cli-lane")):
        short_demo(env)
        yield env


@pytest.fixture(scope="module")
def points(cli_env: dict[str, str]) -> tuple[str, str, str]:
    """A point operator's username, its point's code and another point's code."""
    engine = create_engine(cli_env["COUNTYHUB_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            username, own = connection.execute(
                select(User.username, ServicePoint.code)
                .join(ServicePoint, User.service_point_id == ServicePoint.id)
                .where(User.role_code == Role.POINT_OPERATOR)
                .order_by(User.username)
            ).first()
            other = connection.scalar(
                select(ServicePoint.code)
                .where(ServicePoint.code != own)
                .order_by(ServicePoint.code)
            )
    finally:
        engine.dispose()
    return username, own, other


@pytest.fixture
def cli(cli_env: dict[str, str]) -> Callable[..., tuple[int, str]]:
    return invoker(cli_env)


def add_outbound(point: str, user: str, waybill: str) -> list[str]:
    return [
        "parcels",
        "add",
        "--outbound",
        "--point",
        point,
        "--as",
        user,
        "--courier",
        "YTO",
        "--waybill",
        waybill,
        "--address",
        "上海市浦东新区",
    ]


def test_a_point_operator_adds_no_parcel_at_another_point(cli, points):
    """Another point: exit 4 naming the rule, and the parcel does not exist."""
    user, own, other = points
    code, out = cli(*add_outbound(other, user, "YT1676021696729"))
    assert code == EXIT_FORBIDDEN
    assert f"at its own service point ({own}) only" in out
    code, out = cli("parcels", "show", "YT1676021696729", "--courier", "YTO")
    assert code == 3, out  # not found: nothing was written


def test_a_point_operator_adds_at_its_own_point(cli, points):
    """Its own point, named: the parcel is registered."""
    user, own, _ = points
    assert cli(*add_outbound(own, user, "YT7512476539584")) == (
        0,
        "YT7512476539584: new\n",
    )


def test_a_point_operator_imports_no_manifest(cli, points, tmp_path: Path):
    """A manifest file is a depot's: a point operator's import exits 4."""
    user, _, _ = points
    path = tmp_path / "m.csv"
    path.write_text("运单号,快递公司,地址\nYT1676021696729,圆通,棋坪镇棋坪村\n")
    code, out = cli("parcels", "import", str(path), "--as", user)
    assert code == EXIT_FORBIDDEN
    assert "imports manifests" in out
