"""One log line per request: id, actor, method, route, status, milliseconds."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from countyhub.platform.accounts.roles import Role
from tests.api.conftest import bearer

PHONE = "13812345678"


@pytest.fixture
def lines(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], list[str]]]:
    caplog.set_level(logging.INFO, logger="countyhub.requests")
    logger = logging.getLogger("countyhub.requests")  # it does not propagate
    logger.addHandler(caplog.handler)
    yield lambda: [
        r.getMessage() for r in caplog.records if r.name == "countyhub.requests"
    ]
    logger.removeHandler(caplog.handler)


def test_json_lines_name_the_request_and_no_person(
    make_app: Callable[..., Flask], keys: dict[str, str], lines: Callable[[], list[str]]
):
    """In JSON: one object a request; the id is the problem body's; no phone."""
    client = make_app(COUNTYHUB_LOG_FORMAT="json").test_client()
    parcel = {
        "waybill": "73610555582883",
        "address": "大塅镇浒村",
        "courier": "ZTO",
        "recipient_phone": PHONE,
    }
    client.post("/api/v1/parcels", json=parcel, headers=bearer(keys["admin"]))
    missing = client.get("/api/v1/parcels/999999", headers=bearer(keys["admin"]))
    client.get("/api/v1/track/73610555582883")
    records = [json.loads(line) for line in lines()]
    assert [r["status"] for r in records] == [201, 404, 200]
    assert records[1]["request_id"] == missing.json["request_id"]
    assert records[1]["route"] == "/api/v1/parcels/<int:parcel_id>"
    assert records[2]["route"] == "/api/v1/track/<waybill>"  # the pattern, not the path
    assert records[0]["role"] == Role.ADMIN and records[2]["actor_id"] is None
    assert all(r["ms"] >= 0 and r["method"] in ("GET", "POST") for r in records)
    assert not any(PHONE in line or "73610555582883" in line for line in lines())


def test_text_lines_by_default_and_a_given_request_id_is_kept(
    make_app: Callable[..., Flask], lines: Callable[[], list[str]]
):
    """The default format is key=value; a caller's X-Request-Id is echoed and logged."""
    client = make_app().test_client()
    response = client.get("/healthz", headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Request-Id"] == "abc-123"
    assert lines()[-1].startswith("request_id=abc-123 ")
    assert "status=200" in lines()[-1]


def test_an_unknown_format_is_refused(make_app: Callable[..., Flask]):
    """A typo in COUNTYHUB_LOG_FORMAT stops the app with a message naming it."""
    with pytest.raises(ValueError, match="COUNTYHUB_LOG_FORMAT"):
        make_app(COUNTYHUB_LOG_FORMAT="xml")
