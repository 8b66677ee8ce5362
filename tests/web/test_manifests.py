"""The depot's manifest pages: upload (errors beside the file field), the row-level
report paged, the rejected rows as a CSV that, once fixed, uploads cleanly."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask.testing import FlaskClient

from tests.api.test_manifests import BAD, GOOD, csv_file
from tests.web.conftest import form_token, log_in


def send(browser: FlaskClient, content: bytes, name: str = "清单.csv", **form: str):
    """Post the upload form as a browser does (with its token)."""
    token = form_token(browser, "/depot/manifests/new")
    data = {"file": (io.BytesIO(content), name), "csrf_token": token, **form}
    return browser.post(
        "/depot/manifests/new", data=data, content_type="multipart/form-data"
    )


@pytest.fixture
def clerk(client: FlaskClient) -> FlaskClient:
    """The ZTO depot's clerk, logged in, reading English."""
    client.set_cookie("lang", "en")
    log_in(client, "clerk-zto")
    return client


def test_the_upload_form_carries_its_token(clerk: FlaskClient):
    """The form posts a file with its CSRF token and shows a progress bar."""
    page = clerk.get("/depot/manifests/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page
    assert "<progress" in page


def test_bad_rows_lead_to_the_report_then_a_fixed_file_goes_in(clerk: FlaskClient):
    """Upload → report (counts, row, column, reason) → rejected rows as CSV →
    corrected and uploaded again: all new, nothing rejected."""
    sent = send(clerk, csv_file([*GOOD, BAD]))
    assert sent.status_code == 303
    report = clerk.get(sent.headers["Location"]).get_data(as_text=True)
    assert '<td class="n" id="new">3</td>' in report
    assert '<td class="n" id="rejected">1</td>' in report
    assert '<td class="n">6</td><td>waybill</td><td class="mono">12</td>' in report
    link = re.search(r'href="([^"]+/rejected\.csv)"', report).group(1)
    download = clerk.get(link)
    assert download.mimetype == "text/csv"
    assert download.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][:4] == BAD[:4]
    rows[1][0] = "73610555582890"
    fixed = io.StringIO()
    csv.writer(fixed).writerows(rows)
    again = send(clerk, fixed.getvalue().encode("utf-8-sig"), "清单-rejected.csv")
    second = clerk.get(again.headers["Location"]).get_data(as_text=True)
    assert '<td class="n" id="new">1</td>' in second
    assert '<td class="n" id="rejected">0</td>' in second
    assert 'id="download"' not in second


def test_many_problems_are_paged(clerk: FlaskClient):
    """60 bad rows: 50 problems on the first page, the rest behind its link."""
    sent = send(clerk, csv_file([BAD] * 60))
    first = clerk.get(sent.headers["Location"]).get_data(as_text=True)
    assert first.count("<td>waybill</td>") == 50
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1)
    rest = clerk.get(following.replace("&amp;", "&")).get_data(as_text=True)
    assert rest.count("<td>waybill</td>") == 10


def test_the_report_masks_names_and_phones(clerk: FlaskClient):
    """A phone number in a problem's value is masked as the API masks it."""
    phone = "13812345678 or 13912345678"  # two numbers: too long for one
    bad_phone = ["73610555582890", "赵六", phone, "大塅镇大塅村", "1", "1"]
    sent = send(clerk, csv_file([bad_phone]))
    page = clerk.get(sent.headers["Location"]).get_data(as_text=True)
    assert "<td>recipient_phone</td>" in page
    assert "138****" in page and "13812345678" not in page


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "Choose the manifest file."),
        (b"just some text\nno header\n", "no header row found"),
    ],
)
def test_a_file_that_is_no_manifest_is_refused_beside_the_field(
    clerk: FlaskClient, content: bytes, says: str
):
    """422, the form again with the reason under the file field."""
    refused = send(clerk, content, "" if not content else "note.csv")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    beside = re.search(r'<p class="problem" id="file-problem"[^>]*>([^<]*)</p>', page)
    assert beside and says in beside.group(1)


def test_another_depots_report_is_not_found(clerk: FlaskClient, app):
    """The YTO clerk gets 404 for the ZTO report and its rejected rows."""
    sent = send(clerk, csv_file([*GOOD, BAD]))
    other = app.test_client()
    log_in(other, "clerk-yto")
    report = sent.headers["Location"]
    assert other.get(report).status_code == 404
    assert other.get(f"{report}/rejected.csv").status_code == 404


def test_an_admin_names_the_depot(client: FlaskClient):
    """The admin's upload asks for the depot, then takes the file for it."""
    log_in(client, "admin")
    assert send(client, csv_file(GOOD)).status_code == 422
    assert send(client, csv_file(GOOD), depot="TG-ZTO").status_code == 303
