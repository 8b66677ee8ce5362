"""bench.load's faults and what is checked after them.

* :func:`outage`: the database goes away for a moment: new connections to the
  bench database are refused (``ALTER DATABASE … ALLOW_CONNECTIONS false``) and
  every connection to it is terminated (``pg_terminate_backend``), from a
  connection to the server's own database; after ``seconds`` it comes back.
* :func:`kill_worker`: ``kill -9`` of one gunicorn worker (a child of the master).
* :class:`ReadyPoller`: ``GET /readyz`` every 100 ms, statuses with their times.
* :func:`retry`: every failed POST again, same key and body.
* :func:`verify`: in the database, each 2xx registration's parcel exists exactly
  once (by courier and waybill) and each successful scan made exactly one event.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import gevent
import psutil
import psycopg
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from bench._load_users import Post
from countyhub.platform.models import Courier, Parcel, ParcelEvent

CHUNK = 1000


def libpq(url: str) -> str:
    """A SQLAlchemy URL as psycopg's connection string."""
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def outage(server_url: str, database: str, seconds: float) -> int:
    """Take ``database`` away for ``seconds``; the connections terminated."""
    with psycopg.connect(libpq(server_url), autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        try:
            killed = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            ).fetchone()
            gevent.sleep(seconds)
        finally:
            conn.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    return int(killed[0]) if killed else 0


def workers(master: int) -> list[int]:
    """The pids of the gunicorn ``master``'s workers (none if it is gone)."""
    try:
        return [child.pid for child in psutil.Process(master).children()]
    except psutil.NoSuchProcess:
        return []


def kill_worker(master: int) -> int:
    """``kill -9`` one worker of the gunicorn ``master``; its pid."""
    victim = workers(master)[0]
    os.kill(victim, signal.SIGKILL)
    return victim


@dataclass
class ReadyPoller:
    """Polls ``/readyz`` every 100 ms (or as answered) until stopped; the time of
    each answer is noted."""

    port: int
    start: float
    seen: list[tuple[float, int]] = field(default_factory=list)
    running: bool = True

    def run(self) -> None:
        while self.running:
            sent = time.monotonic()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/readyz")
                status = conn.getresponse().status
                conn.close()
            except (OSError, http.client.HTTPException):
                status = 0
            self.seen.append((time.monotonic() - self.start, status))  # answered
            gevent.sleep(max(0.0, 0.1 - (time.monotonic() - sent)))

    def count(self, status: int, within: tuple[float, float] | None = None) -> int:
        lo, hi = within or (float("-inf"), float("inf"))
        return sum(1 for at, s in self.seen if s == status and lo <= at <= hi)


RETRY_FOR = 75.0  # seconds: past the minute an abandoned claim holds its key


def retry(port: int, posts: Iterable[Post]) -> Counter[str]:
    """Send every failed POST again with its key, as a client would: while the
    answer is 409 (the key's first request still runs, or died holding it: its
    claim frees after a minute) or 503, wait a second and send it again, for up
    to :data:`RETRY_FOR` seconds in all.  What the retries got, by first answer."""
    outcomes: Counter[str] = Counter()
    deadline = time.monotonic() + RETRY_FOR
    for post in posts:
        if 200 <= post.status < 300:
            continue
        waits = 0
        while True:
            status, replayed, body = _send(port, post)
            if status not in (409, 503) or time.monotonic() >= deadline:
                break
            waits += 1
            time.sleep(1)
        first = post.status or ("no answer" if post.done else "cut off at the end")
        waited = f" after {waits} x 409/503" if waits else ""
        outcomes[f"{first} -> {status}{replayed}{waited}"] += 1
        if 200 <= status < 300:
            post.status, post.answer = status, json.loads(body)
    return outcomes


def _send(port: int, post: Post) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            post.path,
            body=post.body,
            headers={
                "Authorization": f"Bearer {post.key}",
                "Content-Type": "application/json",
                "Idempotency-Key": post.idempotency_key,
            },
        )
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    replayed = " (replayed)" if response.getheader("Idempotent-Replayed") else ""
    return response.status, replayed, body


def expected(
    posts: Iterable[Post],
) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """From the 2xx POSTs: the parcels registered, and the scans recorded."""
    parcels, scans = set(), set()
    for post in posts:
        if not 200 <= post.status < 300:
            continue
        body = json.loads(post.body)
        if post.kind == "register":
            parcels.add((body["courier"], body["waybill"]))
        elif post.kind == "register batch":
            results = post.answer["results"]
            for item, outcome in zip(body["items"], results, strict=True):
                if outcome["result"] == "new":
                    parcels.add((item["courier"], item["waybill"]))
        else:
            for item, result in zip(body["items"], post.answer, strict=True):
                if result["ok"]:
                    scans.add((item["courier"], item["waybill"], item["to"]))
    return parcels, scans


def verify(engine: Engine, posts: list[Post]) -> dict[str, int]:
    """Counts: parcels and scans expected, and those not found exactly once."""
    parcels, scans = expected(posts)
    found: Counter[tuple[str, str]] = Counter()
    events: Counter[tuple[str, str, str | None]] = Counter()
    waybills = sorted({w for _, w in parcels} | {w for _, w, _ in scans})
    with engine.connect() as conn:
        for i in range(0, len(waybills), CHUNK):
            chunk = waybills[i : i + CHUNK]
            rows = conn.execute(
                select(Courier.code, Parcel.waybill_no, func.count())
                .join(Courier, Parcel.courier_id == Courier.id)
                .where(Parcel.waybill_no.in_(chunk))
                .group_by(Courier.code, Parcel.waybill_no)
            )
            found.update({(c, w): n for c, w, n in rows})
            steps = conn.execute(
                select(
                    Courier.code, Parcel.waybill_no, ParcelEvent.to_status, func.count()
                )
                .join(Parcel, ParcelEvent.parcel_id == Parcel.id)
                .join(Courier, Parcel.courier_id == Courier.id)
                .where(Parcel.waybill_no.in_(chunk))
                .group_by(Courier.code, Parcel.waybill_no, ParcelEvent.to_status)
            )
            events.update({(c, w, s): n for c, w, s, n in steps})
    return {
        "parcels": len(parcels),
        "parcels not exactly once": sum(1 for p in parcels if found[p] != 1),
        "scans": len(scans),
        "scans not exactly one event": sum(1 for s in scans if events[s] != 1),
    }
