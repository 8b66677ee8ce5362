"""The pages' speed and size on the demo data, as each role sees them.

    python -m bench.pages [--parcels 3000] [--times 20]

Makes the demo (``countyhub demo --no-serve``: the county, its users and a history
of ``--parcels`` parcels from the first of last month) in a fresh database of the
server named by ``COUNTYHUB_DATABASE_URL`` (default SQLite), serves the app on
loopback (threads, as ``countyhub serve`` does), logs in through the login page as
each role and fetches each of its pages ``--times`` times.  Prints per page: the
median and 95th percentile of the time to the whole answer, its size in bytes
(the HTML; the stylesheet and scripts are cached a year), and the status; then the
target (every page under 300 ms at the median and the 95th percentile) and the
site's GET pages that no row measured, so that a new page cannot be forgotten.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from bench.intake import scratch_database
from countyhub.app import create_app
from countyhub.platform import schema
from countyhub.platform.db import make_engine
from countyhub.platform.demo.make import DEMO_PASSWORD, make_demo
from countyhub.platform.models import Courier, Parcel, User

TARGET_MS = 300
# Who sees which pages: role (a demo username, "" for no login, "point" for the
# first point operator) -> paths; {waybill}, {zto_parcel}, {point_parcel} are
# parcels of the demo (demo_samples).
PAGES: dict[str, tuple[str, ...]] = {
    "": ("/", "/login", "/track", "/track?waybill={waybill}"),
    "admin": ("/",),
    "dispatcher": ("/", "/centre/scan", "/centre/unresolved"),
    "analyst": ("/",),
    "clerk-zto": (
        "/",
        "/depot/parcels",
        "/depot/parcels?waybill={waybill}",
        "/depot/parcels/new",
        "/depot/parcels/check?waybill={waybill}",
        "/depot/parcels/{zto_parcel}",
        "/depot/manifests/new",
    ),
    "point": (
        "/",
        "/point/parcels",
        "/point/parcels/{point_parcel}",
        "/point/outbound",
    ),
}
NOT_PAGES = ("/api/", "/static/", "/healthz", "/readyz", "/lang/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=3000)
    parser.add_argument("--times", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, scratch_database(Path(tmp)) as url:
        started = time.perf_counter()
        samples = demo_samples(url, args.parcels)
        took = time.perf_counter() - started
        print(f"demo of {args.parcels} parcels made in {took:.0f} s")
        app = create_app(
            {
                "DATABASE_URL": url,
                "COUNTYHUB_RATE_LOGIN": "1000/minute",
                "COUNTYHUB_RATE_TRACK": "100000/minute",
            }
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            site = f"http://127.0.0.1:{server.server_port}"
            rows = [
                measure(site, role, path.format(**samples), args.times, samples)
                for role, paths in PAGES.items()
                for path in paths
            ]
            measured = {endpoint(app, path.format(**samples)) for _, path, *_ in rows}
        finally:
            server.shutdown()
            app.extensions["countyhub.db"].dispose()
        for line in report(rows, unmeasured(app, measured)):
            print(line)


def demo_samples(url: str, parcels: int) -> dict[str, str]:
    """Make the demo in ``url``'s database; what the pages' paths need of it."""
    engine = make_engine(url)
    schema.upgrade(engine)
    with Session(engine) as session:
        make_demo(session, parcels=parcels)
        session.commit()
        operator = session.scalars(
            select(User)
            .where(User.role_code == "point_operator")
            .order_by(User.username)
        ).first()
        assert operator is not None, "the demo has point operators"
        zto = session.scalars(
            select(Parcel)
            .join(Courier, Courier.id == Parcel.courier_id)
            .where(Courier.code == "ZTO")
            .order_by(Parcel.id)
        ).first()
        at_point = session.scalar(
            select(Parcel.id)
            .where(Parcel.service_point_id == operator.service_point_id)
            .order_by(Parcel.status != "arrived", Parcel.id)
        )
        samples = {
            "waybill": zto.waybill_no if zto else "",
            "zto_parcel": str(zto.id if zto else 0),
            "point_parcel": str(at_point or 0),
            "point": operator.username,
        }
    engine.dispose()
    return samples


Row = tuple[str, str, int, float, float, int]  # role, path, status, p50, p95, bytes


def measure(
    site: str, role: str, path: str, times: int, samples: dict[str, str]
) -> Row:
    """Fetch ``path`` ``times`` times as ``role`` (logged in first)."""
    with httpx.Client(base_url=site, timeout=30) as client:
        username = samples.get(role, role)
        if username:
            log_in(client, username)
        took, answer = [], None
        for _ in range(times):
            start = time.perf_counter()
            answer = client.get(path)
            answer.read()
            took.append((time.perf_counter() - start) * 1000)
        assert answer is not None
        p95 = statistics.quantiles(took, n=20)[-1] if len(took) > 1 else took[0]
        shown = username or "(no login)"
        return (
            shown,
            path,
            answer.status_code,
            statistics.median(took),
            p95,
            len(answer.content),
        )


def log_in(client: httpx.Client, username: str) -> None:
    """Log in through the login page (its CSRF token first)."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "the login page has no CSRF token"
    answer = client.post(
        "/login",
        data={
            "csrf_token": token.group(1),
            "username": username,
            "password": DEMO_PASSWORD,
        },
    )
    assert answer.status_code == 302, f"{username}: login answered {answer.status_code}"


def endpoint(app: Flask, path: str) -> str:
    """The endpoint that answers ``path`` (GET)."""
    adapter = app.url_map.bind("localhost")
    return str(adapter.match(path.split("?")[0], method="GET")[0])


def unmeasured(app: Flask, measured: set[str]) -> list[str]:
    """The site's GET pages (not the API, static files or checks) no row fetches."""
    found = []
    for rule in app.url_map.iter_rules():
        path = str(rule.rule)
        if "GET" not in (rule.methods or ()) or path.startswith(NOT_PAGES):
            continue
        if rule.endpoint not in measured:
            found.append(path)
    return sorted(found)


def report(rows: list[Row], missing: list[str]) -> list[str]:
    lines = [
        f"{'who':<24} {'page':<36} {'status':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'bytes':>7}"
    ]
    for who, path, status, p50, p95, size in rows:
        shown = path if len(path) <= 36 else path[:35] + "…"
        lines.append(
            f"{who:<24} {shown:<36} {status:>6} {p50:>7.1f} {p95:>7.1f} {size:>7}"
        )
    slow = [r for r in rows if r[4] >= TARGET_MS or r[2] >= 400]
    lines.append(
        f"target: every page under {TARGET_MS} ms (p95), status < 400 -> "
        + ("MET" if not slow else f"NOT MET ({len(slow)} pages)")
    )
    lines.append("pages not measured: " + (", ".join(missing) if missing else "none"))
    return lines


if __name__ == "__main__":
    main()
