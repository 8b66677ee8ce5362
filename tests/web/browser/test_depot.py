"""The depot clerk's day in a real browser: register a parcel (its number checked
as it is typed), upload a manifest with bad rows, read the report and download the
rejected rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.api.test_manifests import BAD, GOOD, csv_file
from tests.web.browser.conftest import Visit


def test_a_clerk_registers_a_parcel(visit: Visit):
    """A short number is refused as it is typed; the good one registers and the
    parcel's page follows."""
    visit.log_in("clerk-zto")
    visit.page.wait_for_url("**/depot/parcels")
    visit.check("parcel list")
    visit.go("/depot/parcels/new")
    visit.page.fill("#waybill", "12")
    checked = visit.page.locator("#waybill-check")
    checked.filter(has_text="中通快递").wait_for()
    visit.check("register form, number refused as typed")
    visit.page.fill("#waybill", "73610555582890")
    checked.filter(has_text="✓").wait_for()
    visit.page.fill("#address", "江西省宜春市铜鼓县大塅镇浒村村委会三组12号")
    visit.page.fill("#recipient_name", "张三")
    visit.page.fill("#recipient_phone", "13812345678")
    visit.page.click("form.form [type=submit]")
    visit.page.wait_for_url("**/depot/parcels/*?result=new")
    assert "138****5678" in visit.page.inner_text("#phone")
    visit.check("parcel page")


def test_a_clerk_uploads_a_manifest_and_downloads_the_rejected_rows(
    visit: Visit, tmp_path: Path
):
    """Upload with progress → the report counts the bad row → its download holds
    exactly that row and what is wrong with it."""
    visit.log_in("clerk-zto")
    visit.page.wait_for_url("**/depot/parcels")
    visit.go("/depot/manifests/new")
    visit.check("upload form")
    file = tmp_path / "清单.csv"
    file.write_bytes(csv_file([*GOOD, BAD]))
    visit.page.set_input_files("#file", str(file))
    visit.page.click("form.form [type=submit]")
    visit.page.wait_for_url("**/depot/manifests/*")
    assert visit.page.inner_text("#rejected") == "1"
    visit.check("import report")
    with visit.page.expect_download() as download:
        visit.page.click("#download")
    saved = Path(download.value.path()).read_bytes()
    rows = list(csv.reader(io.StringIO(saved.decode("utf-8-sig"))))
    assert download.value.suggested_filename == "清单-rejected.csv"
    assert len(rows) == 2 and rows[1][:4] == BAD[:4]
