"""How fast the dashboard's figures answer over a year of a county's parcels.

    python -m bench.stats [--parcels 7000000] [--sqlite-parcels 1000000]

Generates one year (2025) of the default county (its gazetteer, its couriers,
its vehicles): ``--parcels`` parcels, most of them inbound (registered →
received → sorted → loaded → arrived → delivered, a few returned, a few with an
unresolved address), a tenth outbound with product categories (registered →
collected → at_centre → handed_over), plausible times between the steps; a
visit of each point every two days; a plan with two runs every day.  It loads
them into a fresh database of the server ``COUNTYHUB_DATABASE_URL`` names with
COPY (PostgreSQL), dropped afterwards, and times every figure for a month
(2025-06) and for the year: cold (the first call in a fresh session; the very
first call of all also builds the daily rollup, timed apart as "rollup") and
warm (the same call again).  Then the same on SQLite (a scratch file, batched
Core inserts) with ``--sqlite-parcels``.  Load times are printed.  Nothing is
kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench.intake import prepared_engine, scratch_database
from countyhub.platform.db import sqlite_url
from countyhub.platform.models import (
    Courier,
    Parcel,
    ParcelEvent,
    Plan,
    PlanRun,
    PointVisit,
    ServicePoint,
    User,
    Vehicle,
)
from countyhub.platform.parcels.categories import CODES
from countyhub.platform.parcels.scans import CONSENT
from countyhub.platform.stats.cadence import cadence
from countyhub.platform.stats.consent import consent
from countyhub.platform.stats.coverage import coverage
from countyhub.platform.stats.fleet import fleet
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.rollup import refresh
from countyhub.platform.stats.service import service_level
from countyhub.platform.stats.statements import statements
from countyhub.platform.stats.volumes import volumes

YEAR = 2025
START = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC) - dt.timedelta(hours=8)  # local 00:00
NOW = dt.datetime(YEAR + 1, 1, 15, tzinfo=dt.UTC)
HOUR = 3600
FIGURES: dict[str, Callable[[Session, User, StatsQuery], Any]] = {
    "volumes": volumes,
    "service level": service_level,
    "consent": consent,
    "statements": lambda s, a, q: statements(s, a, q, fee=Decimal("1.20")),
    "coverage": coverage,
    "cadence": cadence,
    "fleet": fleet,
}


class County:
    """What the generator draws from: couriers, points (with their villages)."""

    def __init__(self, session: Session) -> None:
        self.couriers = list(session.scalars(select(Courier.id)))
        self.points = [
            (p.id, p.village_id) for p in session.scalars(select(ServicePoint))
        ]
        self.vehicles = list(session.scalars(select(Vehicle.id)))
        self.admin = session.scalar(select(User.id).where(User.username == "admin"))


def history(county: County, parcels: int, seed: int = 12) -> Iterator[tuple]:
    """(parcel row, its event rows) for each parcel, in registration order."""
    rng = random.Random(seed)
    year_s = 365 * 24 * HOUR
    event_id = 0
    weights = [rng.random() + 0.2 for _ in county.couriers]
    couriers = rng.choices(county.couriers, weights, k=min(parcels, 100_000))
    for n in range(1, parcels + 1):
        t0 = START + dt.timedelta(seconds=int(year_s * (n - 0.5) / parcels))
        courier = couriers[n % len(couriers)]
        point, village = county.points[rng.randrange(len(county.points))]
        outbound = rng.random() < 0.1
        steps = _outbound(rng, t0) if outbound else _inbound(rng, t0)
        unresolved = not outbound and rng.random() < 0.02
        if unresolved:
            steps = [steps[0], steps[1], ("returned", steps[1][1] + dt.timedelta(1))]
            point = village = None
        status = steps[-1][0]
        parcel = (
            n, courier, f"{n:012d}", f"{n:012d}",
            "outbound" if outbound else "inbound", status,
            village, point, "bench", "unresolved" if unresolved else "resolved",
            "", "", "",
            1.0, 1, rng.choice(CODES) if outbound and rng.random() < 0.8 else None,
            t0, steps[-1][1],
        )  # fmt: skip
        events = []
        before = None
        for target, at in steps:
            event_id += 1
            details = "{}"
            if target == "delivered":
                details = f'{{"consent": "{rng.choice(CONSENT)}"}}'
            events.append(
                (event_id, n, at, "status", before, target, "", point,
                 county.admin, details)
            )  # fmt: skip
            before = target
        yield parcel, events


def _inbound(rng: random.Random, t0: dt.datetime) -> list[tuple[str, dt.datetime]]:
    received = t0 + dt.timedelta(seconds=rng.randrange(2 * HOUR, 20 * HOUR))
    sorted_ = received + dt.timedelta(seconds=rng.randrange(600, 3 * HOUR))
    loaded = sorted_ + dt.timedelta(seconds=rng.randrange(2 * HOUR, 30 * HOUR))
    arrived = loaded + dt.timedelta(seconds=rng.randrange(1800, 4 * HOUR))
    steps = [("registered", t0), ("received", received), ("sorted", sorted_),
             ("loaded", loaded), ("arrived", arrived)]  # fmt: skip
    dwell = dt.timedelta(seconds=int(rng.expovariate(1 / (18 * HOUR))) + 60)
    steps.append(("returned" if rng.random() < 0.03 else "delivered", arrived + dwell))
    return steps


def _outbound(rng: random.Random, t0: dt.datetime) -> list[tuple[str, dt.datetime]]:
    collected = t0 + dt.timedelta(seconds=rng.randrange(2 * HOUR, 48 * HOUR))
    centre = collected + dt.timedelta(seconds=rng.randrange(HOUR, 8 * HOUR))
    handed = centre + dt.timedelta(seconds=rng.randrange(HOUR, 24 * HOUR))
    return [("registered", t0), ("collected", collected), ("at_centre", centre),
            ("handed_over", handed)]  # fmt: skip


PARCEL_COLUMNS = [
    "id", "courier_id", "waybill_no", "waybill_raw", "direction", "status",
    "village_id", "service_point_id", "address", "address_state",
    "address_note", "recipient_name", "recipient_phone", "weight_kg",
    "pieces", "category", "registered_at", "updated_at",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "parcel_id", "at", "kind", "from_status", "to_status", "place",
    "service_point_id", "actor_id", "details",
]  # fmt: skip


def load_postgres(engine: Engine, county: County, parcels: int) -> None:
    """COPY the parcels and events, with the secondary indexes built after."""
    with engine.begin() as conn:
        indexes = conn.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                "('parcel', 'parcel_event') AND indexname LIKE 'ix_%'"
            )
        ).all()
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        rows = history(county, parcels)
        events: list[tuple] = []
        with cursor.copy(
            f"COPY parcel ({', '.join(PARCEL_COLUMNS)}) FROM STDIN"
        ) as copy:
            for parcel, evs in rows:
                copy.write_row(parcel)
                events.extend(evs)
                if len(events) > 2_000_000:
                    break
        _copy_rest(cursor, rows, events)
        for _, definition in indexes:
            conn.execute(text(definition))
        _finish(conn, parcels)
        conn.execute(text("ANALYZE"))


def _copy_rest(cursor: Any, rows: Iterator[tuple], events: list[tuple]) -> None:
    """Events so far, then parcels and events of the rest in alternation."""
    event_copy = f"COPY parcel_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
    while events:
        with cursor.copy(event_copy) as copy:
            for event in events:
                copy.write_row(event)
        events = []
        with cursor.copy(
            f"COPY parcel ({', '.join(PARCEL_COLUMNS)}) FROM STDIN"
        ) as copy:
            for parcel, evs in rows:
                copy.write_row(parcel)
                events.extend(evs)
                if len(events) > 2_000_000:
                    break


def _finish(conn: Any, parcels: int) -> None:
    conn.execute(text("SELECT setval('parcel_id_seq', (SELECT max(id) FROM parcel))"))
    conn.execute(
        text("SELECT setval('parcel_event_id_seq', (SELECT max(id) FROM parcel_event))")
    )


def load_sqlite(engine: Engine, county: County, parcels: int) -> None:
    """Batched Core inserts, 20 000 rows a statement."""
    ptable: Table = Parcel.__table__  # type: ignore[assignment]
    etable: Table = ParcelEvent.__table__  # type: ignore[assignment]
    with engine.begin() as conn:
        batch: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for parcel, evs in history(county, parcels):
            row = dict(zip(PARCEL_COLUMNS, parcel, strict=True))
            batch.append(row | {"address": "bench", "waybill_raw": row["waybill_no"]})
            for e in evs:
                event = dict(zip(EVENT_COLUMNS, e, strict=True))
                events.append(event | {"details": _json(event["details"])})
            if len(batch) >= 20_000:
                conn.execute(insert(ptable), batch)
                conn.execute(insert(etable), events)
                batch, events = [], []
        if batch:
            conn.execute(insert(ptable), batch)
            conn.execute(insert(etable), events)


def _json(details: str) -> dict[str, Any]:
    return {} if details == "{}" else {"consent": details.split('"')[3]}


def add_visits_and_plans(engine: Engine, county: County) -> None:
    days = [dt.date(YEAR, 1, 1) + dt.timedelta(d) for d in range(365)]
    with Session(engine) as session:
        for number, (point, _) in enumerate(county.points):
            session.execute(
                insert(PointVisit),
                [{"service_point_id": point, "visited_on": day}
                 for day in days[number % 2 :: 2]],
            )  # fmt: skip
        for day in days:
            plan = Plan(day=day, status="done", method="bench", seconds=1.0,
                        objective=0, distance_m=80_000, runtime=1.0,
                        feasible=True)  # fmt: skip
            for position, vehicle in enumerate(county.vehicles[:2]):
                plan.runs.append(
                    PlanRun(position=position, vehicle_id=vehicle, distance_m=40_000,
                            duration_s=14_400, load_parcels=120, load_kg=300.0)
                )  # fmt: skip
            session.add(plan)
        session.commit()


def time_figures(engine: Engine) -> list[tuple[str, str, float, float]]:
    """(figure, period, cold seconds, warm seconds) for each figure and period."""
    out = []
    with Session(engine) as session:
        start = time.perf_counter()
        refresh(session, NOW)
        session.commit()
        out.append(("rollup (first build)", "all", time.perf_counter() - start, 0.0))
    year = {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    for label, asked in (("month", {"month": f"{YEAR}-06"}), ("year", year)):
        for name, figure in FIGURES.items():
            with Session(engine) as session:
                actor = session.scalar(select(User).where(User.username == "admin"))
                query = stats_query(session, now=NOW, **asked)
                took = []
                for _ in range(2):
                    start = time.perf_counter()
                    figure(session, actor, query)
                    took.append(time.perf_counter() - start)
                    session.commit()
                out.append((name, label, took[0], took[1]))
    return out


def after_scans(engine: Engine, scans: int = 1000) -> tuple[float, float]:
    """Seconds for the refresh after ``scans`` hand-overs of the year's last
    days (their days and their parcels' reception days are rolled up again),
    and for a year's volumes right after."""
    last = dt.datetime(YEAR, 12, 29, tzinfo=dt.UTC)
    with Session(engine) as session:
        parcels = session.scalars(
            select(Parcel.id)
            .where(Parcel.registered_at >= last, Parcel.direction == "inbound")
            .limit(scans)
        ).all()
        session.execute(
            insert(ParcelEvent),
            [
                {"parcel_id": p, "at": last + dt.timedelta(days=2, hours=4),
                 "kind": "status", "from_status": "arrived",
                 "to_status": "delivered", "place": "point",
                 "details": {"consent": "picked_up"}}
                for p in parcels
            ],
        )  # fmt: skip
        session.commit()
    with Session(engine) as session:
        start = time.perf_counter()
        refresh(session)
        session.commit()
        took = time.perf_counter() - start
        actor = session.scalar(select(User).where(User.username == "admin"))
        query = stats_query(
            session, now=NOW, start=f"{YEAR}-01-01", end=f"{YEAR}-12-31"
        )
        start = time.perf_counter()
        volumes(session, actor, query)
        return took, time.perf_counter() - start


def run(url: str, parcels: int, loader: Callable[..., None]) -> None:
    engine = prepared_engine(url)
    with Session(engine) as session:
        county = County(session)
    start = time.perf_counter()
    loader(engine, county, parcels)
    add_visits_and_plans(engine, county)
    loaded = time.perf_counter() - start
    backend = make_url(url).get_backend_name()
    print(f"\n{backend}: {parcels:,} parcels loaded in {loaded:.1f} s")
    print(f"{'figure':<22}{'period':<8}{'cold s':>9}{'warm s':>9}")
    for name, period, cold, warm in time_figures(engine):
        print(f"{name:<22}{period:<8}{cold:>9.3f}{warm:>9.3f}")
    refreshed, figure = after_scans(engine)
    print(f"after 1,000 hand-overs: refresh {refreshed:.3f} s, volumes (year) "
          f"{figure:.3f} s")  # fmt: skip
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=7_000_000)
    parser.add_argument("--sqlite-parcels", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if os.environ.get("COUNTYHUB_DATABASE_URL", "").startswith("postgresql"):
            with scratch_database(Path(tmp)) as url:
                run(url, args.parcels, load_postgres)
        else:
            print("COUNTYHUB_DATABASE_URL names no PostgreSQL server: SQLite only")
        if args.sqlite_parcels:
            url = sqlite_url(Path(tmp) / "stats.sqlite")
            run(url, args.sqlite_parcels, load_sqlite)


if __name__ == "__main__":
    main()
