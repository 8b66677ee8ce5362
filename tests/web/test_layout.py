"""The layout and its assets: served by countyhub with a cache header, vendored
files as recorded, nothing loaded from another site."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import log_in

STATIC = Path(__file__).parents[2] / "countyhub" / "web" / "static"
VENDORED = STATIC / "vendor" / "VENDORED.md"


def test_the_stylesheet_is_served_with_a_long_cache(client: FlaskClient):
    """The page names the stylesheet with its digest; it is served a year's cache."""
    page = client.get("/").get_data(as_text=True)
    (href,) = re.findall(r'href="(/static/site\.css\?v=[0-9a-f]+)"', page)
    with client.get(href) as css:
        assert css.status_code == 200 and css.mimetype == "text/css"
        assert "max-age=31536000" in css.headers["Cache-Control"]


def test_every_vendored_file_is_recorded_with_its_digest():
    """Each file in static/vendor has one row in VENDORED.md whose sha256 is its
    own, and each row names a version and a licence."""
    rows = [
        [cell.strip(" `") for cell in line.strip("|").split("|")]
        for line in VENDORED.read_text().splitlines()
        if line.startswith("| `")
    ]
    recorded = {row[0]: row for row in rows}
    files = {p.name for p in (STATIC / "vendor").iterdir() if p.name != "VENDORED.md"}
    assert files == set(recorded) and files
    for name, (_, package, version, licence, source, digest) in recorded.items():
        assert package and version and licence and source
        assert (
            hashlib.sha256((STATIC / "vendor" / name).read_bytes()).hexdigest()
            == digest
        )


@pytest.mark.parametrize("path", ["/", "/login", "/track", "/no-such-page"])
def test_no_page_loads_anything_from_another_site(client: FlaskClient, path: str):
    """No script, stylesheet, font or image from a CDN: every src and stylesheet
    link is a path of this site."""
    log_in(client, "admin")
    page = client.get(path).get_data(as_text=True)
    sources = re.findall(
        r'<(?:script|img|link|iframe|source)\b[^>]*?(?:src|href)="([^"]+)"', page
    )
    assert sources and all(s.startswith("/") and s[1:2] != "/" for s in sources)
    css = (STATIC / "site.css").read_text()
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_the_tracking_page_loads_htmx_from_here(client: FlaskClient):
    """The one script, vendored htmx, comes from this site's static files."""
    page = client.get("/track").get_data(as_text=True)
    (src,) = re.findall(r'<script src="([^"]+)"', page)
    assert src.startswith("/static/vendor/htmx.min.js?v=")
    with client.get(src) as script:
        assert script.status_code == 200
