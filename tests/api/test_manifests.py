"""Manifest uploads over HTTP: import reports, row-level problems, who sees which."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.models import ImportProblem, ManifestImport, Parcel
from tests.api.conftest import bearer

HEADER = ["运单号", "收件人", "电话", "地址", "重量(kg)", "件数"]
GOOD = [
    ["73610555582883", "张三", "13812345678", "铜鼓县大塅镇浒村村委会三组", "1.5", "1"],
    ["75352218881013", "李四", "13912345678", "棋坪镇棋坪村", "0.8", "1"],
    [
        "78673256637951",
        "王五",
        "13712345678",
        "江西省宜春市铜鼓县三都镇东浒村",
        "2",
        "2",
    ],
]
BAD = ["12", "赵六", "13612345678", "大塅镇大塅村", "1", "1"]


def csv_file(rows: list[list[str]], encoding: str = "gb18030") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["中通快递铜鼓网点 派件清单"])
    writer.writerow(HEADER)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_file(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: FlaskClient, key: str, content: bytes, name: str, **form: str):
    data = {"file": (io.BytesIO(content), name), **form}
    return client.post(
        "/api/v1/manifests",
        data=data,
        headers=bearer(key),
        content_type="multipart/form-data",
    )


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_clerk_uploads_a_gb18030_csv(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """201 with the report and a Location; the request commits the finished state."""
    response = upload(client, keys["clerk-zto"], csv_file(GOOD), "派件清单.csv")
    assert response.status_code == 201, response.json
    report = response.json
    assert (report["format"], report["encoding"]) == ("csv", "gb18030")
    assert (report["state"], report["filename"]) == ("done", "派件清单.csv")
    assert report["counts"] == {
        "new": 3,
        "known": 0,
        "updated": 0,
        "conflict": 0,
        "rejected": 0,
    }
    assert (report["depot"], report["courier"], report["actor"]) == (
        "TG-ZTO",
        "ZTO",
        "clerk-zto",
    )
    assert response.headers["Location"].endswith(f"/api/v1/manifests/{report['id']}")
    again = client.get(response.headers["Location"], headers=bearer(keys["clerk-zto"]))
    assert again.status_code == 200 and again.json == report
    stored = session.get(ManifestImport, report["id"])
    assert (stored.state, stored.new, stored.encoding) == ("done", 3, "gb18030")


def test_a_dispatcher_uploads_an_xlsx(client: FlaskClient, keys: dict[str, str]):
    """An XLSX without a courier column is taken in for the courier named."""
    content = xlsx_file(GOOD)
    response = upload(client, keys["dispatcher"], content, "list.xlsx", courier="ZTO")
    assert response.status_code == 201, response.json
    assert response.json["format"] == "xlsx" and response.json["counts"]["new"] == 3
    known = upload(client, keys["admin"], content, "again.xlsx", courier="ZTO")
    assert known.json["counts"]["known"] == 3


def test_bad_rows_are_reported_and_listed_in_pages(
    client: FlaskClient, keys: dict[str, str]
):
    """Good rows go in; each bad row is a problem with row, column, value, reason."""
    rows = [GOOD[0], *[BAD] * 5, GOOD[1]]
    response = upload(client, keys["clerk-zto"], csv_file(rows), "m.csv")
    report = response.json
    assert report["counts"]["new"] == 2 and report["counts"]["rejected"] == 5
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors[0]["row"] == 4 and errors[0]["column"] == "waybill"
    assert errors[0]["value"] == "12" and errors[0]["reason"]
    url = f"/api/v1/manifests/{report['id']}/problems?limit=2&severity=error"
    seen = []
    while url:
        page = client.get(url, headers=bearer(keys["clerk-zto"]))
        assert page.status_code == 200
        seen += page.json["items"]
        url = page.json["next"]
        assert not url or page.headers["Link"] == f'<{url}>; rel="next"'
    assert [p["row"] for p in seen] == [4, 5, 6, 7, 8]
    assert report["problem_count"] >= len(seen)


def test_a_cell_with_half_a_surrogate_pair_is_a_row_problem(
    client: FlaskClient, keys: dict[str, str]
):
    """An XLSX cell holding a lone surrogate (which openpyxl writes as &#55296;):
    201, its row rejected naming row and column, the other rows taken in."""
    spoilt = [*BAD[:3], "大塅镇\ud800大塅村", *BAD[4:]]
    spoilt[0] = "73610555582890"
    content = xlsx_file([GOOD[0], spoilt, GOOD[1]])
    response = upload(client, keys["clerk-zto"], content, "m.xlsx")
    assert response.status_code == 201, response.json
    report = response.json
    assert report["counts"]["new"] == 2 and report["counts"]["rejected"] == 1
    (error,) = [p for p in report["problems"] if p["severity"] == "error"]
    assert (error["row"], error["column"]) == (3, "地址")
    assert error["value"] == "大塅镇\ufffd大塅村" and "U+D800" in error["reason"]


def test_a_file_that_is_no_manifest_is_refused(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """A binary or column-less file is a 422 problem and nothing is written."""
    before = count(session, ManifestImport), count(session, Parcel)
    for content in (b"\x00\x01\x02binary\xff\xfe" * 50, "名字,年龄\n张三,3\n".encode()):
        response = upload(client, keys["clerk-zto"], content, "x.csv")
        assert response.status_code == 422
        assert response.content_type == "application/problem+json"
        assert response.json["type"].endswith("/manifest-refused")
        assert "x.csv" in response.json["detail"]
    assert (count(session, ManifestImport), count(session, Parcel)) == before


def test_an_atomic_upload_with_a_bad_row_writes_nothing(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """atomic=true: one bad row is a 422 and the request leaves no trace."""
    before = [count(session, m) for m in (ManifestImport, ImportProblem, Parcel)]
    content = csv_file([*GOOD, BAD])
    response = upload(client, keys["clerk-zto"], content, "m.csv", atomic="true")
    assert response.status_code == 422
    assert response.json["type"].endswith("/import-aborted")
    after = [count(session, m) for m in (ManifestImport, ImportProblem, Parcel)]
    assert after == before
    partial = upload(client, keys["clerk-zto"], content, "m.csv", atomic="false")
    assert partial.status_code == 201 and partial.json["counts"]["new"] == 3


def test_upload_fields_are_checked(client: FlaskClient, keys: dict[str, str]):
    """No file, an unknown depot or courier, or another depot's code are refused."""
    auth = bearer(keys["clerk-zto"])
    response = client.post("/api/v1/manifests", data={"courier": "ZTO"}, headers=auth)
    assert response.status_code == 422
    assert "file" in response.json["errors"]["multipart"]
    content = csv_file(GOOD)
    unknown = upload(client, keys["admin"], content, "m.csv", depot="TG-NONE")
    assert unknown.status_code == 422 and "depot" in unknown.json["errors"]
    courier = upload(client, keys["admin"], content, "m.csv", courier="NOPE")
    assert courier.status_code == 422
    other = upload(client, keys["clerk-zto"], content, "m.csv", depot="TG-YTO")
    assert other.status_code == 403


@pytest.mark.parametrize("who", ["analyst", "point"])
def test_only_clerks_dispatchers_and_admins_upload(
    client: FlaskClient, keys: dict[str, str], who: str
):
    """An analyst or a point operator may not upload a manifest."""
    response = upload(client, keys[who], csv_file(GOOD), "m.csv", courier="ZTO")
    assert response.status_code == 403


def test_a_clerk_reads_only_their_depots_imports(
    client: FlaskClient, keys: dict[str, str]
):
    """Another depot's clerk gets 404; admins, dispatchers, analysts read it."""
    report = upload(client, keys["clerk-zto"], csv_file([*GOOD, BAD]), "m.csv").json
    item = f"/api/v1/manifests/{report['id']}"
    for url in (item, f"{item}/problems"):
        assert client.get(url, headers=bearer(keys["clerk-yto"])).status_code == 404
        for who in ("admin", "dispatcher", "analyst", "clerk-zto"):
            assert client.get(url, headers=bearer(keys[who])).status_code == 200
        assert client.get(url, headers=bearer(keys["point"])).status_code == 403
    listed = client.get("/api/v1/manifests", headers=bearer(keys["clerk-yto"]))
    assert report["id"] not in [i["id"] for i in listed.json["items"]]
    assert (
        client.get(
            "/api/v1/manifests/999999", headers=bearer(keys["admin"])
        ).status_code
        == 404
    )


def test_imports_list_in_pages(client: FlaskClient, keys: dict[str, str]):
    """The imports a clerk may read come in pages, oldest first, without problems."""
    auth = bearer(keys["clerk-zto"])
    ids = [
        upload(client, keys["clerk-zto"], csv_file(GOOD), f"{n}.csv").json["id"]
        for n in range(3)
    ]
    url, seen = "/api/v1/manifests?limit=2", []
    while url:
        page = client.get(url, headers=auth)
        seen += page.json["items"]
        url = page.json["next"]
    assert [i["id"] for i in seen][-3:] == ids
    assert "problems" not in seen[-1] and seen[-1]["counts"]["known"] == 3


def test_the_upload_is_documented_as_one_multipart_body(client: FlaskClient):
    """The OpenAPI document shows the file and its fields as multipart/form-data."""
    spec = client.get("/api/v1/openapi.json").json
    body = spec["paths"]["/api/v1/manifests"]["post"]["requestBody"]["content"]
    schema = spec["components"]["schemas"]["ManifestUploadIn"]
    assert list(body) == ["multipart/form-data"]
    assert schema["properties"]["file"]["format"] == "binary"
    assert {"courier", "depot", "atomic"} <= set(schema["properties"])


def test_a_clerks_file_naming_another_courier_is_403_and_writes_nothing(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """A 中通 clerk's file with a 圆通 row: 403 naming it; no import, no parcel."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["运单号", "快递公司", "地址"])
    writer.writerow(["73610555582883", "中通", "棋坪镇棋坪村"])
    writer.writerow(["YT1676021696729", "圆通", "棋坪镇棋坪村"])
    before = [count(session, m) for m in (ManifestImport, ImportProblem, Parcel)]
    response = upload(client, keys["clerk-zto"], text.getvalue().encode(), "m.csv")
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "not 圆通速递's (row 3)" in response.json["detail"]
    after = [count(session, m) for m in (ManifestImport, ImportProblem, Parcel)]
    assert after == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("clerk-zto", 200), ("admin", 200), ("clerk-yto", 404), ("point", 403)],
)
def test_the_rejected_rows_download_as_csv(
    client: FlaskClient, keys: dict[str, str], who: str, status: int
):
    """The report's readers download the rejected rows (UTF-8 with BOM, as an
    attachment); another depot's clerk finds none, a point operator may not."""
    made = upload(client, keys["clerk-zto"], csv_file([*GOOD, BAD]), "m.csv").json
    path = f"/api/v1/manifests/{made['id']}/rejected.csv"
    response = client.get(path, headers=bearer(keys[who]))
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "text/csv"
        disposition = response.headers["Content-Disposition"]
        assert disposition == "attachment; filename=m-rejected.csv"
        text = response.data.decode("utf-8-sig")
        assert response.data.startswith(b"\xef\xbb\xbf")
        assert list(csv.reader(io.StringIO(text)))[1][:4] == BAD[:4]


def test_the_rejected_rows_are_documented_as_a_csv(client: FlaskClient):
    """The OpenAPI document gives the download's media type."""
    spec = client.get("/api/v1/openapi.json").json
    answer = spec["paths"]["/api/v1/manifests/{import_id}/rejected.csv"]["get"]
    assert "text/csv" in answer["responses"]["200"]["content"]
