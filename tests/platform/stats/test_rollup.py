"""The daily rollup agrees with the raw events: after inserts, re-scans, late
events, a parcel's change of place, and transactions that commit out of order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from countyhub.platform.db import make_engine
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import (
    ParcelEvent,
    StatsDay,
    StatsGap,
    User,
)
from countyhub.platform.parcels.registry import assign_point
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.stats.consent import consent
from countyhub.platform.stats.coverage import coverage
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.rollup import MARGIN, refresh
from countyhub.platform.stats.service import service_level
from countyhub.platform.stats.statements import statements
from countyhub.platform.stats.volumes import volumes
from tests.conftest import PG_URL, _prepare, fresh_postgres
from tests.platform.stats.conftest import (
    ADDRESS,
    DADUAN,
    HUCUN,
    NOW,
    Builder,
    History,
    oct_,
)

S = Status
FEE = Decimal("1.00")


def assert_agrees(session: Session, actor: User, query: StatsQuery) -> None:
    """Every rolled-up figure equals its raw twin."""
    assert volumes(session, actor, query) == volumes(session, actor, query, raw=True)
    assert consent(session, actor, query) == consent(session, actor, query, raw=True)
    assert statements(session, actor, query, fee=FEE) == statements(
        session, actor, query, fee=FEE, raw=True
    )
    assert service_level(session, actor, query) == service_level(
        session, actor, query, raw=True
    )
    assert coverage(session, actor, query) == coverage(session, actor, query, raw=True)


def queries(session: Session) -> list[StatsQuery]:
    now = NOW.astimezone(dt.UTC)
    return [
        stats_query(session, month="2026-10", now=now),
        stats_query(session, month="2026-10", township=DADUAN, now=now),
        stats_query(session, start="2026-09-01", end="2026-11-09", now=now),
        # the last days' receptions are not all due yet: counted from the events
        stats_query(session, start="2026-10-25", end="2026-11-09", now=oct_(31, 12)),
    ]


def test_agrees_with_the_events(session: Session, analyst: User, history: History):
    """Built from scratch, the rollup gives the raw figures, by township too."""
    for query in queries(session):
        assert_agrees(session, analyst, query)
    assert session.scalar(select(func.count()).select_from(StatsDay)) > 0


def test_new_parcels_and_rescans(
    session: Session, admin: User, analyst: User, history: History
):
    """Parcels registered and scanned on after a refresh are counted."""
    refresh(session)
    b = Builder(session, admin)
    b.number = 50
    fresh = b.to_point(b.register("YTO", HUCUN, oct_(20, 8)), oct_(20, 9), oct_(21, 9))
    b.steps(fresh, (S.DELIVERED, oct_(22, 9), "picked_up"))
    waiting = history.parcels["P5"]  # sorted on 10-31, scanned on to the villager
    b.steps(
        waiting,
        (S.LOADED, oct_(31, 21, 30), ""),
        (S.ARRIVED, oct_(31, 22), ""),
        (S.DELIVERED, oct_(31, 23), "consented_station"),
    )
    after = volumes(session, analyst, queries(session)[0])
    for query in queries(session):
        assert_agrees(session, analyst, query)
    assert after.delivered.total == 6 + 2  # the six of the history and these


def test_late_event_of_a_past_day(
    session: Session, admin: User, analyst: User, history: History
):
    """An event inserted now but dated 10-03 changes 10-03's rollup rows."""
    refresh(session)
    late = history.parcels["P8"]
    session.add(
        ParcelEvent(
            parcel_id=late.id,
            at=oct_(3, 12),
            kind="status",
            from_status="sorted",
            to_status="returned",
            place="centre",
            details={},
        )
    )
    session.flush()
    query = queries(session)[0]
    assert_agrees(session, analyst, query)
    ztos = {
        s.courier: s.returned
        for s in statements(session, analyst, query, fee=FEE).couriers
    }
    assert ztos["ZTO"] == 3  # P3, P4 and the late one


def test_a_parcel_given_its_point(
    session: Session, admin: User, analyst: User, history: History
):
    """P8's reception on 10-09 moves to 浒村 when its point is assigned (in
    December): the days of its earlier events are rolled up again."""
    refresh(session)
    assign_point(session, admin, history.parcels["P8"], HUCUN)
    flow = volumes(session, analyst, queries(session)[0]).inbound
    assert {c.code: c.parcels for c in flow.by_village}[HUCUN] == 5
    for query in queries(session):
        assert_agrees(session, analyst, query)


# Transactions that commit out of order need commits of their own: a database
# of the test's own, not the shared one the other tests roll back in.


@pytest.fixture
def own_engine(database_url: str, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite writers take turns: no insert can commit out of order")
    assert PG_URL is not None
    for url in fresh_postgres(PG_URL):
        _prepare(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _parcel(engine: Engine) -> int:
    with Session(engine) as session:
        admin = session.scalar(select(User).where(User.username == "admin"))
        item = ParcelInput(
            waybill="73610555590077", courier="ZTO", address=ADDRESS[HUCUN]
        )
        registrar = Registrar(session, admin, clock=lambda: oct_(1, 8))
        (outcome,) = registrar.register([(1, item)])
        session.commit()
        assert outcome.parcel_id
        return outcome.parcel_id


def _event(parcel_id: int, when: dt.datetime, consent: str) -> dict[str, object]:
    return {
        "parcel_id": parcel_id,
        "at": when,
        "kind": "status",
        "from_status": "arrived",
        "to_status": "delivered",
        "place": "point",
        "details": {"consent": consent},
    }


def _consent_of(engine: Engine, day: str) -> tuple[int, int]:
    """(rolled up, raw) hand-overs of ``day``, after a committed refresh."""
    with Session(engine) as session:
        actor = session.scalar(select(User).where(User.username == "admin"))
        query = stats_query(session, start=day, end=day, now=NOW.astimezone(dt.UTC))
        rolled = consent(session, actor, query).handovers
        session.commit()
        return rolled, consent(session, actor, query, raw=True).handovers


def test_a_lower_id_committed_after_a_refresh(own_engine: Engine):
    """A commits an event with a lower id after B's higher one was rolled up;
    the next refresh still counts A's."""
    parcel = _parcel(own_engine)
    with own_engine.connect() as first, own_engine.connect() as second:
        first.execute(insert(ParcelEvent), [_event(parcel, oct_(5, 9), "picked_up")])
        second.execute(insert(ParcelEvent), [_event(parcel, oct_(6, 9), "picked_up")])
        second.commit()
        assert _consent_of(own_engine, "2026-10-06") == (1, 1)
        assert _consent_of(own_engine, "2026-10-05") == (0, 0)  # A not committed
        first.commit()
    assert _consent_of(own_engine, "2026-10-05") == (1, 1)
    with Session(own_engine) as session:
        assert session.scalars(select(StatsGap.event_id)).all() == []


def test_a_rolled_back_id_is_forgotten(own_engine: Engine):
    """A gap no commit fills is kept for the margin, then dropped."""
    parcel = _parcel(own_engine)
    with own_engine.connect() as lost:
        lost.execute(insert(ParcelEvent), [_event(parcel, oct_(5, 9), "picked_up")])
        lost.rollback()
    with own_engine.begin() as conn:
        conn.execute(insert(ParcelEvent), [_event(parcel, oct_(6, 9), "picked_up")])
    with Session(own_engine) as session:
        refresh(session)
        session.commit()
        assert len(session.scalars(select(StatsGap.event_id)).all()) == 1
        refresh(session, dt.datetime.now(dt.UTC) + MARGIN + dt.timedelta(minutes=1))
        session.commit()
        assert session.scalars(select(StatsGap.event_id)).all() == []
    assert _consent_of(own_engine, "2026-10-06") == (1, 1)
