"""Bad input is a 4xx problem, never a 500: classes of input, generated.

Lone surrogates in JSON, moments out of the calendar, cursors of any text, bodies
over ``COUNTYHUB_MAX_BODY_MB``; and what the API gives back: one time offset.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from countyhub.api.text import has_lone_surrogate
from countyhub.platform.schema_rules import Moment
from tests.api.conftest import bearer

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
LONE = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
TEXT_WITH_LONE = st.builds(lambda a, s, b: a + s + b, st.text(), LONE, st.text())


SAMPLES = {"BoundedInt": 1, "DayConverter": "2030-01-07", "CodeConverter": "VAN-1"}


def _json_writes(app: Flask) -> list[tuple[str, str]]:
    """Every API route that takes a body (POST, PUT, PATCH), with a concrete path."""
    urls = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or "docs" in rule.rule:
            continue
        values = {
            name: SAMPLES.get(type(converter).__name__, "x")
            for name, converter in rule._converters.items()  # the rule's own table
        }
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            found.append((method, urls.build(rule.endpoint, values, method=method)))
    return found


@given(text=TEXT_WITH_LONE)
@EXAMPLES
def test_a_lone_surrogate_is_found_wherever_it_hides(text: str):
    """In a value, a key, a nested list: a lone surrogate is found."""
    assert has_lone_surrogate(text)
    assert has_lone_surrogate({"a": [1, {"b": text}]})
    assert has_lone_surrogate({text: 1})


@given(text=st.text())
@EXAMPLES
def test_text_without_a_lone_surrogate_passes(text: str):
    """Any text Python can encode, an emoji's pair of escapes included, passes."""
    text = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)
    assert not has_lone_surrogate({"a": [text, "😀"]})


def test_every_json_route_refuses_a_lone_surrogate(
    app: Flask, client: FlaskClient, keys: dict[str, str]
):
    """Every route taking JSON answers 422 problem+json, logged in or not."""
    body = '{"username": "\\ud800", "waybill": "\\udc00x", "items": ["\\ud8ff"]}'
    routes = _json_writes(app)
    assert ("POST", "/api/v1/session") in routes and len(routes) > 10
    for method, path in routes:
        for headers in ({}, bearer(keys["admin"])):
            response = client.open(
                path,
                method=method,
                data=body,
                content_type="application/json",
                headers=headers,
            )
            assert response.status_code == 422, (method, path, response.json)
            assert response.content_type == "application/problem+json"


def test_a_surrogate_pair_is_a_character(client: FlaskClient, keys: dict[str, str]):
    """An emoji written as two escapes is text like any other (not refused)."""
    body = '{"username": "\\ud83d\\ude00", "password": "x"}'
    response = client.post(
        "/api/v1/session", data=body, content_type="application/json"
    )
    assert response.status_code == 401


MOMENTS = st.datetimes(
    min_value=dt.datetime(1, 1, 2),
    max_value=dt.datetime(9999, 12, 30),
    timezones=st.builds(
        dt.timezone, st.timedeltas(dt.timedelta(hours=-23), dt.timedelta(hours=23))
    ),
)


@given(moment=MOMENTS)
@EXAMPLES
def test_a_moment_loads_within_the_platforms_years_or_is_refused(moment: dt.datetime):
    """Any aware moment loads within 2000–2099 or is a ValidationError, never more."""
    field = Moment()
    try:
        utc_year: int | None = moment.astimezone(dt.UTC).year
    except OverflowError:
        utc_year = None
    try:
        loaded = field.deserialize(moment.isoformat())
    except ValidationError:
        assert utc_year is None or not 2000 <= utc_year < 2100
        return
    assert 2000 <= loaded.astimezone(dt.UTC).year < 2100


@pytest.mark.parametrize(
    "query",
    [
        "registered_from=0001-01-01T00:00:00%2B08:00",
        "registered_to=9999-12-31T23:59:59-08:00",
        "registered_from=1970-01-01T00:00:00Z",
        f"limit={2**70}",
    ],
)
def test_far_moments_and_numbers_in_a_query_are_422(
    client: FlaskClient, keys: dict[str, str], query: str
):
    """A moment out of the calendar, or a limit beyond 64 bits: 422, not 500."""
    response = client.get(f"/api/v1/parcels?{query}", headers=bearer(keys["admin"]))
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


@given(cursor=st.one_of(st.text(max_size=60), st.binary(max_size=40)))
@EXAMPLES
def test_any_cursor_is_a_page_or_a_422(
    client: FlaskClient, keys: dict[str, str], cursor: str | bytes
):
    """A cursor of any text, or any bytes base64-encoded, never makes a 500."""
    if isinstance(cursor, bytes):
        cursor = base64.urlsafe_b64encode(cursor).decode()
    response = client.get(
        "/api/v1/parcels",
        query_string={"cursor": cursor},
        headers=bearer(keys["admin"]),
    )
    assert response.status_code in (200, 422)


@pytest.mark.parametrize("after", ["1e309", "-1", "2147483648", '"x"', "null", "[]"])
def test_a_cursor_decoding_to_a_far_number_is_422(
    client: FlaskClient, keys: dict[str, str], after: str
):
    """A forged cursor (infinite, negative, beyond the ids, not a number): 422."""
    raw = base64.urlsafe_b64encode(f'{{"after": {after}}}'.encode()).decode()
    response = client.get(
        "/api/v1/parcels", query_string={"cursor": raw}, headers=bearer(keys["admin"])
    )
    assert response.status_code == 422


def test_the_body_limit_of_the_settings_applies(
    make_app: Callable[..., Flask], keys: dict[str, str]
):
    """``COUNTYHUB_MAX_BODY_MB`` bounds uploads and JSON bodies: 413 problem+json."""
    client = make_app(COUNTYHUB_MAX_BODY_MB="1").test_client()
    big = b"x" * (2 * 2**20)
    form = (  # written out: the test client would spool a dict's file to disk
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="m.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + big + b"\r\n--b--\r\n"
    )
    upload = client.post(
        "/api/v1/manifests",
        data=form,
        headers=bearer(keys["admin"]),
        content_type="multipart/form-data; boundary=b",
    )
    batch = client.post(
        "/api/v1/parcels/batch",
        data=json.dumps({"items": [{"waybill": "x" * 2**20}]}),
        content_type="application/json",
        headers=bearer(keys["admin"]),
    )
    for response in (upload, batch):
        assert response.status_code == 413
        assert response.content_type == "application/problem+json"


def test_a_method_not_allowed_says_which_are(client: FlaskClient, keys: dict[str, str]):
    """405 carries an Allow header with the route's methods."""
    response = client.put("/api/v1/parcels", json={}, headers=bearer(keys["admin"]))
    assert response.status_code == 405
    assert {"GET", "POST"} <= set(response.headers["Allow"].replace(" ", "").split(","))


def _times(value: object) -> list[str]:
    """Every string in ``value`` that reads as an ISO 8601 moment."""
    if isinstance(value, dict):
        return [t for v in value.values() for t in _times(v)]
    if isinstance(value, list):
        return [t for v in value for t in _times(v)]
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        return [value]
    return []


def test_every_time_given_back_is_in_one_offset(
    client: FlaskClient, keys: dict[str, str]
):
    """A parcel, its events and its tracking write times in +08:00 only."""
    headers = bearer(keys["admin"])
    parcel = {"waybill": "73610555582883", "address": "大塅镇浒村", "courier": "ZTO"}
    made = client.post("/api/v1/parcels", json=parcel, headers=headers).json
    pid = made["parcel"]["id"]
    scan = {"to": "received", "at": dt.datetime.now(dt.UTC).isoformat()}
    scanned = client.post(f"/api/v1/parcels/{pid}/scans", json=scan, headers=headers)
    assert scanned.status_code == 201
    answers = [
        made,
        client.get(f"/api/v1/parcels/{pid}", headers=headers).json,
        client.get(f"/api/v1/parcels/{pid}/events", headers=headers).json,
        client.get("/api/v1/track/73610555582883").json,
    ]
    times = _times(answers)
    assert len(times) >= 5
    assert all(t.endswith("+08:00") for t in times), times


@pytest.mark.parametrize("pieces", [1.5, 2.0, "2", True, 2**70])
def test_pieces_that_are_not_a_whole_number_are_refused(
    client: FlaskClient, keys: dict[str, str], pieces: object
):
    """``pieces`` 1.5 is refused (not cut to 1); so are text and numbers beyond."""
    parcel = {"waybill": "73610555582883", "address": "大塅镇浒村", "courier": "ZTO"}
    response = client.post(
        "/api/v1/parcels",
        json={**parcel, "pieces": pieces},
        headers=bearer(keys["admin"]),
    )
    assert response.status_code == 422
    assert "pieces" in response.json["errors"]["json"]


@pytest.mark.parametrize(("skew", "status"), [(None, 422), ("60", 201)])
def test_a_scan_ahead_of_the_clock_follows_the_setting(
    make_app: Callable[..., Flask],
    keys: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    skew: str | None,
    status: int,
):
    """30 minutes ahead: refused by default (10), taken with a 60-minute skew."""
    if skew is not None:
        monkeypatch.setenv("COUNTYHUB_SCAN_SKEW_MINUTES", skew)
    client, headers = make_app().test_client(), bearer(keys["admin"])
    parcel = {"waybill": "73610555582883", "address": "大塅镇浒村", "courier": "ZTO"}
    pid = client.post("/api/v1/parcels", json=parcel, headers=headers).json["parcel"][
        "id"
    ]
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    scan = {"to": "received", "at": ahead.isoformat()}
    response = client.post(f"/api/v1/parcels/{pid}/scans", json=scan, headers=headers)
    assert response.status_code == status
