"""Delivery from the outbox to a real province on loopback: refused, timed out,
500, 429 with Retry-After, then accepted; exactly one acknowledgement per
version; a 400 stops and flags; a send cut off is repeated with its webhook id.

Time is passed in (``now``), never slept through: the runs jump along the
schedule."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from countyhub.platform.db import utcnow
from countyhub.platform.models import Report, ReportOutbox, User
from countyhub.platform.reports.canonical import canonical_json
from countyhub.platform.reports.outbox import (
    CUT_OFF,
    STALE_AFTER,
    SendReport,
    closed_month,
    send_due,
)
from countyhub.platform.reports.states import DeliveryState
from countyhub.platform.reports.versions import store_report
from tests.platform.reports.conftest import delivery
from tests.platform.reports.province import HANG, Province, Reply, closed_port_url

CONTENT = {"month": "2026-10", "volumes": {"inbound": 120}, "county": "铜鼓县"}
TIMEOUT = 0.5  # the test province's "time-out" hangs longer than this
Sessions = sessionmaker[Session]


def _seconds(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=value)


def _stored(session: Session, actor: User, content=CONTENT) -> ReportOutbox:
    report = store_report(session, actor, "2026-10", content, deliver=True)
    session.commit()  # a savepoint: the outbox's sessions see it
    return report.outbox


def _runner(sessions: Sessions, http: httpx.Client, settings) -> Callable:
    def run(now: dt.datetime, **changes) -> SendReport:
        given = dataclasses.replace(settings, **changes)
        return send_due(sessions, now, http, given, timeout=TIMEOUT)

    return run


def _fresh(session: Session, row: ReportOutbox) -> ReportOutbox:
    session.expire_all()
    return session.get(ReportOutbox, row.id)


def test_failures_are_retried_by_the_schedule_until_accepted(
    session: Session,
    analyst: User,
    sessions: Sessions,
    http: httpx.Client,
    province: Province,
):
    """Refused, timed out, 500, 429 (Retry-After 10 h), then 200: five attempts at
    the schedule's times, one acknowledged delivery, nothing sent after it."""
    row = _stored(session, analyst)
    run = _runner(sessions, http, delivery(province.url, 60, 300, 1800, 7200, 21600))
    province.answer(HANG, Reply(500, "down"), Reply(429, "slow", "36000"))
    t0 = utcnow()
    first = run(t0, province_url=closed_port_url())
    assert [s.status for s in first.sent] == [None]
    assert _fresh(session, row).next_attempt_at == t0 + _seconds(60)
    assert run(t0 + _seconds(59)).sent == []  # not before its time
    t1 = t0 + _seconds(60)
    assert "timed out after 0.5 s" in run(t1).sent[0].outcome.reason
    t2 = t1 + _seconds(300)
    assert run(t2).sent[0].status == 500
    t3 = t2 + _seconds(1800)
    assert run(t3).sent[0].status == 429
    assert _fresh(session, row).next_attempt_at == t3 + _seconds(36000)  # > 7200
    assert run(t3 + _seconds(7200)).sent == []  # Retry-After honoured
    t4 = t3 + _seconds(36000)
    assert [s.outcome.state for s in run(t4).sent] == [DeliveryState.DELIVERED]
    assert run(t4 + dt.timedelta(days=30)).sent == []  # never again

    row = _fresh(session, row)
    assert (row.state, row.attempts) == ("delivered", 5)
    assert row.delivered_at >= t4  # when the answer came
    log = row.attempt_log
    assert [a.started_at for a in log] == [t0, t1, t2, t3, t4]
    assert [a.status_code for a in log] == [None, None, 500, 429, 200]
    assert log[0].answer.startswith("no answer: ConnectError")
    assert log[1].answer.startswith("timed out after 0.5 s")
    assert [a.answer for a in log[2:]] == ["down", "slow", "ok"]
    assert all(a.finished_at >= a.started_at for a in log)
    assert province.acknowledged == [row.webhook_id] and province.repeats == []
    assert len(province.received) == 4  # the refused one never arrived


def test_what_the_province_receives_is_signed_canonical_json(
    session: Session,
    analyst: User,
    sessions: Sessions,
    http: httpx.Client,
    province: Province,
):
    """The body is the version's canonical JSON, as JSON, with the webhook id, the
    run's time and a signature the standardwebhooks package accepts."""
    row = _stored(session, analyst)
    now = utcnow()
    _runner(sessions, http, delivery(province.url))(now)
    (got,) = province.received
    assert got.body == canonical_json(CONTENT) and json.loads(got.body) == CONTENT
    assert got.content_type == "application/json"
    assert got.webhook_id == row.webhook_id and got.signed
    # the time it left: the run's, plus what the run had taken before it
    assert int(now.timestamp()) <= got.timestamp <= int(now.timestamp()) + 60


def test_each_version_is_acknowledged_exactly_once(
    session: Session,
    analyst: User,
    sessions: Sessions,
    http: httpx.Client,
    province: Province,
):
    """Two versions of the month, each sent once under its own id, version 1
    first; runs after that send nothing."""
    one = _stored(session, analyst)
    two = _stored(session, analyst, {**CONTENT, "volumes": {"inbound": 121}})
    run = _runner(sessions, http, delivery(province.url))
    now = utcnow()
    for later in range(3):
        run(now + dt.timedelta(days=later))
    assert province.acknowledged == [one.webhook_id, two.webhook_id]
    assert len(province.received) == 2 and province.repeats == []
    assert all(got.signed for got in province.received)


def test_a_400_stops_and_flags_the_delivery_for_a_person(
    session: Session,
    analyst: User,
    sessions: Sessions,
    http: httpx.Client,
    province: Province,
):
    row = _stored(session, analyst)
    province.answer(Reply(400, "schema: field 'volumes' unknown"))
    run = _runner(sessions, http, delivery(province.url))
    now = utcnow()
    (sent,) = run(now).sent
    assert sent.outcome.state == DeliveryState.FAILED_PERMANENTLY
    assert run(now + dt.timedelta(days=10)).sent == []
    row = _fresh(session, row)
    assert row.state == "failed_permanently" and row.next_attempt_at is None
    assert row.last_error == "refused: HTTP 400: schema: field 'volumes' unknown"
    assert len(province.received) == 1 and province.acknowledged == []


def test_an_exhausted_schedule_flags_the_delivery(
    session: Session,
    analyst: User,
    sessions: Sessions,
    http: httpx.Client,
    province: Province,
):
    """One delay in the schedule: the second 503 gives up."""
    row = _stored(session, analyst)
    province.answer(Reply(503, "x"), Reply(503, "y"), Reply(200))
    run = _runner(sessions, http, delivery(province.url, 60))
    now = utcnow()
    run(now)
    run(now + _seconds(60))
    assert run(now + dt.timedelta(days=10)).sent == []
    row = _fresh(session, row)
    assert row.state == "failed_permanently" and row.attempts == 2
    assert row.last_error == "gave up after 2 attempts: HTTP 503: y"


class Killed(BaseException):
    """The process dies (kill -9): nothing after this point runs."""


class DiesAfterSending(httpx.HTTPTransport):
    """Sends for real, the province answers, and the sender dies before it can
    record the answer."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.read()
        response.close()
        raise Killed()


def test_a_send_cut_off_is_repeated_later_with_the_same_webhook_id(
    session: Session,
    analyst: User,
    sessions: Sessions,
    http: httpx.Client,
    province: Province,
):
    """The row stays sending, is left alone while it may still be in flight,
    then is sent again under the same id: the province drops the repeat."""
    row = _stored(session, analyst)
    settings = delivery(province.url)
    now = utcnow()
    with httpx.Client(transport=DiesAfterSending()) as dying, pytest.raises(Killed):
        send_due(sessions, now, dying, settings, timeout=TIMEOUT)
    assert _fresh(session, row).state == "sending"
    run = _runner(sessions, http, settings)
    assert run(now + STALE_AFTER - _seconds(1)).sent == []
    later = now + STALE_AFTER
    assert [s.status for s in run(later).sent] == [200]

    row = _fresh(session, row)
    assert (row.state, row.attempts) == ("delivered", 2)
    assert [got.webhook_id for got in province.received] == [row.webhook_id] * 2
    assert province.acknowledged == [row.webhook_id]
    assert province.repeats == [row.webhook_id]  # dropped by the province
    first, second = row.attempt_log
    assert (first.finished_at, first.status_code, first.answer) == (None, None, CUT_OFF)
    assert (second.started_at, second.status_code) == (later, 200)


def test_nothing_is_sent_without_a_province_url(
    session: Session, analyst: User, sessions: Sessions, http: httpx.Client
):
    """Reports built while delivery was configured wait in the outbox."""
    row = _stored(session, analyst)
    assert _runner(sessions, http, delivery(None))(utcnow()).sent == []
    assert _fresh(session, row).state == "pending"


def test_the_closed_month_is_the_one_before_now_in_asia_shanghai():
    """00:30 on 1 December in 铜鼓 is still 30 November in UTC."""
    now = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)
    assert closed_month(now) == "2026-11"
    assert closed_month(now - dt.timedelta(hours=1)) == "2026-10"
    assert closed_month(dt.datetime(2026, 1, 15, tzinfo=dt.UTC)) == "2025-12"


def test_auto_builds_last_month_once_and_sends_it(
    session: Session,
    sessions: Sessions,
    http: httpx.Client,
    province: Province,
):
    """COUNTYHUB_REPORT_AUTO=1: the first run after the month closed builds its
    report with the builder given and sends it; later runs build nothing."""
    calls: list[str] = []

    def build(built_in: Session, month: str) -> dict:
        calls.append(month)
        return {"month": month, "parcels": 3}

    settings = delivery(province.url, auto=True)
    now = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)
    done = send_due(sessions, now, http, settings, build_content=build)
    assert done.built == "2026-11" and [s.status for s in done.sent] == [200]
    again = send_due(sessions, now + _seconds(60), http, settings, build_content=build)
    assert (again.built, again.sent, calls) == (None, [], ["2026-11"])
    session.expire_all()
    (report,) = session.query(Report).filter_by(month="2026-11").all()
    assert report.version == 1 and report.built_by.username == "system"
    assert json.loads(province.received[0].body) == {"month": "2026-11", "parcels": 3}


def test_auto_leaves_a_month_that_has_a_report(
    session: Session, analyst: User, sessions: Sessions, http: httpx.Client
):
    """A report built by hand for the month counts: no automatic one."""
    store_report(session, analyst, "2026-11", CONTENT, deliver=False)
    session.commit()
    settings = delivery(None, auto=True)
    now = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    done = send_due(sessions, now, http, settings, build_content=lambda s, m: {})
    assert done.built is None
