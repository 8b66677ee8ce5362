"""A new database has no county: whatever needs one says so, and how to load it.

Every test here runs on a database of its own that ``countyhub db upgrade`` would
leave (migrated, couriers registered, no county): this module overrides the
``engine`` fixture, so ``session`` and the API's ``client`` use that database.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from countyhub.platform import schema
from countyhub.platform.accounts.api_keys import issue_api_key
from countyhub.platform.accounts.users import system_actor
from countyhub.platform.config import Settings
from countyhub.platform.county.gazetteer import (
    load_county,
    load_gazetteer,
    require_county,
    sync_couriers,
)
from countyhub.platform.county.points import (
    PointUpdate,
    apply_surveyed_points,
    list_points,
    set_cadence,
)
from countyhub.platform.db import make_engine, sqlite_url
from countyhub.platform.errors import InvalidInput, NoCounty
from countyhub.platform.intake.manifests import import_manifest
from countyhub.platform.intake.registration import register_parcel, register_parcels
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import County, ManifestImport, User
from countyhub.platform.plans.cycle import make_route_cycle
from countyhub.platform.plans.plan import make_plan
from tests.api.conftest import app, bearer, client, make_app  # noqa: F401
from tests.conftest import fresh_postgres

HOW = "countyhub county load"
PARCEL = ParcelInput(
    waybill="SF1385628716739", address="铜鼓县棋坪镇棋坪村", courier="SF"
)
DAY = dt.date(2030, 1, 7)


@pytest.fixture(scope="module")
def engine(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """Instead of the seeded database: a new one with no county, same backend."""
    if database_url.startswith("sqlite"):
        urls: Iterator[str] = iter(
            [sqlite_url(tmp_path_factory.mktemp("empty") / "db")]
        )
    else:
        urls = fresh_postgres(os.environ["COUNTYHUB_TEST_DATABASE_URL"])
    for url in urls:
        engine = make_engine(url)
        schema.upgrade(engine)
        with Session(engine) as session:
            sync_couriers(session)
            session.commit()
        yield engine
        engine.dispose()


@pytest.fixture
def system(session: Session) -> User:
    """The admin that commands act as (made on first use, as the CLI does)."""
    return system_actor(session)


def test_no_county_is_invalid_input_that_says_what_to_run():
    """Any table that maps InvalidInput maps it; the message is one line."""
    error = NoCounty()
    assert isinstance(error, InvalidInput) and "\n" not in str(error)
    assert str(error) == (
        "no county is loaded: run `countyhub county load` (the default county) "
        "or `countyhub county load FOLDER`"
    )


def test_the_gazetteer_needs_a_county(session: Session):
    """Reading the places for address resolution raises NoCounty, not IndexError."""
    with pytest.raises(NoCounty):
        require_county(session)
    with pytest.raises(NoCounty, match=HOW):
        load_gazetteer(session)


def test_registering_parcels_needs_a_county(session: Session, system: User):
    """One parcel or a batch: NoCounty before any row is looked at."""
    with pytest.raises(NoCounty, match=HOW):
        register_parcel(session, system, PARCEL)
    with pytest.raises(NoCounty, match=HOW):
        register_parcels(session, system, [PARCEL, PARCEL])


def test_importing_a_manifest_needs_a_county(
    session: Session, system: User, tmp_path: Path
):
    """The import stops with NoCounty (the IndexError of the report before)."""
    path = tmp_path / "m.csv"
    path.write_text("运单号,收件人,电话,地址\n73610555582883,张三,,铜鼓县大塅镇浒村\n")
    with pytest.raises(NoCounty, match=HOW):
        import_manifest(session, system, path, courier="ZTO", commit=False)


def test_planning_needs_a_county(session: Session, system: User):
    """The day's plan and the cycle both start from the county seat."""
    settings = Settings.from_env()
    with pytest.raises(NoCounty, match=HOW):
        make_plan(session, system, DAY, seconds=0.5, settings=settings)
    with pytest.raises(NoCounty, match=HOW):
        make_route_cycle(session, system, seconds=0.5, settings=settings)


def test_service_points_need_a_county(session: Session, system: User):
    """Listing points, setting cadences, surveyed coordinates: NoCounty."""
    with pytest.raises(NoCounty, match=HOW):
        list_points(session)
    with pytest.raises(NoCounty, match=HOW):
        set_cadence(session, system, ["360926100001"], 2)
    update = PointUpdate("360926100001", 114.44, 28.52, "surveyed")
    with pytest.raises(NoCounty, match=HOW):
        apply_surveyed_points(session, system, [update])


def test_load_county_without_a_folder_loads_the_default(session: Session, system: User):
    """铜鼓县 from the package; loading again is an upsert; then addresses resolve."""
    first = load_county(session, system)
    assert (first.county, first.townships, first.service_points) == ("铜鼓县", 14, 108)
    assert load_county(session, system) == first
    assert session.scalar(select(func.count()).select_from(County)) == 1
    assert require_county(session).name == "铜鼓县"
    assert load_gazetteer(session).resolve("铜鼓县棋坪镇棋坪村").point_id is not None


@pytest.fixture
def auth(session: Session, system: User) -> dict[str, str]:
    return bearer(issue_api_key(session, system, system, "test"))


ONE = {"courier": "SF", "waybill": PARCEL.waybill, "address": PARCEL.address}
API_CALLS = {
    "parcels": ("/api/v1/parcels", ONE),
    "parcels-batch": ("/api/v1/parcels/batch", {"items": [ONE, ONE]}),
    "plans": ("/api/v1/plans", {"day": DAY.isoformat(), "seconds": 0.5}),
    "plans-cycle": ("/api/v1/plans/cycle", {"seconds": 0.5}),
}


@pytest.mark.parametrize(("path", "body"), API_CALLS.values(), ids=API_CALLS.keys())
def test_the_api_answers_422_with_the_way_out(
    client: FlaskClient,  # noqa: F811
    auth: dict[str, str],
    path: str,
    body: dict[str, object],
):
    """An invalid-input problem whose detail names `countyhub county load`."""
    response = client.post(path, json=body, headers=auth)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] == str(NoCounty())


def test_the_api_refuses_a_manifest_with_the_way_out(
    client: FlaskClient,  # noqa: F811
    auth: dict[str, str],
    session: Session,
):
    """An uploaded manifest: the same 422 problem, and no import is kept."""
    content = "运单号,收件人,电话,地址\n73610555582883,张三,,铜鼓县大塅镇浒村\n"
    response = client.post(
        "/api/v1/manifests",
        data={"file": (io.BytesIO(content.encode()), "m.csv"), "courier": "ZTO"},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.json
    assert response.json["detail"] == str(NoCounty())
    assert session.scalar(select(func.count()).select_from(ManifestImport)) == 0
