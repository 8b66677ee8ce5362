"""Users and API keys over HTTP (admins only), and session login for people."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.api_keys import issue_api_key, user_for_api_key
from countyhub.platform.db import utcnow
from countyhub.platform.demo.make import DEMO_PASSWORD
from countyhub.platform.models import ApiKey, User
from tests.api.conftest import bearer

NON_ADMINS = ("dispatcher", "analyst", "clerk-zto", "clerk-yto", "point")
ADMINISTRATION = [
    ("get", "/api/v1/users", None),
    ("post", "/api/v1/users", {"username": "x", "role": "analyst"}),
    ("get", "/api/v1/users/1", None),
    ("patch", "/api/v1/users/1", {"active": False}),
    ("get", "/api/v1/api-keys", None),
    ("post", "/api/v1/api-keys", {"user_id": 1, "name": "x"}),
    ("get", "/api/v1/api-keys/1", None),
    ("delete", "/api/v1/api-keys/1", None),
]


def new_user(client: FlaskClient, key: str, **fields: object) -> dict:
    body = {"username": "wang", "role": "analyst", "display_name": "王", **fields}
    response = client.post("/api/v1/users", json=body, headers=bearer(key))
    assert response.status_code == 201, response.json
    return response.json


def new_key(client: FlaskClient, key: str, user_id: int) -> dict:
    body = {"user_id": user_id, "name": "scanner 1"}
    response = client.post("/api/v1/api-keys", json=body, headers=bearer(key))
    assert response.status_code == 201, response.json
    return response.json


def login(client: FlaskClient, username: str, password: str = DEMO_PASSWORD):
    body = {"username": username, "password": password}
    return client.post("/api/v1/session", json=body)


def test_admin_creates_and_reads_a_user(client: FlaskClient, keys: dict[str, str]):
    """201 with a Location; the password is stored hashed and never shown."""
    created = new_user(client, keys["admin"], password="long-enough-1")
    assert created["role"] == "analyst" and created["can_log_in"] is True
    assert "password" not in created and "password_hash" not in created
    read = client.get(f"/api/v1/users/{created['id']}", headers=bearer(keys["admin"]))
    assert read.status_code == 200 and read.json == created
    assert "long-enough-1" not in read.get_data(as_text=True)
    assert "scrypt" not in read.get_data(as_text=True)


def test_binding_to_a_depot_or_point_by_code(client: FlaskClient, keys: dict[str, str]):
    """A clerk is bound to a depot by code; wrong or missing codes are 422."""
    clerk = new_user(client, keys["admin"], role="depot_clerk", depot="TG-ZTO")
    assert clerk["depot"] == "TG-ZTO" and clerk["service_point"] is None
    auth = bearer(keys["admin"])
    for body, field in (
        ({"username": "a", "role": "depot_clerk"}, "depot"),
        ({"username": "b", "role": "depot_clerk", "depot": "TG-NONE"}, "depot"),
        ({"username": "c", "role": "dispatcher", "depot": "TG-ZTO"}, "depot"),
        ({"username": "d", "role": "point_operator"}, "service_point"),
        ({"username": "wang", "role": "analyst"}, "username"),
    ):
        response = client.post("/api/v1/users", json=body, headers=auth)
        assert response.status_code == 422, body
        assert field in response.json["errors"]


def test_bad_user_fields_are_named(client: FlaskClient, keys: dict[str, str]):
    """A space in the name, an unknown role and a short password are each named."""
    body = {"username": "a b", "role": "boss", "password": "short"}
    response = client.post("/api/v1/users", json=body, headers=bearer(keys["admin"]))
    assert response.status_code == 422
    assert {"username", "role", "password"} <= set(response.json["errors"]["json"])


def test_users_list_in_pages_with_filters(client: FlaskClient, keys: dict[str, str]):
    """Pages of 3 walk every clerk once; role and active filter the list."""
    auth = bearer(keys["admin"])
    seen, url = [], "/api/v1/users?limit=3&role=depot_clerk"
    while url:
        page = client.get(url, headers=auth)
        assert page.status_code == 200
        seen += page.json["items"]
        url = page.json["next"]
    assert len(seen) == len({u["id"] for u in seen}) >= 4
    assert {u["role"] for u in seen} == {"depot_clerk"}
    assert all("password_hash" not in u for u in seen)
    gone = new_user(client, keys["admin"])
    client.patch(f"/api/v1/users/{gone['id']}", json={"active": False}, headers=auth)
    inactive = client.get("/api/v1/users?active=false", headers=auth).json["items"]
    assert [u["username"] for u in inactive] == ["wang"]


def test_an_issued_key_is_shown_once_works_and_is_revoked(
    client: FlaskClient, keys: dict[str, str]
):
    """The key is in the 201 body only; it works; once revoked it gets 401."""
    admin = bearer(keys["admin"])
    user = new_user(client, keys["admin"])
    issued = new_key(client, keys["admin"], user["id"])
    key, record = issued["key"], issued["api_key"]
    assert key.startswith(f"ch_{record['prefix']}_") and record["user"] == "wang"
    shown = client.get(f"/api/v1/api-keys/{record['id']}", headers=admin)
    assert key not in shown.get_data(as_text=True)
    assert set(shown.json) == set(record) and "key_hash" not in shown.json
    me = client.get("/api/v1/session", headers=bearer(key))
    assert me.status_code == 200 and me.json["username"] == "wang"
    revoked = client.delete(f"/api/v1/api-keys/{record['id']}", headers=admin)
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    assert client.get("/api/v1/session", headers=bearer(key)).status_code == 401


def test_keys_list_in_pages_without_secrets(client: FlaskClient, keys: dict[str, str]):
    """Keys are listed in pages, filtered by user and state, with no key or hash."""
    admin = bearer(keys["admin"])
    user = new_user(client, keys["admin"])
    ids = [new_key(client, keys["admin"], user["id"])["api_key"]["id"] for _ in "abc"]
    client.delete(f"/api/v1/api-keys/{ids[0]}", headers=admin)
    url, seen = f"/api/v1/api-keys?user_id={user['id']}&limit=2", []
    while url:
        page = client.get(url, headers=admin)
        seen += page.json["items"]
        url = page.json["next"]
    assert [k["id"] for k in seen] == ids
    assert all("key" not in k and "key_hash" not in k for k in seen)
    live = client.get(
        f"/api/v1/api-keys?user_id={user['id']}&revoked=false", headers=admin
    )
    assert [k["id"] for k in live.json["items"]] == ids[1:]


def test_a_key_records_its_last_use(client: FlaskClient, keys: dict[str, str]):
    """After a key is used its last_used_at is set."""
    admin = bearer(keys["admin"])
    user = new_user(client, keys["admin"])
    issued = new_key(client, keys["admin"], user["id"])
    assert issued["api_key"]["last_used_at"] is None
    client.get("/api/v1/session", headers=bearer(issued["key"]))
    shown = client.get(f"/api/v1/api-keys/{issued['api_key']['id']}", headers=admin)
    assert shown.json["last_used_at"].endswith("+08:00")


def test_last_use_is_written_at_most_once_a_minute(
    session: Session, admin: User, zto_clerk: User
):
    """A key used again within a minute keeps its time; after a minute it moves."""
    key = issue_api_key(session, admin, zto_clerk, "scanner")
    row = session.scalar(select(ApiKey).where(ApiKey.user_id == zto_clerk.id))
    recent = utcnow() - dt.timedelta(seconds=30)
    row.last_used_at = recent
    assert user_for_api_key(session, key) == zto_clerk
    assert row.last_used_at == recent
    row.last_used_at = utcnow() - dt.timedelta(minutes=2)
    user_for_api_key(session, key)
    assert utcnow() - row.last_used_at < dt.timedelta(seconds=5)


def test_deactivated_users_keys_stop_working(client: FlaskClient, keys: dict[str, str]):
    """PATCH active=false: the user's keys get 401; active=true brings them back."""
    admin = bearer(keys["admin"])
    user = new_user(client, keys["admin"])
    key = new_key(client, keys["admin"], user["id"])["key"]
    url = f"/api/v1/users/{user['id']}"
    off = client.patch(url, json={"active": False}, headers=admin)
    assert off.status_code == 200 and off.json["active"] is False
    assert client.get("/api/v1/session", headers=bearer(key)).status_code == 401
    client.patch(url, json={"active": True}, headers=admin)
    assert client.get("/api/v1/session", headers=bearer(key)).status_code == 200
    client.patch(url, json={"active": False}, headers=admin)
    fresh = client.post(
        "/api/v1/api-keys", json={"user_id": user["id"], "name": "x"}, headers=admin
    )
    assert fresh.status_code == 422 and "user_id" in fresh.json["errors"]


def test_patch_rules(client: FlaskClient, keys: dict[str, str], admin: User):
    """An admin cannot deactivate themself; an empty PATCH is 422; renaming works."""
    auth = bearer(keys["admin"])
    url = f"/api/v1/users/{admin.id}"
    response = client.patch(url, json={"active": False}, headers=auth)
    assert response.status_code == 422 and "active" in response.json["errors"]
    assert client.patch(url, json={}, headers=auth).status_code == 422
    renamed = client.patch(url, json={"display_name": "县管理员"}, headers=auth)
    assert renamed.json["display_name"] == "县管理员"


def test_unknown_ids_are_404(client: FlaskClient, keys: dict[str, str]):
    """A user or key id that does not exist is a 404 problem."""
    auth = bearer(keys["admin"])
    for url in ("/api/v1/users/999999", "/api/v1/api-keys/999999"):
        response = client.get(url, headers=auth)
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"
    assert client.delete("/api/v1/api-keys/999999", headers=auth).status_code == 404


@pytest.mark.parametrize("who", NON_ADMINS)
def test_non_admins_get_403(client: FlaskClient, keys: dict[str, str], who: str):
    """Every role but admin is refused every user and key administration."""
    for method, url, body in ADMINISTRATION:
        response = getattr(client, method)(url, json=body, headers=bearer(keys[who]))
        assert response.status_code == 403, (method, url)
        assert response.content_type == "application/problem+json"


def test_administration_needs_a_login(client: FlaskClient):
    """Without a key or a login every administration request is 401."""
    for method, url, body in ADMINISTRATION:
        assert getattr(client, method)(url, json=body).status_code == 401


def test_login_and_logout_with_the_session_cookie(client: FlaskClient):
    """A person logs in, the cookie carries them, and logging out ends it."""
    response = login(client, "dispatcher")
    assert response.status_code == 200 and response.json["role"] == "dispatcher"
    assert "session=" in response.headers["Set-Cookie"]
    me = client.get("/api/v1/session")
    assert me.status_code == 200 and me.json["username"] == "dispatcher"
    assert client.get("/api/v1/parcels").status_code == 200
    assert client.delete("/api/v1/session").status_code == 204
    assert client.get("/api/v1/session").status_code == 401
    assert client.get("/api/v1/parcels").status_code == 401


def test_a_wrong_login_does_not_say_what_was_wrong(client: FlaskClient):
    """A wrong password and an unknown name get the same 401 problem."""
    wrong_password = login(client, "dispatcher", "not-the-password")
    unknown_name = login(client, "nobody-here")
    assert wrong_password.status_code == unknown_name.status_code == 401
    assert wrong_password.json["detail"] == unknown_name.json["detail"]
    assert wrong_password.content_type == "application/problem+json"
    assert client.get("/api/v1/session").status_code == 401


def test_a_deactivated_person_is_logged_out(client: FlaskClient, keys: dict[str, str]):
    """Deactivation ends a running session and refuses the next login."""
    person = new_user(client, keys["admin"], password="long-enough-1")
    people = client.application.test_client()
    assert login(people, "wang", "long-enough-1").status_code == 200
    client.patch(
        f"/api/v1/users/{person['id']}",
        json={"active": False},
        headers=bearer(keys["admin"]),
    )
    assert people.get("/api/v1/session").status_code == 401
    assert login(people, "wang", "long-enough-1").status_code == 401
