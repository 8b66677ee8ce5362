"""Two processes re-sending the same parcels at the same moment give one parcel each."""

from __future__ import annotations

import multiprocessing as mp

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.db import make_engine
from countyhub.platform.intake import ParcelInput, Registrar
from countyhub.platform.model import Parcel, User

WAYBILLS = [f"7388{n:010d}" for n in range(200)]


def _send(url: str, barrier: mp.synchronize.Barrier, results: mp.Queue) -> None:
    engine = make_engine(url)
    items = [
        (i, ParcelInput(waybill=w, address="大塅镇浒村", courier="ZTO"))
        for i, w in enumerate(WAYBILLS)
    ]
    with Session(engine) as session:
        actor = session.scalar(select(User).where(User.username == "admin"))
        registrar = Registrar(session, actor)
        session.commit()  # end the read transaction: SQLite holds a write lock in it
        barrier.wait(timeout=60)
        outcomes = registrar.register(items)
        session.commit()
    engine.dispose()
    results.put(sorted(o.result for o in outcomes))


def test_concurrent_resends_give_exactly_one_parcel(database_url: str):
    """Two processes register the same 200 parcels at once: 200 parcels result."""
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(target=_send, args=(database_url, barrier, results))
        for _ in range(2)
    ]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    engine = make_engine(database_url)
    with Session(engine) as session:
        count = session.scalar(
            select(func.count())
            .select_from(Parcel)
            .where(Parcel.waybill_no.in_(WAYBILLS))
        )
    engine.dispose()
    assert count == len(WAYBILLS)
    news = sum(o.count("new") for o in outcomes)
    knowns = sum(o.count("known") for o in outcomes)
    assert (news, knowns) == (len(WAYBILLS), len(WAYBILLS))
