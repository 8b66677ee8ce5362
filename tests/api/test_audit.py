"""The audit trail over HTTP: admins read it a page at a time; nobody else does."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.db import utcnow
from countyhub.platform.models import AuditEntry
from tests.api.conftest import bearer

NON_ADMINS = ("dispatcher", "analyst", "clerk-zto", "clerk-yto", "point")
URL = "/api/v1/audit"


def test_an_admins_change_is_read_back(client: FlaskClient, keys: dict[str, str]):
    """A user created over the API is in the trail: who, when (+08:00), what."""
    auth = bearer(keys["admin"])
    body = {"username": "wang", "role": "analyst", "password": "long-enough-1"}
    created = client.post("/api/v1/users", json=body, headers=auth)
    assert created.status_code == 201
    response = client.get(URL, query_string={"action": "user.create"}, headers=auth)
    assert response.status_code == 200
    entry = response.json["items"][-1]
    assert entry["actor"] == "admin" and entry["action"] == "user.create"
    assert entry["target_kind"] == "user"
    assert entry["target_id"] == str(created.json["id"])
    assert entry["changes"]["username"] == [None, "wang"]
    assert entry["at"].endswith("+08:00")
    assert "long-enough-1" not in response.get_data(as_text=True)


def test_pages_give_every_entry_once_in_order(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """Pages of 2, followed by their next links, give every entry once by id."""
    auth, ids = bearer(keys["admin"]), []
    url: str | None = f"{URL}?limit=2"
    while url:
        page = client.get(url, headers=auth)
        assert page.status_code == 200 and len(page.json["items"]) <= 2
        ids += [item["id"] for item in page.json["items"]]
        url = page.json["next"]
    assert ids == sorted(set(ids))
    assert len(ids) == session.scalar(select(func.count()).select_from(AuditEntry))


def test_filters_narrow_and_bad_ones_are_422(client: FlaskClient, keys: dict[str, str]):
    """``since`` in the future finds nothing; a naive moment or unknown action is
    refused."""
    auth = bearer(keys["admin"])
    later = utcnow().replace(year=utcnow().year + 1).isoformat()
    response = client.get(URL, query_string={"since": later}, headers=auth)
    assert response.status_code == 200 and response.json["items"] == []
    for args in ({"since": "2026-01-01T00:00:00"}, {"action": "user.delete"}):
        assert client.get(URL, query_string=args, headers=auth).status_code == 422


@pytest.mark.parametrize("who", NON_ADMINS)
def test_non_admins_get_403(client: FlaskClient, keys: dict[str, str], who: str):
    """Every role but admin is refused the trail."""
    response = client.get(URL, headers=bearer(keys[who]))
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"


def test_the_trail_needs_a_login(client: FlaskClient):
    """Without a key or a login the trail is 401."""
    assert client.get(URL).status_code == 401


def test_an_unknown_query_parameter_is_refused(client, keys):  # type: ignore[no-untyped-def]
    """As on every list: a misspelt filter is 422, not silently ignored."""
    response = client.get(
        "/api/v1/audit?sinse=2026-01-01", headers=bearer(keys["admin"])
    )
    assert response.status_code == 422
