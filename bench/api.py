"""The API under load: batch registration and public tracking through gunicorn.

    python -m bench.api [--batches 40] [--batch-size 1000] [--concurrency 4]
                        [--track-rate 100] [--track-seconds 10]

Starts the app under gunicorn (2 workers) on loopback against a fresh database of
the server named by ``COUNTYHUB_DATABASE_URL`` (default SQLite), then prints:

* batch registration: ``--batches`` POSTs of ``--batch-size`` parcels at a fixed
  concurrency — parcels per second, requests per second, p50/p99 latency;
* public tracking: GETs at a fixed arrival rate (``--track-rate`` per second, open
  loop, so a slow server cannot slow the load down) — achieved rate, p50/p99.

Rate limits are lifted for the run; everything else is the production path.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.intake import prepared_engine, scratch_database
from countyhub.platform.accounts.api_keys import issue_api_key
from countyhub.platform.demo.parcels import waybill_for
from countyhub.platform.models import User

ADDRESSES = [
    "江西省宜春市铜鼓县大塅镇浒村村委会三组",
    "棋坪镇棋坪村",
    "三都镇东浒村五组",
    "铜鼓县温泉镇石桥村",
    "港口乡港口村二组8号",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    url: str,
    port: int,
    instance: Path,
    workers: int = 2,
    settings: dict[str, str] | None = None,
    log: IO[bytes] | None = None,
) -> subprocess.Popen[bytes]:
    """gunicorn serving the app on loopback, rate limits lifted; ``settings`` adds
    to (or overrides) its environment, ``log`` takes its stderr."""
    env = {
        **os.environ,
        "COUNTYHUB_DATABASE_URL": url,
        "COUNTYHUB_INSTANCE_PATH": str(instance),
        "COUNTYHUB_RATE_PER_KEY": "1000000/minute",
        "COUNTYHUB_RATE_PER_ADDRESS": "1000000/minute",
        "COUNTYHUB_RATE_TRACK": "1000000/minute",
        **(settings or {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "countyhub.app:create_app()",
    ]
    server = subprocess.Popen(command, env=env, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


_local = threading.local()


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, float]:
    """One request on this thread's keep-alive connection: (status, seconds)."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        _local.conn = None  # a broken connection is not reused
        conn.close()
        raise
    return response.status, time.perf_counter() - start


def batches(n: int, size: int, rng: random.Random) -> list[bytes]:
    out = []
    for _ in range(n):
        items = [
            {
                "waybill": waybill_for("ZTO", rng),
                "courier": "ZTO",
                "address": rng.choice(ADDRESSES),
                "recipient_name": "王五",
                "recipient_phone": "13812345678",
                "weight_kg": 1.2,
            }
            for _ in range(size)
        ]
        out.append(json.dumps({"items": items}).encode())
    return out


def percentile(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100)[int(q) - 1]
        if len(values) > 1
        else values[0]
    )


def run_batches(
    port: int, key: str, bodies: list[bytes], concurrency: int, size: int
) -> list[str]:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(
            pool.map(
                lambda b: request(port, "POST", "/api/v1/parcels/batch", b, headers),
                bodies,
            )
        )
    wall = time.perf_counter() - start
    bad = [s for s, _ in results if s != 200]
    times = [t for _, t in results]
    return [
        f"batch registration: {len(bodies)} requests x {size} parcels, "
        f"concurrency {concurrency}, {len(bad)} failed",
        f"  {len(bodies) * size / wall:9,.0f} parcels/s   {len(bodies) / wall:6.1f} "
        f"requests/s   p50 {percentile(times, 50) * 1000:7.1f} ms   "
        f"p99 {percentile(times, 99) * 1000:7.1f} ms   (target: 5,000 parcels/s "
        "on PostgreSQL)",
    ]


def run_tracking(
    port: int, waybills: list[str], rate: float, seconds: float
) -> list[str]:
    count = int(rate * seconds)
    rng = random.Random(7)
    times: list[float] = []
    statuses: list[int] = []
    start = time.perf_counter()

    def one(i: int) -> None:
        delay = start + i / rate - time.perf_counter()  # open loop: fixed schedule
        if delay > 0:
            time.sleep(delay)
        status, took = request(port, "GET", f"/api/v1/track/{rng.choice(waybills)}")
        statuses.append(status)
        times.append(took)

    with ThreadPoolExecutor(32) as pool:
        list(pool.map(one, range(count)))
    wall = time.perf_counter() - start
    bad = sum(1 for s in statuses if s != 200)
    return [
        f"public tracking: {count} lookups scheduled at {rate:.0f}/s, {bad} failed",
        f"  {count / wall:9,.1f} requests/s achieved   p50 "
        f"{percentile(times, 50) * 1000:7.1f} ms   p99 "
        f"{percentile(times, 99) * 1000:7.1f} ms   (target: p99 under 50 ms)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--track-rate", type=float, default=100)
    parser.add_argument("--track-seconds", type=float, default=10)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp, scratch_database(Path(tmp)) as url:
        engine = prepared_engine(url)
        with Session(engine) as session:
            admin = session.scalar(select(User).where(User.username == "admin"))
            key = issue_api_key(session, admin, admin, "bench")
            session.commit()
        engine.dispose()
        bodies = batches(args.batches, args.batch_size, rng)
        port = free_port()
        server = start_server(url, port, Path(tmp) / "instance")
        try:
            print(f"database: {url.split(':')[0]}  server: gunicorn, 2 workers")
            for line in run_batches(
                port, key, bodies, args.concurrency, args.batch_size
            ):
                print(line)
            waybills = [
                item["waybill"]
                for body in bodies[:5]
                for item in json.loads(body)["items"]
            ]
            for line in run_tracking(
                port, waybills, args.track_rate, args.track_seconds
            ):
                print(line)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
