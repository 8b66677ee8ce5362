"""Browser tests: Debian's Chromium, driven by Playwright, against the app served on
loopback with a database of the module's own (a SQLite file, or a fresh PostgreSQL
database dropped afterwards), seeded as the demo is.

Nothing downloads a browser: Playwright launches ``/usr/bin/chromium`` (``apt-get
install chromium``; ``COUNTYHUB_CHROMIUM`` names another).  Without it the tests
are skipped, except in CI, where a missing browser fails them.

:func:`Visit.check` is called on every page a test visits: it photographs the page
at desktop width and at 360 px (``test-output/screenshots/<test>/``), fails if the
phone page scrolls sideways, and runs axe-core (vendored from npm in ``vendor/``)
on it, failing on any serious or critical accessibility violation.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from countyhub.app import create_app
from countyhub.platform import schema
from countyhub.platform.db import make_engine
from countyhub.platform.demo.make import DEMO_PASSWORD, make_demo
from tests.test_cli import own_database

CHROMIUM = Path(os.environ.get("COUNTYHUB_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
SERIOUS = ("serious", "critical")

try:  # the browser tests' one dependency beyond the app's
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None  # type: ignore[assignment]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the browser tests where no browser is installed (never in CI)."""
    if CHROMIUM.exists() and sync_playwright is not None:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs Chromium at {CHROMIUM} and playwright")
    why = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    skip = pytest.mark.skip(reason=why)
    for item in items:
        if "tests/web/browser" in str(item.path):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def site_database(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of a new database of the module's own, seeded like the demo's."""
    for env in own_database(database_url, tmp_path_factory.mktemp("site")):
        url = env["COUNTYHUB_DATABASE_URL"]
        engine = make_engine(url)
        schema.upgrade(engine)
        with Session(engine) as session:
            make_demo(session, parcels=0)
            session.commit()
        engine.dispose()
        yield url


@pytest.fixture(scope="module")
def site(site_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served on loopback (threads, as a small deployment would); its URL."""
    app = create_app(
        {
            "DATABASE_URL": site_database,
            "COUNTYHUB_RATE_LOGIN": "1000/minute",  # every test logs in
            "COUNTYHUB_RATE_TRACK": "1000/minute",
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["countyhub.db"].dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox"],  # CI runs as root, where the sandbox cannot start
        )
        yield launched
        launched.close()


@dataclass
class Visit:
    """A browser page on the site, with the checks every visited page gets."""

    page: Page
    site: str
    shots: Path
    taken: list[str] = field(default_factory=list)

    def go(self, path: str) -> Any:
        """Open ``path`` of the site; the response."""
        return self.page.goto(self.site + path)

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Log in through the login page as ``username``."""
        self.go("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("form [type=submit]")

    def check(self, name: str) -> None:
        """Photograph the page (desktop, 360 px), check it scrolls no sideways on
        the phone and that axe-core finds nothing serious."""
        label = f"{len(self.taken) + 1:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}"
        self.taken.append(label)
        for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(size)
            shot = self.shots / f"{label}-{width}.png"
            self.page.screenshot(path=shot, full_page=True)
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{name}: scrolls sideways by {overflow} px at 360 px"
        self.page.set_viewport_size(DESKTOP)
        problems = axe_violations(self.page)
        assert not problems, f"{name}: accessibility: " + "; ".join(problems)


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
        if v.get("impact") in SERIOUS
    ]


@pytest.fixture
def visit(
    browser: Browser, site: str, request: pytest.FixtureRequest
) -> Iterator[Visit]:
    """A fresh browser context (no cookies) on the site; its screenshots go to
    ``test-output/screenshots/<test>/``."""
    test = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    shots = Path(request.config.rootpath) / "test-output" / "screenshots" / test
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport=DESKTOP,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        bypass_csp=True,  # axe-core is injected as a script of the page
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Visit(page, site, shots)
    context.close()
