"""The day's plans over HTTP: a whole day from pins to results, and the refusals.

Three service points get parcels sorted at the centre (two each); the first also
has an outbound parcel waiting.  Plans are made with 0.5 s of planner time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.demo.parcels import waybill_for
from countyhub.platform.intake.registration import register_parcel
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import Parcel, ServicePoint, User
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from tests.api.conftest import bearer

DAY = dt.datetime.now(LOCAL_TZ).date() + dt.timedelta(days=1)
NEXT = DAY + dt.timedelta(days=1)
URL = "/api/v1/plans"
FAST = 0.5  # seconds of planner time


@pytest.fixture
def waiting(session: Session, admin: User) -> dict[str, Any]:
    """Three points with two sorted parcels each; an outbound parcel at the first."""
    rng = random.Random(7)
    points = list(
        session.scalars(
            select(ServicePoint)
            .where(ServicePoint.active)
            .order_by(ServicePoint.code)
            .limit(3)
        )
    )
    drops: dict[str, list[str]] = {}
    for point in points:
        where = point.village.township.name + point.village.name
        drops[point.code] = []
        for _ in range(2):
            item = ParcelInput(
                waybill=waybill_for("ZTO", rng), address=where, courier="ZTO"
            )
            parcel = _parcel(session, admin, item)
            assert parcel.service_point_id == point.id, where
            record_scan(session, admin, parcel, Status.RECEIVED)
            record_scan(session, admin, parcel, Status.SORTED)
            drops[point.code].append(parcel.waybill_no)
    outbound = ParcelInput(
        waybill=waybill_for("YTO", rng),
        courier="YTO",
        address="上海市浦东新区",
        direction="outbound",
        service_point=points[0].code,
    )
    collect = _parcel(session, admin, outbound).waybill_no
    session.flush()
    return {"points": [p.code for p in points], "drops": drops, "collect": collect}


def _parcel(session: Session, admin: User, item: ParcelInput) -> Parcel:
    outcome = register_parcel(session, admin, item)
    return session.get(Parcel, outcome.parcel_id)


def post(client: FlaskClient, key: str, path: str, body: Any = None, **kw: Any):
    return client.post(URL + path, json=body, headers=bearer(key), **kw)


def make(client: FlaskClient, key: str, day: dt.date = DAY, **body: Any):
    return post(client, key, "", {"day": day.isoformat(), "seconds": FAST, **body})


def stops_of(plan: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each stop by point code, with its run's vehicle."""
    return {s["point"]: (r["vehicle"], s) for r in plan["runs"] for s in r["stops"]}


def upload(client: FlaskClient, key: str, content: bytes, name: str, day=DAY):
    return client.post(
        f"{URL}/{day}/results/file",
        data={"file": (io.BytesIO(content), name)},
        headers=bearer(key),
        content_type="multipart/form-data",
    )


def filled(sheet: str, skip: set[str], answers: dict[str, dict[str, str]]) -> bytes:
    """The results sheet with every stop not in ``skip`` filled in (visited yes
    unless ``answers`` says otherwise), as an XLSX workbook."""
    book = Workbook()
    rows = list(csv.DictReader(io.StringIO(sheet.lstrip("\ufeff"))))
    book.active.append(list(rows[0]))
    for row in rows:
        if row["point"] not in skip:
            row.update({"visited": "是", **answers.get(row["point"], {})})
            book.active.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_whole_day(client: FlaskClient, keys: dict[str, str], session, waiting):
    """Pin, make, read, publish, record by JSON and by file: the plan is done,
    and the next day's plan must visit the point the runs did not reach."""
    key, (p0, p1, p2) = keys["dispatcher"], waiting["points"]
    assert post(client, key, f"/{DAY}/pins", {"point": p0}).status_code == 201
    route = client.put(
        f"{URL}/{DAY}/routes/TRI-1", json={"points": [p1, p2]}, headers=bearer(key)
    )
    assert route.status_code == 200, route.json
    assert [(p["point"], p["position"]) for p in route.json] == [(p1, 1), (p2, 2)]
    gone = client.delete(f"{URL}/{DAY}/pins/{p2}", headers=bearer(key))
    assert gone.status_code == 204
    pinned = client.get(f"{URL}/{DAY}/pins", headers=bearer(keys["analyst"])).json
    assert [(p["point"], p["vehicle"]) for p in pinned] == [(p0, None), (p1, "TRI-1")]

    made = make(client, key)
    assert made.status_code == 201, made.json
    assert made.headers["Location"].endswith(f"{URL}/{DAY}")
    plan = made.json
    assert (plan["day"], plan["status"], plan["feasible"]) == (str(DAY), "draft", True)
    stops = stops_of(plan)
    assert stops[p0][1]["required"] and "pinned" in stops[p0][1]["reasons"]
    assert stops[p1][0] == "TRI-1" and stops[p1][1]["pinned"]
    assert sorted(stops[p0][1]["drop_waybills"]) == sorted(waiting["drops"][p0])
    assert stops[p0][1]["collect_waybills"] == [waiting["collect"]]
    assert all(len(s["arrival"]) >= 5 for _, s in stops.values())
    assert client.get(f"{URL}/{DAY}", headers=bearer(key)).json == plan
    listed = client.get(f"{URL}?status=draft", headers=bearer(key)).json["items"]
    assert [p["day"] for p in listed] == [str(DAY)]

    published = post(client, key, f"/{DAY}/publish")
    assert published.status_code == 200, published.json
    assert published.json["status"] == "published"
    first = waiting["drops"][p0][0]
    assert _status(session, first) == "loaded"
    assert make(client, key).status_code == 409

    sheet = client.get(f"{URL}/{DAY}/sheet", headers=bearer(keys["analyst"]))
    assert sheet.status_code == 200 and sheet.mimetype == "text/csv"
    assert sheet.get_data(as_text=True).count("\n") == len(stops) + 1

    vehicle = stops[p0][0]
    by_json = [
        {"vehicle": v, "point": code, "visited": True}
        for code, (v, _) in stops.items()
        if v == vehicle
    ]
    by_json[[r["point"] for r in by_json].index(p0)]["not_delivered"] = [first]
    recorded = post(client, key, f"/{DAY}/results", {"items": by_json})
    assert recorded.status_code == 200, recorded.json
    assert recorded.json["stops"] == len(by_json) and not recorded.json["done"]
    assert recorded.json["returned_to_centre"] == 1 and recorded.json["collected"] == 1
    assert _status(session, first) == "sorted"
    assert _status(session, waiting["collect"]) == "at_centre"

    missed = next(c for c, (v, _) in stops.items() if v != vehicle and c != p1)
    content = filled(
        sheet.get_data(as_text=True),
        {r["point"] for r in by_json},
        {missed: {"visited": "否"}},
    )
    recorded = upload(client, key, content, "结果.xlsx")
    assert recorded.status_code == 200, recorded.json
    assert recorded.json["done"]
    done = client.get(f"{URL}/{DAY}", headers=bearer(key)).json
    assert done["status"] == "done" and done["done_at"]
    assert stops_of(done)[missed][1]["visited"] is False

    following = make(client, key, NEXT).json
    tomorrow = stops_of(following)
    late = {u["point"] for u in following["unserved"] if u["late"]}
    assert missed in late or tomorrow[missed][1]["required"]
    visited = [c for c in stops if c not in (missed, p0, p1, p2)]
    assert not any(tomorrow[c][1]["required"] for c in visited if c in tomorrow)
    assert first in tomorrow[p0][1]["drop_waybills"]


def _status(session: Session, waybill: str) -> str:
    session.expire_all()
    return session.scalar(select(Parcel.status).where(Parcel.waybill_no == waybill))


def test_a_draft_is_planned_again(client, keys, waiting):
    """Making a draft's day again replaces its runs (201) and keeps its pins."""
    key, p0 = keys["admin"], waiting["points"][0]
    post(client, key, f"/{DAY}/pins", {"point": p0})
    assert make(client, key).status_code == 201
    again = make(client, key, seed=2)
    assert again.status_code == 201 and again.json["seed"] == 2
    assert "pinned" in stops_of(again.json)[p0][1]["reasons"]


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("admin", 200, 201),
        ("dispatcher", 200, 201),
        ("analyst", 200, 403),
        ("clerk-zto", 403, 403),
        ("point", 403, 403),
        (None, 401, 401),
    ],
)
def test_who_may_read_and_pin(client, keys, waiting, role, read, write):
    """Dispatchers and admins pin; analysts only read; others get 403, 401."""
    headers = bearer(keys[role]) if role else {}
    body = {"point": waiting["points"][0]}
    assert client.get(URL, headers=headers).status_code == read
    assert client.get(f"{URL}/{DAY}/pins", headers=headers).status_code == read
    pinned = client.post(f"{URL}/{DAY}/pins", json=body, headers=headers)
    assert pinned.status_code == write


def test_an_analyst_may_not_make_a_plan(client, keys):
    """Making a plan needs a dispatcher or an admin: 403 problem+json."""
    response = make(client, keys["analyst"])
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_unknown_day(client, keys):
    """No plan that day: 404; not a day at all: 404 (no such path)."""
    key = keys["dispatcher"]
    response = client.get(f"{URL}/{DAY}", headers=bearer(key))
    assert response.status_code == 404 and response.json["type"].endswith("not-found")
    assert post(client, key, f"/{DAY}/publish").status_code == 404
    assert client.get(f"{URL}/{DAY}/sheet", headers=bearer(key)).status_code == 404
    assert client.get(f"{URL}/2031-13-01", headers=bearer(key)).status_code == 404


def test_the_planner_time_is_bounded(client, keys):
    """A client may give the planner at most MAX_SECONDS: 422 naming seconds."""
    response = make(client, keys["dispatcher"], seconds=600)
    assert response.status_code == 422
    assert "seconds" in response.json["errors"]["json"]


def test_bad_results_name_the_field(client, keys, waiting):
    """Results that do not fit the plan: 422, each problem named, nothing written."""
    key = keys["dispatcher"]
    make(client, key)
    draft = post(client, key, f"/{DAY}/results", {"items": [_row("VAN-1", "x")]})
    assert draft.status_code == 422 and "publish it first" in draft.json["detail"]
    plan = post(client, key, f"/{DAY}/publish").json
    vehicle, stop = next(iter(stops_of(plan).values()))
    unknown = _row(vehicle, "000000000000")
    stray = _row(vehicle, stop["point"], not_delivered=["73000000000000"])
    response = post(client, key, f"/{DAY}/results", {"items": [unknown, stray]})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"result 1", "result 2, not_delivered"}
    missing = post(client, key, f"/{DAY}/results", {"items": [{"vehicle": vehicle}]})
    assert missing.status_code == 422
    assert set(missing.json["errors"]["json"]["items"]["0"]) == {"point", "visited"}
    file = f"vehicle,point,visited\n{vehicle},{stop['point']},maybe\n".encode()
    bad = upload(client, key, file, "runs.csv")
    assert bad.status_code == 422, bad.json
    assert "runs.csv" in bad.json["detail"]
    assert list(bad.json["errors"]) == ["row 2, visited"]


def _row(vehicle: str, point: str, **lists: list[str]) -> dict[str, Any]:
    return {"vehicle": vehicle, "point": point, "visited": True, **lists}


def test_pins_refused(client, keys, waiting):
    """Unknown points and vehicles are 404; a point on two routes is 422."""
    key, (p0, p1, _) = keys["dispatcher"], waiting["points"]
    assert post(client, key, f"/{DAY}/pins", {"point": "nope"}).status_code == 404
    put = client.put(
        f"{URL}/{DAY}/routes/NOPE", json={"points": [p0]}, headers=bearer(key)
    )
    assert put.status_code == 404
    first = client.put(
        f"{URL}/{DAY}/routes/TRI-1", json={"points": [p0, p1]}, headers=bearer(key)
    )
    assert first.status_code == 200
    second = client.put(
        f"{URL}/{DAY}/routes/TRI-2", json={"points": [p1]}, headers=bearer(key)
    )
    assert second.status_code == 422 and "points" in second.json["errors"]
    gone = client.delete(f"{URL}/{DAY}/routes/TRI-1", headers=bearer(key))
    assert gone.status_code == 204
    again = client.delete(f"{URL}/{DAY}/routes/TRI-1", headers=bearer(key))
    assert again.status_code == 404


def test_pins_of_a_published_day_are_locked(client, keys, waiting):
    """Once the day's plan is published its pins cannot change: 409."""
    key = keys["dispatcher"]
    make(client, key)
    post(client, key, f"/{DAY}/publish")
    response = post(client, key, f"/{DAY}/pins", {"point": waiting["points"][0]})
    assert response.status_code == 409 and response.json["type"].endswith("locked")


def test_publishing_is_idempotent(client, keys, waiting):
    """A retried publish with the same Idempotency-Key gets the first answer."""
    key = keys["dispatcher"]
    make(client, key)
    headers = {**bearer(key), "Idempotency-Key": "publish-1"}
    first = client.post(f"{URL}/{DAY}/publish", headers=headers)
    retry = client.post(f"{URL}/{DAY}/publish", headers=headers)
    assert first.status_code == retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json == first.json


def test_a_retried_upload_is_answered_once(client, keys, waiting):
    """An upload with an Idempotency-Key is read once; the same bytes again get
    its answer replayed."""
    key = keys["dispatcher"]
    make(client, key)
    post(client, key, f"/{DAY}/publish")
    boundary = "retry-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="r.csv"\r\nContent-Type: text/csv\r\n\r\n'
        "vehicle,point,visited\r\nVAN-1,000000000000,yes\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    headers = {**bearer(key), "Idempotency-Key": "results-1"}
    answers = [
        client.post(
            f"{URL}/{DAY}/results/file",
            data=body,
            headers=headers,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [422, 422]
    assert "000000000000" in answers[0].json["detail"]
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    assert answers[1].json == answers[0].json


def test_the_cycle_is_made_and_read(client: FlaskClient, keys: dict[str, str]):
    """A dispatcher makes the cycle anew; an analyst reads it; a clerk may not."""
    made = client.post(
        f"{URL}/cycle", json={"seconds": 0.5}, headers=bearer(keys["dispatcher"])
    )
    assert made.status_code == 201, made.json
    body = made.json
    assert body["length"] == 2 and body["points"]
    assert all(p["days"] in ([0], [1], [0, 1]) for p in body["points"])
    read = client.get(f"{URL}/cycle", headers=bearer(keys["analyst"]))
    assert read.status_code == 200 and read.json == body
    refused = client.post(
        f"{URL}/cycle", json={"seconds": 0.5}, headers=bearer(keys["analyst"])
    )
    assert refused.status_code == 403
    assert (
        client.get(f"{URL}/cycle", headers=bearer(keys["clerk-zto"])).status_code == 403
    )
    long = client.post(
        f"{URL}/cycle", json={"seconds": 60}, headers=bearer(keys["dispatcher"])
    )
    assert long.status_code == 422 and "seconds" in str(long.json)
