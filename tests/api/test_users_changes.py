"""A user's role and place, and passwords, changed over HTTP: what the user's
sessions and keys may do from the next request on."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from countyhub.platform.accounts.roles import Role
from countyhub.platform.demo.make import DEMO_PASSWORD
from countyhub.platform.models import User
from tests.api.conftest import bearer
from tests.api.test_users import login, new_key, new_user

PASSWORD, NEW = "long-enough-1", "another-one-2"


def person(app: Flask, username: str = "wang", password: str = PASSWORD):
    """A browser of its own, logged in."""
    browser = app.test_client()
    assert login(browser, username, password).status_code == 200
    return browser


def password_url(user_id: int) -> str:
    return f"/api/v1/users/{user_id}/password"


def test_a_new_role_applies_to_the_next_request_of_every_session_and_key(
    app: Flask, client: FlaskClient, keys: dict[str, str]
):
    """Made admin, wang's session and key list users at once; made a clerk of a
    depot, they are refused again and say so."""
    admin = bearer(keys["admin"])
    wang = new_user(client, keys["admin"], password=PASSWORD)
    browser, key = (
        person(app),
        bearer(new_key(client, keys["admin"], wang["id"])["key"]),
    )
    url = f"/api/v1/users/{wang['id']}"
    assert browser.get("/api/v1/users").status_code == 403
    assert client.get("/api/v1/users", headers=key).status_code == 403
    made = client.patch(url, json={"role": "admin"}, headers=admin)
    assert made.status_code == 200 and made.json["role"] == "admin"
    assert browser.get("/api/v1/users").status_code == 200
    assert client.get("/api/v1/users", headers=key).status_code == 200
    clerk = {"role": "depot_clerk", "depot": "TG-ZTO"}
    assert client.patch(url, json=clerk, headers=admin).json["depot"] == "TG-ZTO"
    for me in (
        browser.get("/api/v1/session"),
        client.get("/api/v1/session", headers=key),
    ):
        assert (me.json["role"], me.json["depot"]) == ("depot_clerk", "TG-ZTO")
    assert browser.get("/api/v1/users").status_code == 403
    assert client.get("/api/v1/users", headers=key).status_code == 403


def test_a_place_that_does_not_fit_is_422_naming_it(
    client: FlaskClient, keys: dict[str, str], zto_clerk: User
):
    """A clerk without a depot, a depot for a dispatcher, an unknown role or code:
    422 naming the field; the user is unchanged."""
    admin, wang = bearer(keys["admin"]), new_user(client, keys["admin"])
    for body, field in (
        ({"role": "depot_clerk"}, "depot"),
        ({"role": "dispatcher", "depot": "TG-ZTO"}, "depot"),
        ({"role": "point_operator", "service_point": "NONE"}, "service_point"),
    ):
        response = client.patch(f"/api/v1/users/{wang['id']}", json=body, headers=admin)
        assert response.status_code == 422, body
        assert response.content_type == "application/problem+json"
        assert field in response.json["errors"], response.json
    refused = client.patch(
        f"/api/v1/users/{zto_clerk.id}", json={"role": "boss"}, headers=admin
    )
    assert refused.status_code == 422 and "role" in refused.json["errors"]["json"]
    shown = client.get(f"/api/v1/users/{wang['id']}", headers=admin).json
    assert (shown["role"], shown["depot"]) == ("analyst", None)


def test_an_admin_keeps_their_own_admin_role(
    client: FlaskClient, keys: dict[str, str], admin: User
):
    """PATCH role on oneself as an admin: 422 naming role, still an admin."""
    auth = bearer(keys["admin"])
    url = f"/api/v1/users/{admin.id}"
    response = client.patch(url, json={"role": "analyst"}, headers=auth)
    assert response.status_code == 422 and "role" in response.json["errors"]
    assert client.get(url, headers=auth).json["role"] == "admin"


def test_a_non_admin_changes_no_ones_role(
    client: FlaskClient, keys: dict[str, str], dispatcher: User
):
    """A dispatcher making itself or another admin: 403, nothing changed."""
    auth = bearer(keys["dispatcher"])
    wang = new_user(client, keys["admin"])
    for user_id in (wang["id"], dispatcher.id):
        response = client.patch(
            f"/api/v1/users/{user_id}", json={"role": "admin"}, headers=auth
        )
        assert response.status_code == 403
        assert response.content_type == "application/problem+json"
    assert dispatcher.role_code == Role.DISPATCHER
    assert client.get("/api/v1/users", headers=auth).status_code == 403


def test_deactivation_ends_the_session_and_refuses_the_key(
    app: Flask, client: FlaskClient, keys: dict[str, str]
):
    """active=false: the running session and the key both get 401 next."""
    wang = new_user(client, keys["admin"], password=PASSWORD)
    browser, key = (
        person(app),
        bearer(new_key(client, keys["admin"], wang["id"])["key"]),
    )
    off = client.patch(
        f"/api/v1/users/{wang['id']}",
        json={"active": False},
        headers=bearer(keys["admin"]),
    )
    assert off.status_code == 200
    assert browser.get("/api/v1/session").status_code == 401
    assert client.get("/api/v1/session", headers=key).status_code == 401


def test_ones_own_password_ends_the_other_sessions_only(
    app: Flask, client: FlaskClient, keys: dict[str, str]
):
    """PUT own password with the current one: 204; the session it was set in
    stays, the other gets 401; the new password logs in, the old does not."""
    wang = new_user(client, keys["admin"], password=PASSWORD)
    here, there = person(app), person(app)
    body = {"password": NEW, "current_password": PASSWORD}
    response = here.put(password_url(wang["id"]), json=body)
    assert response.status_code == 204 and not response.get_data()
    assert here.get("/api/v1/session").status_code == 200
    assert there.get("/api/v1/session").status_code == 401
    assert login(app.test_client(), "wang", PASSWORD).status_code == 401
    assert login(app.test_client(), "wang", NEW).status_code == 200


def test_a_wrong_or_missing_current_password_is_422(
    app: Flask, client: FlaskClient, keys: dict[str, str]
):
    """Left out or wrong, the current password is named; nothing changes and no
    session ends."""
    wang = new_user(client, keys["admin"], password=PASSWORD)
    here, there = person(app), person(app)
    for body in ({"password": NEW}, {"password": NEW, "current_password": "wrong!"}):
        response = here.put(password_url(wang["id"]), json=body)
        assert response.status_code == 422
        assert response.content_type == "application/problem+json"
        assert "current_password" in response.json["errors"]
    assert there.get("/api/v1/session").status_code == 200
    assert login(app.test_client(), "wang", PASSWORD).status_code == 200


def test_an_admin_sets_anothers_password_without_theirs(
    app: Flask, client: FlaskClient, keys: dict[str, str]
):
    """An admin's PUT needs no current password and ends every session of the
    user; the admin's own session stays."""
    wang = new_user(client, keys["admin"], password=PASSWORD)
    browser, boss = person(app), person(app, "admin", DEMO_PASSWORD)
    response = boss.put(password_url(wang["id"]), json={"password": NEW})
    assert response.status_code == 204
    assert browser.get("/api/v1/session").status_code == 401
    assert boss.get("/api/v1/session").status_code == 200
    assert login(app.test_client(), "wang", NEW).status_code == 200


def test_nobody_else_sets_a_password(
    client: FlaskClient, keys: dict[str, str], dispatcher: User, admin: User
):
    """A non-admin setting another's password is 403 before its body is read (an
    invalid body too); an unknown user is 404 for an admin; no login is 401."""
    auth = bearer(keys["analyst"])
    for body in ({"password": NEW, "current_password": DEMO_PASSWORD}, {"x": 1}):
        for user_id in (dispatcher.id, admin.id):
            response = client.put(password_url(user_id), json=body, headers=auth)
            assert response.status_code == 403, response.json
    unknown = client.put(
        password_url(2147483647), json={"password": NEW}, headers=bearer(keys["admin"])
    )
    assert unknown.status_code == 404
    assert client.put(password_url(admin.id), json={"password": NEW}).status_code == 401


def test_a_password_outside_the_policy_is_422_saying_why(
    client: FlaskClient, keys: dict[str, str]
):
    """Too short, too long, with a line break: 422 naming password and the rule."""
    wang = new_user(client, keys["admin"])
    for password in ("short", "x" * 201, "line\nbreak-here"):
        response = client.put(
            password_url(wang["id"]),
            json={"password": password},
            headers=bearer(keys["admin"]),
        )
        assert response.status_code == 422
        assert "password" in response.json["errors"]["json"]


def test_a_key_holder_cannot_give_itself_a_password(
    client: FlaskClient, keys: dict[str, str]
):
    """A machine (no password) with its key: 422, it has none to change."""
    machine = new_user(client, keys["admin"])
    key = bearer(new_key(client, keys["admin"], machine["id"])["key"])
    body = {"password": NEW, "current_password": "anything"}
    response = client.put(password_url(machine["id"]), json=body, headers=key)
    assert response.status_code == 422 and "current_password" in response.json["errors"]


def test_the_document_says_the_rules(client: FlaskClient):
    """The OpenAPI document: PATCH takes the roles as an enum and the places by
    code; PUT …/password answers 204 and bounds the password's length."""
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    patch = schemas["UserPatchIn"]["properties"]
    assert patch["role"]["enum"] == [role.value for role in Role]
    assert {"depot", "service_point", "active", "display_name"} <= set(patch)
    assert patch["depot"]["maxLength"] == 30
    put = spec["paths"]["/api/v1/users/{user_id}/password"]["put"]
    assert "204" in put["responses"]
    password = schemas["PasswordIn"]["properties"]["password"]
    assert (password["minLength"], password["maxLength"]) == (8, 200)
    assert schemas["PasswordIn"]["required"] == ["password"]
