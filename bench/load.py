"""The API under a realistic mix at a fixed arrival rate, and under faults.

    python -m bench.load [--rate 200] [--seconds 60] [--faults] [--outage 2]
                         [--warmup 5] [--workers 4] [--server-log FILE]

Starts the app under gunicorn (4 workers, rate counters shared in Redis at
``COUNTYHUB_RATE_STORAGE``, default ``redis://127.0.0.1:6379``, limits raised) on
a fresh database of the server named by ``COUNTYHUB_DATABASE_URL`` (PostgreSQL
for ``--faults``), seeded like ``countyhub demo --no-serve`` plus the parcels the
mix moves (``bench/_load_setup.py``).  Then locust, as a library, headless, sends
``--rate`` requests per second for ``--seconds``: each user's requests start as
a Poisson process, so that together they keep the rate as independent clients
would (``bench/_load_users.py``: why not locust's lockstep ``constant_throughput``),
after ``--warmup``
seconds of the same load, not measured: workers' first requests, connections;
a user waits for its answer, so a saturated server lowers the rate achieved,
which is printed against the rate asked).  The mix (percent):
depots registering singly 20 and in batches of 20 parcels 5, centre scans of 5
parcels 20, hand-overs at points 10, public tracking 30, analysts listing 15.
Every POST carries an ``Idempotency-Key``.  It prints throughput, p50/p95/p99
per kind and the errors, against the target: the rate kept, p99 under 300 ms,
no error.

``--faults`` runs the same load and, at a third of it, takes the database away for
``--outage`` seconds (new connections refused, every connection terminated with
``pg_terminate_backend``), at two thirds ``kill -9``s one gunicorn worker, and
polls ``/readyz`` every 100 ms throughout. Afterwards it retries every failed POST
with its key as a client would (again after a second while the answer is 409 or
503: a killed worker's claim frees after a minute), checks in the database that
every 2xx registration's parcel exists exactly once and every successful scan made
exactly one event, and prints these counts: /readyz 503s answered while the
database was away, errors more than 5 s after the last fault (the pool recovered
without a restart: the same master, the engine's ``pool_pre_ping``), the retries'
outcomes by first answer ("cut off at the end": still in flight when the run
stopped). Also printed: the CPU used by the load generator and the workers, and
the load average, since on a shared machine other work takes CPU too.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import socket
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
import psutil
from locust.env import Environment  # early: it monkey-patches for gevent
from sqlalchemy.engine import make_url

from bench import _load_faults as faults
from bench._load_setup import seed
from bench._load_users import POSTS, STATE, Mix, configure
from bench.api import free_port, start_server
from bench.intake import prepared_engine, scratch_database
from countyhub.platform.db import make_engine

P99_TARGET_MS = 300


def run_load(port: int, args: argparse.Namespace, server: Any) -> list[str]:
    """Drive the mix (with the faults if asked); the lines of the report."""
    env = Environment(user_classes=[Mix], host=f"http://127.0.0.1:{port}")
    failures: list[tuple[float, str, str]] = []  # (when, kind, what)

    def note(name: str, exception: BaseException | None = None, **_: Any) -> None:
        if exception is not None:
            failures.append((time.monotonic() - STATE.start, name, str(exception)))

    env.events.request.add_listener(note)
    users = max(10, math.ceil(args.rate))  # 1/s each: a slow answer delays little
    configure(STATE.fixture, args.rate, users)
    poller = faults.ReadyPoller(port, STATE.start)
    polling = gevent.spawn(poller.run)
    happened: dict[str, Any] = {}
    if args.faults:
        database = str(make_url(args.url).database)

        def take_away() -> None:
            happened["outage"] = time.monotonic() - STATE.start
            happened["terminated"] = faults.outage(args.server, database, args.outage)
            happened["back"] = time.monotonic() - STATE.start

        def kill() -> None:
            happened["kill"] = time.monotonic() - STATE.start
            happened["victim"] = faults.kill_worker(server.pid)

    runner = env.create_local_runner()
    runner.start(users, spawn_rate=min(users, 100))  # within the warm-up
    gevent.sleep(args.warmup)  # workers' first requests, connections: not measured
    env.stats.reset_all()
    failures.clear()
    STATE.start = poller.start = time.monotonic()
    before = cpu_seconds(server.pid)
    if args.faults:
        gevent.spawn_later(args.seconds / 3, take_away)
        gevent.spawn_later(args.seconds * 2 / 3, kill)
    gevent.sleep(args.seconds)
    elapsed = time.monotonic() - STATE.start
    after = cpu_seconds(server.pid)
    cpu = [(b - a) / elapsed * 100 for a, b in zip(before, after, strict=True)]
    runner.quit()
    poller.running = False
    polling.join()
    lines = stats_lines(env, elapsed, args.rate)
    lines.append(
        f"CPU while measured (% of one core): load generator {cpu[0]:.0f}, "
        f"gunicorn workers {cpu[1]:.0f}; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores (a shared machine: other work counts too)"
    )
    if args.faults:
        lines += fault_lines(port, args, server, happened, poller, failures)
    return lines


def cpu_seconds(master: int) -> tuple[float, float]:
    """CPU seconds used so far by this process and by the gunicorn workers."""
    mine = psutil.Process().cpu_times()
    theirs = 0.0
    for pid in faults.workers(master):
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.NoSuchProcess:
            continue
        theirs += times.user + times.system
    return mine.user + mine.system, theirs


def stats_lines(env: Environment, elapsed: float, rate: float) -> list[str]:
    rows = [
        f"{'kind':<16} {'requests':>8} {'failed':>6} {'req/s':>7} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    ]
    entries = sorted(env.stats.entries.values(), key=lambda e: e.name)
    for entry in [*entries, env.stats.total]:
        rows.append(
            f"{entry.name:<16} {entry.num_requests:>8} {entry.num_failures:>6} "
            f"{entry.num_requests / elapsed:>7.1f} "
            f"{entry.get_response_time_percentile(0.5):>7.0f} "
            f"{entry.get_response_time_percentile(0.95):>7.0f} "
            f"{entry.get_response_time_percentile(0.99):>7.0f} "
            f"{entry.max_response_time or 0:>7.0f}"
        )
    total = env.stats.total
    achieved = total.num_requests / elapsed
    p99 = total.get_response_time_percentile(0.99)
    rows.append("errors:" if env.stats.errors else "errors: none")
    for error in env.stats.errors.values():
        rows.append(f"  {error.occurrences:>6} x {error.name}: {error.error}")
    met = achieved >= 0.97 * rate and p99 < P99_TARGET_MS and not total.num_failures
    rows.append(
        f"target: {rate:.0f} req/s with p99 < {P99_TARGET_MS} ms and no error -> "
        f"{achieved:.1f} req/s, p99 {p99:.0f} ms, {total.num_failures} errors: "
        f"{'MET' if met else 'NOT MET'}"
    )
    return rows


def fault_lines(
    port: int,
    args: argparse.Namespace,
    server: Any,
    happened: dict[str, Any],
    poller: faults.ReadyPoller,
    failures: list[tuple[float, str, str]],
) -> list[str]:
    back = happened.get("back", happened["outage"])  # missing: the outage failed
    away = (happened["outage"], back + 1)  # answered while away
    settled = happened["kill"] + 5
    late = [f"{at:.1f} s {kind}: {what}" for at, kind, what in failures if at > settled]
    failed = [p for p in POSTS if not 200 <= p.status < 300]
    outcomes = faults.retry(port, POSTS)
    engine = make_engine(args.url)
    checks = faults.verify(engine, POSTS)
    pre_ping = bool(getattr(engine.pool, "_pre_ping", False))
    engine.dispose()
    after = faults.workers(server.pid)
    ok = (
        poller.count(503, away) > 0
        and not late
        and not checks["parcels not exactly once"]
        and not checks["scans not exactly one event"]
        and all(" -> 2" in outcome for outcome in outcomes)
        and server.poll() is None
    )
    return [
        "faults:",
        f"  database away at {away[0]:.1f} s for {args.outage:.1f} s: "
        f"{happened.get('terminated', 'NO')} connections terminated",
        f"  /readyz: {len(poller.seen)} polls; 503 while away "
        f"{poller.count(503, away)}, 503 otherwise "
        f"{poller.count(503) - poller.count(503, away)}, no answer "
        f"{poller.count(0)}; last answer {poller.seen[-1][1]}",
        f"  kill -9 worker {happened.get('victim', 'NONE')} at "
        f"{happened['kill']:.1f} s; "
        f"workers now {len(after)} under the same master {server.pid} "
        f"({'running' if server.poll() is None else f'EXITED {server.returncode}'})",
        f"  failed requests: {len(failures)} in all, {len(late)} more than 5 s "
        f"after the last fault (the pool recovered: {'no' if late else 'yes'}); "
        f"engine pool_pre_ping={pre_ping}",
        *(f"    {line}" for line in late[:5]),
        f"  failed POSTs retried with their key: {len(failed)}",
        *(f"    {n:>5} x {k}" for k, n in sorted(outcomes.items())),
        f"  2xx registrations: {checks['parcels']} parcels, "
        f"{checks['parcels not exactly once']} not in the database exactly once",
        f"  successful scans: {checks['scans']}, "
        f"{checks['scans not exactly one event']} without exactly one event",
        f"fault target (503 while away, recovery, exactly once, retries 2xx): "
        f"{'MET' if ok else 'NOT MET'}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200, help="requests/s")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--outage", type=float, default=2, help="seconds away")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn's")
    parser.add_argument("--server-log", help="keep gunicorn's log in this file")
    parser.add_argument(
        "--warmup", type=float, default=5, help="seconds of load before measuring"
    )
    args = parser.parse_args()
    redis_up(args.redis)  # the workers share their rate counters there
    with tempfile.TemporaryDirectory() as tmp, scratch_database(Path(tmp)) as url:
        engine = prepared_engine(url)
        if args.faults and engine.dialect.name != "postgresql":
            raise SystemExit("--faults needs COUNTYHUB_DATABASE_URL on PostgreSQL")
        args.url, args.server = url, os.environ.get("COUNTYHUB_DATABASE_URL", "")
        started = time.perf_counter()
        STATE.fixture = seed(engine, args.rate, args.seconds, random.Random(args.seed))
        engine.dispose()
        print(
            f"database: {engine.dialect.name}  server: gunicorn, {args.workers} "
            "workers  "
            f"load: {args.rate:.0f} req/s for {args.seconds:.0f} s"
            f"{' with faults' if args.faults else ''}  (seeded in "
            f"{time.perf_counter() - started:.0f} s)"
        )
        port = free_port()
        log_path = Path(args.server_log or Path(tmp) / "gunicorn.log")
        with log_path.open("wb") as log:
            server = start_server(
                url,
                port,
                Path(tmp) / "instance",
                workers=args.workers,
                settings={"COUNTYHUB_RATE_STORAGE": args.redis},
                log=log,
            )
            try:
                for line in run_load(port, args, server):
                    print(line)
            finally:
                server.terminate()
                server.wait(timeout=30)


def redis_up(url: str) -> None:
    """Exit unless Redis answers PING at ``url``."""
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or 6379), timeout=5
        ) as conn:
            conn.sendall(b"PING\r\n")
            if not conn.recv(64).startswith(b"+PONG"):
                raise OSError("no PONG")
    except OSError as exc:
        raise SystemExit(f"Redis at {url} does not answer ({exc})") from exc


if __name__ == "__main__":
    main()
