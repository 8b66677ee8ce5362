"""Delivering the report versions in the outbox to the province, each exactly once.

:func:`send_due` does the due work once and returns (``countyhub report
send-due``, run by cron or a timer).  For each due row it

1. claims it in a transaction of its own and commits: a compare-and-set on the
   row's attempt count, so two runs at the same moment never send one row twice,
   and an attempt is logged as started;
2. POSTs the version's canonical JSON, signed (Standard Webhooks), with no
   transaction open;
3. records the answer and the next state in another transaction
   (:mod:`countyhub.platform.reports.outcomes` says which).

A process killed between 1 and 3 leaves the row ``sending``; once it has been so
for :data:`STALE_AFTER` it is due again and is sent with the same
``webhook-id``, so the province drops the repeat if the first one had reached it.

With ``COUNTYHUB_REPORT_AUTO=1`` it first builds last month's report, once, after
the month has closed (Asia/Shanghai), with the content builder it is given.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import httpx
from sqlalchemy import CursorResult, Engine, and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from countyhub.platform.accounts.users import system_actor
from countyhub.platform.config import Settings
from countyhub.platform.db import LOCAL_TZ, make_sessionmaker
from countyhub.platform.models import Report, ReportAttempt, ReportOutbox
from countyhub.platform.models.reports import ANSWER_CHARS
from countyhub.platform.reports.canonical import canonical_json
from countyhub.platform.reports.outcomes import Outcome, judge
from countyhub.platform.reports.province import Answer, Message, post
from countyhub.platform.reports.states import DeliveryState
from countyhub.platform.reports.versions import store_report

SEND_TIMEOUT = 30.0  # seconds each step of a POST may wait: connect, send, read
STALE_AFTER = dt.timedelta(minutes=10)  # a row sending longer was cut off
CUT_OFF = "cut off: the sender stopped before the answer was recorded"

ContentBuilder = Callable[[Session, str], dict[str, Any]]
Sessions = Callable[[], Session]


@dataclass(frozen=True, slots=True)
class Claim:
    """A row claimed for one attempt: what to send, and the attempt's number."""

    outbox_id: int
    attempt_id: int
    number: int
    webhook_id: str
    body: bytes
    label: str  # "2026-10 v2"


@dataclass(frozen=True, slots=True)
class Sent:
    """One attempt of a :func:`send_due` run and what became of the delivery."""

    label: str
    webhook_id: str
    number: int
    status: int | None
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class SendReport:
    """What a :func:`send_due` run did: the report it built, if any, and each
    attempt."""

    built: str | None
    sent: list[Sent]


def send_due(
    sessions: Sessions | Engine,
    now: dt.datetime,
    http: httpx.Client,
    settings: Settings,
    *,
    build_content: ContentBuilder | None = None,
    timeout: float = SEND_TIMEOUT,
    stale_after: dt.timedelta = STALE_AFTER,
) -> SendReport:
    """Build last month's report if due, then send every due row once."""
    if isinstance(sessions, Engine):
        sessions = make_sessionmaker(sessions)
    built = None
    if settings.report_auto and build_content is not None:
        built = build_closed_month(sessions, now, build_content, settings)
    sent = []
    if settings.province_url is not None:
        begun = time.monotonic()
        for outbox_id in due_ids(sessions, now, stale_after):
            claim = claim_row(sessions, outbox_id, now, stale_after)
            if claim is None:
                continue
            # signed with the time it leaves: the province refuses stale stamps
            sent_at = now + dt.timedelta(seconds=time.monotonic() - begun)
            sent.append(
                _deliver(sessions, claim, now, sent_at, http, settings, timeout)
            )
    return SendReport(built, sent)


@contextmanager
def _transaction(sessions: Sessions) -> Iterator[Session]:
    with sessions() as session, session.begin():
        yield session


def closed_month(now: dt.datetime) -> str:
    """The month (``YYYY-MM``) that closed last before ``now``, Asia/Shanghai."""
    first = now.astimezone(LOCAL_TZ).date().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def build_closed_month(
    sessions: Sessions, now: dt.datetime, build: ContentBuilder, settings: Settings
) -> str | None:
    """Build the last closed month's report unless it has one; the month built,
    or None.  Another run building it at the same moment is no error."""
    month = closed_month(now)
    try:
        with _transaction(sessions) as session:
            if session.scalar(select(Report.id).where(Report.month == month).limit(1)):
                return None
            content = build(session, month)
            actor = system_actor(session)
            deliver = settings.province_url is not None
            store_report(session, actor, month, content, deliver=deliver)
    except IntegrityError:  # the other run's version 1 came first
        return None
    return month


def _due(now: dt.datetime, stale_after: dt.timedelta) -> Any:
    return or_(
        and_(
            ReportOutbox.state == DeliveryState.PENDING,
            or_(
                ReportOutbox.next_attempt_at.is_(None),  # new: at once
                ReportOutbox.next_attempt_at <= now,
            ),
        ),
        and_(
            ReportOutbox.state == DeliveryState.SENDING,
            ReportOutbox.claimed_at <= now - stale_after,
        ),
    )


def due_ids(
    sessions: Sessions, now: dt.datetime, stale_after: dt.timedelta = STALE_AFTER
) -> list[int]:
    """The outbox rows due at ``now``, oldest report first."""
    with _transaction(sessions) as session:
        query = select(ReportOutbox.id).where(_due(now, stale_after))
        return list(session.scalars(query.order_by(ReportOutbox.report_id)))


def claim_row(
    sessions: Sessions,
    outbox_id: int,
    now: dt.datetime,
    stale_after: dt.timedelta = STALE_AFTER,
) -> Claim | None:
    """Claim a due row for one attempt and commit; None if it is no longer due
    (another run claimed it, or it was settled meanwhile)."""
    with _transaction(sessions) as session:
        row = session.get(ReportOutbox, outbox_id)
        if row is None:
            return None
        seen = row.attempts
        claimed = cast(
            CursorResult[Any],
            session.execute(
                update(ReportOutbox)
                .where(ReportOutbox.id == outbox_id, ReportOutbox.attempts == seen)
                .where(_due(now, stale_after))
                .values(state=DeliveryState.SENDING, attempts=seen + 1, claimed_at=now)
                .execution_options(synchronize_session=False)
            ),
        )
        if claimed.rowcount != 1:
            return None
        session.execute(
            update(ReportAttempt)
            .where(ReportAttempt.outbox_id == outbox_id)
            .where(ReportAttempt.finished_at.is_(None))
            .values(answer=CUT_OFF)
        )
        attempt = ReportAttempt(outbox_id=outbox_id, started_at=now, answer="")
        session.add(attempt)
        session.flush()
        report = row.report
        return Claim(
            outbox_id,
            attempt.id,
            seen + 1,
            row.webhook_id,
            canonical_json(report.content),
            f"{report.month} v{report.version}",
        )


def _deliver(
    sessions: Sessions,
    claim: Claim,
    now: dt.datetime,
    sent_at: dt.datetime,
    http: httpx.Client,
    settings: Settings,
    timeout: float,
) -> Sent:
    key = settings.province_key
    assert settings.province_url is not None and key is not None  # from_env: both
    message = Message(claim.webhook_id, int(sent_at.timestamp()), claim.body)
    answer = post(http, settings.province_url, key, message, timeout)
    finished = now + dt.timedelta(seconds=answer.seconds)
    outcome = judge(
        answer.status,
        answer.text,
        answer.retry_after,
        claim.number,
        settings.province_retry,
        now,  # the schedule counts from the run's time, as the claim does
    )
    settle(sessions, claim, answer, outcome, finished)
    return Sent(claim.label, claim.webhook_id, claim.number, answer.status, outcome)


def settle(
    sessions: Sessions,
    claim: Claim,
    answer: Answer,
    outcome: Outcome,
    finished: dt.datetime,
) -> None:
    """Record the attempt and move the row to its outcome, in one transaction.

    Acknowledged (2xx) wins over anything; another outcome applies only while the
    row is still this attempt's (not claimed again after a stall)."""
    with _transaction(sessions) as session:
        session.execute(
            update(ReportAttempt)
            .where(ReportAttempt.id == claim.attempt_id)
            .values(
                finished_at=finished,
                status_code=answer.status,
                answer=answer.text[:ANSWER_CHARS],
                duration_s=answer.seconds,
            )
        )
        row = update(ReportOutbox).where(ReportOutbox.id == claim.outbox_id)
        if outcome.state == DeliveryState.DELIVERED:
            session.execute(
                row.where(ReportOutbox.state != DeliveryState.DELIVERED).values(
                    state=outcome.state, delivered_at=finished, next_attempt_at=None
                )
            )
            return
        session.execute(
            row.where(
                ReportOutbox.state == DeliveryState.SENDING,
                ReportOutbox.attempts == claim.number,
            ).values(
                state=outcome.state,
                next_attempt_at=outcome.next_attempt_at,
                last_error=outcome.reason[:ANSWER_CHARS],
            )
        )
