"""Two ``send-due`` runs at the same moment never send one row twice."""

from __future__ import annotations

import threading

import httpx
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from countyhub.platform.db import make_sessionmaker, utcnow
from countyhub.platform.models import Report, ReportAttempt, ReportOutbox, User
from countyhub.platform.reports.outbox import (
    STALE_AFTER,
    SendReport,
    claim_row,
    send_due,
)
from countyhub.platform.reports.versions import store_report
from tests.platform.reports.conftest import delivery
from tests.platform.reports.province import Province, Reply

MONTHS = [f"2001-{m:02d}" for m in range(1, 9)]  # rows of this test alone


def _store(engine: Engine) -> list[str]:
    with Session(engine) as session:
        analyst = session.scalar(select(User).where(User.username == "analyst"))
        reports = [
            store_report(session, analyst, month, {"m": month}, deliver=True)
            for month in MONTHS
        ]
        ids = [report.outbox.webhook_id for report in reports]
        session.commit()
    return ids


def _remove(engine: Engine) -> None:
    with Session(engine) as session:
        reports = select(Report.id).where(Report.month.in_(MONTHS))
        rows = select(ReportOutbox.id).where(ReportOutbox.report_id.in_(reports))
        session.execute(delete(ReportAttempt).where(ReportAttempt.outbox_id.in_(rows)))
        session.execute(delete(ReportOutbox).where(ReportOutbox.report_id.in_(reports)))
        session.execute(delete(Report).where(Report.month.in_(MONTHS)))
        session.commit()


def test_two_runs_at_once_send_each_row_once(engine: Engine, province: Province):
    """Both runs see every row due; each row is claimed, sent and acknowledged
    once, by one of them."""
    ids = _store(engine)
    province.answer(*[Reply(delay=0.05) for _ in MONTHS])
    settings = delivery(province.url)
    barrier, done = threading.Barrier(2), []
    now = utcnow()

    def run() -> None:
        with httpx.Client() as http:
            barrier.wait(timeout=30)
            done.append(send_due(engine, now, http, settings, timeout=5))

    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(done) == 2
        assert sorted(got.webhook_id for got in province.received) == sorted(ids)
        assert sorted(province.acknowledged) == sorted(ids)
        assert sorted(_sent(done)) == sorted(ids)
        with Session(engine) as session:
            rows = session.scalars(
                select(ReportOutbox).where(ReportOutbox.webhook_id.in_(ids))
            ).all()
            assert {(row.state, row.attempts) for row in rows} == {("delivered", 1)}
    finally:
        _remove(engine)


def _sent(reports: list[SendReport]) -> list[str]:
    return [sent.webhook_id for report in reports for sent in report.sent]


def test_a_claimed_row_is_not_claimed_again_until_it_is_stale(engine: Engine):
    """The compare-and-set refuses a second claim of a row being sent."""
    _store(engine)
    sessions = make_sessionmaker(engine)
    try:
        with Session(engine) as session:
            first = session.scalar(
                select(ReportOutbox.id).join(Report).where(Report.month == MONTHS[0])
            )
        now = utcnow()
        assert claim_row(sessions, first, now) is not None
        assert claim_row(sessions, first, now) is None
        again = claim_row(sessions, first, now + STALE_AFTER)
        assert again is not None and again.number == 2
    finally:
        _remove(engine)
