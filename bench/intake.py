"""Manifest import speed against a raw bulk insert of the same rows, and peak memory.

    python -m bench.intake --rows 100000

Writes a GB18030 CSV manifest of ``--rows`` synthetic parcels for the Tonggu county,
imports it through ``countyhub.platform.intake.manifests.import_manifest`` (the path a
depot's file takes: reading, waybill rules, address resolution, exactly-once
insert, events, chunked commits), then inserts the same rows with a plain
SQLAlchemy Core ``executemany`` into the parcel table, and prints both speeds and
their ratio.  The database is ``COUNTYHUB_DATABASE_URL`` (default: SQLite); the
benchmark works in a fresh SQLite file or a fresh PostgreSQL database of its own,
dropped afterwards.  Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from countyhub.platform import schema
from countyhub.platform.county.resolver import Place
from countyhub.platform.db import make_engine, sqlite_url, utcnow
from countyhub.platform.demo.addresses import sample_address
from countyhub.platform.demo.make import make_demo
from countyhub.platform.demo.parcels import GIVEN, SURNAMES, point_places, waybill_for
from countyhub.platform.intake.manifests import ImportReport, import_manifest
from countyhub.platform.models import Courier, Parcel, User

HEADER = ["运单号", "收件人", "电话", "地址", "重量(kg)", "件数"]


@contextmanager
def scratch_database(tmp: Path) -> Iterator[str]:
    """A fresh database on the configured server, removed afterwards."""
    url = os.environ.get("COUNTYHUB_DATABASE_URL")
    if not url or make_url(url).get_backend_name() == "sqlite":
        yield sqlite_url(tmp / "bench.sqlite")
        return
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    name = f"countyhub_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def write_manifest(path: Path, rows: int, places: list[Place], seed: int) -> None:
    rng = random.Random(seed)
    seen: set[str] = set()
    with path.open("w", encoding="gb18030", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["中通快递铜鼓网点 派件清单"])
        out.writerow(HEADER)
        while len(seen) < rows:
            waybill = waybill_for("ZTO", rng)
            if waybill in seen:
                continue
            seen.add(waybill)
            style = rng.choices(
                ["full", "short", "bare", "unresolvable"], [45, 35, 16, 4]
            )[0]
            out.writerow(
                [
                    waybill,
                    rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "1" + rng.choice("3456789") + f"{rng.randrange(10**9):09d}",
                    sample_address(rng, rng.choice(places), style=style),
                    f"{rng.uniform(0.1, 20):.2f}",
                    "1",
                ]
            )


def raw_rows(path: Path, courier_id: int) -> Iterator[dict[str, object]]:
    """The same rows as the file, as parcel-table dicts, without any rule applied."""
    now = utcnow()
    with path.open(encoding="gb18030", newline="") as handle:
        reader = csv.reader(handle)
        next(reader), next(reader)
        for waybill, name, phone, address, weight, pieces in reader:
            yield {
                "courier_id": courier_id,
                "waybill_no": waybill,
                "waybill_raw": waybill,
                "direction": "inbound",
                "status": "registered",
                "address": address,
                "address_state": "unresolved",
                "address_note": "",
                "recipient_name": name,
                "recipient_phone": phone,
                "weight_kg": float(weight),
                "pieces": int(pieces),
                "registered_at": now,
                "updated_at": now,
            }


def raw_insert(engine, path: Path, courier_id: int, batch: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        rows: list[dict[str, object]] = []
        for row in raw_rows(path, courier_id):
            rows.append(row)
            if len(rows) == batch:
                conn.execute(insert(Parcel), rows)
                rows = []
        if rows:
            conn.execute(insert(Parcel), rows)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepared_engine(url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    schema.upgrade(engine)
    with Session(engine) as session:
        make_demo(session, parcels=0)
        session.commit()
    return engine


def timed_import(engine, manifest: Path) -> tuple[float, ImportReport]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        actor = session.scalar(select(User).where(User.username == "admin"))
        start = time.perf_counter()
        report = import_manifest(session, actor, manifest, courier="ZTO")
        session.commit()
        return time.perf_counter() - start, report


def timed_raw(engine, manifest: Path) -> float:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        courier_id = session.scalar(select(Courier.id).where(Courier.code == "YTO"))
    start = time.perf_counter()
    raw_insert(engine, manifest, courier_id)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each, each in a fresh database; best is kept",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        manifest = Path(tmp) / "manifest.csv"
        imports, raws = [], []
        for run in range(args.repeat):
            (Path(tmp) / f"run{run}").mkdir()
            with scratch_database(Path(tmp) / f"run{run}") as url:
                engine = prepared_engine(url)
                if run == 0:
                    with Session(engine) as session:
                        places = point_places(session)
                    write_manifest(manifest, args.rows, places, args.seed)
                    print(
                        f"database: {engine.dialect.name}  rows: {args.rows:,}  "
                        f"file: {manifest.stat().st_size / 2**20:.1f} MB CSV in "
                        f"GB18030  runs: {args.repeat}"
                    )
                seconds, report = timed_import(engine, manifest)
                imports.append(seconds)
                if run == 0:
                    print(
                        f"import report: {report.counts['new']:,} new, "
                        f"{report.rejected:,} rejected, {report.unresolved:,} "
                        f"addresses unresolved; peak RSS {peak_mb():.0f} MB"
                    )
                raws.append(timed_raw(engine, manifest))
                engine.dispose()
            print(f"run {run + 1}: import {imports[-1]:6.2f} s, raw {raws[-1]:6.2f} s")
    best_import, best_raw = min(imports), min(raws)
    print(f"manifest import: {args.rows / best_import:9,.0f} rows/s (best run)")
    print(f"raw Core insert: {args.rows / best_raw:9,.0f} rows/s (best run)")
    print(f"ratio import/raw: {best_raw / best_import:.2f}  (target: at least 0.33)")
    print(f"peak RSS: {peak_mb():.0f} MB  (target for 1,000,000 rows: under 300 MB)")


if __name__ == "__main__":
    main()
