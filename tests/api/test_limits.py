"""Limits: request rates per key and per address (429, Retry-After), body size."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask

from tests.api.conftest import bearer


def test_tracking_is_rate_limited_per_address(make_app: Callable[..., Flask]):
    """The fourth lookup in the window from one address gets 429 with Retry-After."""
    client = make_app(COUNTYHUB_RATE_TRACK="3/day").test_client()
    codes = [client.get("/api/v1/track/70000000000000").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    refused = client.get("/api/v1/track/70000000000000")
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.content_type == "application/problem+json"
    assert "Retry-After" in refused.json["detail"]
    other = client.get(
        "/api/v1/track/70000000000000", environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other.status_code == 404  # another address has its own budget


def test_each_key_has_its_own_budget(
    make_app: Callable[..., Flask], keys: dict[str, str]
):
    """A key over its rate gets 429; another key is not affected."""
    client = make_app(COUNTYHUB_RATE_PER_KEY="2/day").test_client()
    admin, analyst = bearer(keys["admin"]), bearer(keys["analyst"])
    codes = [client.get("/api/v1/parcels", headers=admin).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/api/v1/parcels", headers=analyst).status_code == 200


def test_a_body_too_large_is_413(make_app: Callable[..., Flask], keys: dict[str, str]):
    """A request body over the configured size is refused with 413 problem+json."""
    client = make_app(MAX_CONTENT_LENGTH=1000).test_client()
    response = client.post(
        "/api/v1/parcels/batch",
        headers=bearer(keys["admin"]),
        json={"items": [{"waybill": "7" * 14, "address": "x" * 50}] * 50},
    )
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"


def test_password_guessing_is_rate_limited(make_app: Callable[..., Flask]):
    """The fourth login attempt in a minute from one address gets 429."""
    client = make_app(COUNTYHUB_RATE_LOGIN="3/day").test_client()
    body = {"username": "admin", "password": "wrong guess"}
    codes = [client.post("/api/v1/session", json=body).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_the_key_budget_covers_every_area(
    make_app: Callable[..., Flask], keys: dict[str, str]
):
    """The per-key budget is shared across the API: parcels, users, couriers."""
    client = make_app(COUNTYHUB_RATE_PER_KEY="3/day").test_client()
    admin = bearer(keys["admin"])
    paths = ["/api/v1/parcels", "/api/v1/users", "/api/v1/couriers", "/api/v1/depots"]
    codes = [client.get(path, headers=admin).status_code for path in paths]
    assert codes == [200, 200, 200, 429]


def test_a_key_that_does_not_verify_spends_no_keys_budget(
    make_app: Callable[..., Flask], keys: dict[str, str]
):
    """Requests naming a real key's prefix with a wrong secret get 401 and leave
    that key's budget whole."""
    client = make_app(COUNTYHUB_RATE_PER_KEY="2/day").test_client()
    real = keys["admin"]
    forged = bearer(real.rsplit("_", 1)[0] + "_not-the-secret")
    codes = [
        client.get("/api/v1/parcels", headers=forged).status_code for _ in range(3)
    ]
    assert codes == [401, 401, 401]
    codes = [
        client.get("/api/v1/parcels", headers=bearer(real)).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_invented_keys_count_against_the_address(make_app: Callable[..., Flask]):
    """A new made-up prefix on each request does not dodge the address's budget."""
    client = make_app(COUNTYHUB_RATE_PER_ADDRESS="2/day").test_client()
    codes = [
        client.get("/api/v1/parcels", headers=bearer(f"ch_{n:08x}_x")).status_code
        for n in range(3)
    ]
    assert codes == [401, 401, 429]
    other = client.get(
        "/api/v1/parcels",
        headers=bearer("ch_ffffffff_x"),
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other.status_code == 401  # another address has its own budget


def test_retry_after_comes_with_a_refusal_only(
    make_app: Callable[..., Flask], keys: dict[str, str]
):
    """Answers within the budget carry neither Retry-After nor the rate headers;
    the 429 carries both."""
    client = make_app(COUNTYHUB_RATE_PER_KEY="2/day").test_client()
    admin = bearer(keys["admin"])
    answers = [client.get("/api/v1/parcels", headers=admin) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    for answer in answers[:2]:
        assert "Retry-After" not in answer.headers
        assert "X-RateLimit-Remaining" not in answer.headers
    refused = answers[2].headers
    assert int(refused["Retry-After"]) > 0
    budget = refused["X-RateLimit-Limit"], refused["X-RateLimit-Remaining"]
    assert budget == ("2", "0")
    assert int(refused["X-RateLimit-Reset"]) > time.time()
    missing = client.get("/api/v1/track/70000000000000")
    assert missing.status_code == 404 and "Retry-After" not in missing.headers
