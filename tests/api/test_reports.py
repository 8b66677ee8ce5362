"""The province report over HTTP: analysts and admins build, list, read and export
versions; everyone else is refused; errors are problems naming the field."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.models import User
from countyhub.platform.reports.canonical import canonical_json
from tests.api.conftest import bearer
from tests.platform.reports.province import SECRET
from tests.platform.stats.conftest import History, build

REPORTS = "/api/v1/reports"


@pytest.fixture
def history(session: Session, admin: User) -> History:
    return build(session, admin)


def build_month(client: FlaskClient, key: str, month: str = "2026-10", **headers):
    return client.post(
        REPORTS, json={"month": month}, headers={**bearer(key), **headers}
    )


def test_build_new_then_unchanged(
    client: FlaskClient, keys: dict[str, str], history: History
):
    """The first build is 201 with version 1; the same data again is 200, the same
    version; the content follows the published schema."""
    first = build_month(client, keys["analyst"])
    assert first.status_code == 201, first.json
    body = first.json
    assert (body["month"], body["version"], body["delivery"]) == ("2026-10", 1, None)
    assert first.headers["Location"].endswith(f"{REPORTS}/{body['id']}")
    assert body["content"]["inbound_received"]["total"] == 9
    schema = client.get(f"{REPORTS}/schema", headers=bearer(keys["analyst"])).json
    Draft202012Validator(schema).validate(body["content"])
    again = build_month(client, keys["admin"])
    assert again.status_code == 200
    assert (again.json["id"], again.json["version"]) == (body["id"], 1)


def test_build_queues_for_the_province_when_configured(
    make_app: Callable[..., Flask],
    keys: dict[str, str],
    history: History,
    monkeypatch: pytest.MonkeyPatch,
):
    """With COUNTYHUB_PROVINCE_URL set, the new version is pending delivery and
    its item shows the delivery and (no) attempts."""
    monkeypatch.setenv("COUNTYHUB_PROVINCE_URL", "http://127.0.0.1:9/in")
    monkeypatch.setenv("COUNTYHUB_PROVINCE_SECRET", SECRET)
    client = make_app().test_client()
    made = build_month(client, keys["analyst"])
    assert made.status_code == 201
    item = client.get(f"{REPORTS}/{made.json['id']}", headers=bearer(keys["admin"]))
    delivery = item.json["delivery"]
    assert (delivery["state"], delivery["attempts"], delivery["attempt_log"]) == (
        "pending",
        0,
        [],
    )
    assert delivery["webhook_id"].startswith("msg_360926-2026-10-v1-")


def test_idempotency_key_replays_the_build(
    client: FlaskClient, keys: dict[str, str], history: History
):
    """A retry with the same Idempotency-Key gets the first answer again."""
    first = build_month(client, keys["analyst"], **{"Idempotency-Key": "r-1"})
    again = build_month(client, keys["analyst"], **{"Idempotency-Key": "r-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == first.json["id"]


@pytest.mark.parametrize(
    ("month", "field", "says"),
    [
        ("2026-13", "month", "YYYY-MM"),
        ("1999-12", "month", "YYYY-MM"),
        (dt.datetime.now(LOCAL_TZ).strftime("%Y-%m"), "month", "not closed yet"),
    ],
)
def test_bad_month_is_a_422_naming_it(
    client: FlaskClient, keys: dict[str, str], month: str, field: str, says: str
):
    response = build_month(client, keys["analyst"], month)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in response.json["errors"].get("json", response.json["errors"])
    assert says in str(response.json)


def test_list_pages_newest_versions(
    client: FlaskClient, keys: dict[str, str], history: History
):
    """Listed by id, a page at a time, filtered by month."""
    for month in ("2026-09", "2026-10"):
        assert build_month(client, keys["analyst"], month).status_code == 201
    page = client.get(f"{REPORTS}?limit=1", headers=bearer(keys["analyst"]))
    assert page.status_code == 200
    assert [r["month"] for r in page.json["items"]] == ["2026-09"]
    assert page.json["next"] and "Link" in page.headers
    rest = client.get(page.json["next"], headers=bearer(keys["analyst"]))
    assert [r["month"] for r in rest.json["items"]] == ["2026-10"]
    only = client.get(f"{REPORTS}?month=2026-10", headers=bearer(keys["admin"]))
    assert [r["version"] for r in only.json["items"]] == [1]
    assert "content" not in only.json["items"][0]


def test_export_json_is_the_hashed_bytes(
    client: FlaskClient, keys: dict[str, str], history: History
):
    """The JSON export is the canonical JSON: its SHA-256 is the content hash."""
    made = build_month(client, keys["analyst"]).json
    response = client.get(
        f"{REPORTS}/{made['id']}/export?format=json", headers=bearer(keys["analyst"])
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition == "attachment; filename=report-360926-2026-10-v1.json"
    assert hashlib.sha256(response.data).hexdigest() == made["content_hash"]
    assert response.data == canonical_json(made["content"])


@pytest.mark.parametrize(
    ("fmt", "media", "magic"),
    [
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK\x03\x04",
        ),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_export_xlsx_and_pdf(
    client: FlaskClient,
    keys: dict[str, str],
    history: History,
    fmt: str,
    media: str,
    magic: bytes,
):
    """A workbook and a PDF come as attachments of their own types."""
    pytest.importorskip(f"countyhub.platform.reports.{fmt}")
    made = build_month(client, keys["analyst"]).json
    response = client.get(
        f"{REPORTS}/{made['id']}/export?format={fmt}", headers=bearer(keys["admin"])
    )
    assert response.status_code == 200
    assert response.mimetype == media
    assert response.headers["Content-Disposition"].endswith(f"-v1.{fmt}")
    assert response.data.startswith(magic)


def test_export_refuses_another_format(
    client: FlaskClient, keys: dict[str, str], history: History
):
    made = build_month(client, keys["analyst"]).json
    response = client.get(
        f"{REPORTS}/{made['id']}/export?format=csv", headers=bearer(keys["analyst"])
    )
    assert response.status_code == 422
    assert "format" in response.json["errors"]["query"]


def test_unknown_version_is_404(client: FlaskClient, keys: dict[str, str]):
    response = client.get(f"{REPORTS}/2147483647", headers=bearer(keys["analyst"]))
    assert response.status_code == 404
    assert response.json["detail"] == "no report 2147483647"


def test_schema_is_served(client: FlaskClient, keys: dict[str, str]):
    """The JSON Schema, version 1, draft 2020-12."""
    response = client.get(f"{REPORTS}/schema", headers=bearer(keys["admin"]))
    assert response.status_code == 200
    assert "/v1/" in response.json["$id"]
    Draft202012Validator.check_schema(response.json)


@pytest.mark.parametrize("who", ["dispatcher", "clerk-zto", "point"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", REPORTS),
        ("post", REPORTS),
        ("get", f"{REPORTS}/1"),
        ("get", f"{REPORTS}/1/export"),
        ("get", f"{REPORTS}/schema"),
    ],
)
def test_other_roles_get_403(
    client: FlaskClient, keys: dict[str, str], who: str, method: str, path: str
):
    kwargs = {"json": {"month": "2026-10"}} if method == "post" else {}
    response = getattr(client, method)(path, headers=bearer(keys[who]), **kwargs)
    assert response.status_code == 403


def test_without_a_key_401(client: FlaskClient):
    assert client.get(REPORTS).status_code == 401
