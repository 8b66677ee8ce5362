"""The figures over HTTP: analysts and admins, the period and township filters,
problem+json for bad input, the statement priced by the setting."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from countyhub.platform.models import User
from tests.api.conftest import bearer
from tests.platform.stats.conftest import DADUAN, History, build

FIGURES = [
    "volumes",
    "service",
    "cadence",
    "coverage",
    "fleet",
    "consent",
    "statements",
]


@pytest.fixture
def history(session: Session, admin: User) -> History:
    return build(session, admin)


@pytest.mark.parametrize("figure", FIGURES)
def test_analyst_reads_each_figure(
    client: FlaskClient, keys: dict[str, str], history: History, figure: str
):
    """Each figure answers for a month, with its period."""
    response = client.get(
        f"/api/v1/stats/{figure}?month=2026-10", headers=bearer(keys["analyst"])
    )
    assert response.status_code == 200, response.json
    assert response.json["period"] == {"start": "2026-10-01", "end": "2026-10-31"}


@pytest.mark.parametrize("role", ["dispatcher", "clerk-zto", "point"])
def test_others_are_refused(client: FlaskClient, keys: dict[str, str], role: str):
    """Only the roles holding READ_STATS read the figures."""
    response = client.get("/api/v1/stats/volumes", headers=bearer(keys[role]))
    assert response.status_code == 403


def test_figures_as_counted(
    client: FlaskClient, keys: dict[str, str], history: History
):
    """The JSON holds the platform's figures: counts, dates, null shares."""
    headers = bearer(keys["admin"])
    volumes = client.get("/api/v1/stats/volumes?month=2026-10", headers=headers).json
    assert volumes["inbound"]["total"] == 9
    assert volumes["outbound"]["by_category"][1] == {
        "code": None,
        "name": "未分类",
        "parcels": 1,
    }
    coverage = client.get(
        f"/api/v1/stats/coverage?from=2026-10-01&to=2026-10-31&township={DADUAN}",
        headers=headers,
    ).json
    assert coverage["township"] == DADUAN
    assert coverage["villages"] == {"count": 1, "total": 13, "share": 1 / 13}
    assert coverage["poverty_villages"] is None
    fleet = client.get("/api/v1/stats/fleet?month=2026-10", headers=headers).json
    assert (fleet["km_recorded"], fleet["km_recorded_reason"]) == (None, "not recorded")


def test_the_statement_is_priced_by_the_setting(
    make_app: Callable[..., Flask],
    keys: dict[str, str],
    history: History,
    monkeypatch: pytest.MonkeyPatch,
):
    """Amounts are strings of yuan to the fen, at COUNTYHUB_FEE_PER_PARCEL."""
    monkeypatch.setenv("COUNTYHUB_FEE_PER_PARCEL", "0.85")
    client = make_app().test_client()
    body = client.get(
        "/api/v1/stats/statements?month=2026-10", headers=bearer(keys["analyst"])
    ).json
    lines = {line["courier"]: line for line in body["couriers"]}
    assert (lines["ZTO"]["fee_per_parcel"], lines["ZTO"]["amount"]) == ("0.85", "6.80")
    assert (body["parcels"], body["amount"]) == (10, "8.50")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("month=2026-13", "month"),
        ("month=2099-01", "month"),
        ("from=2026-10-05&to=2026-10-01", "from"),
        ("month=2026-10&from=2026-10-01", "month"),
        ("township=999999999", "township"),
        ("from=2026-10-32&to=2026-11-01", "from"),
    ],
)
def test_bad_queries_are_422_naming_the_field(
    client: FlaskClient, keys: dict[str, str], query: str, field: str
):
    """A malformed or future month, from after to, an unknown township."""
    response = client.get(
        f"/api/v1/stats/cadence?{query}", headers=bearer(keys["analyst"])
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in str(response.json)
