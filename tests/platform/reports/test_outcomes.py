"""What an attempt's answer means: delivered, again later (when), or stop."""

from __future__ import annotations

import datetime as dt

import pytest

from countyhub.platform.reports.outcomes import judge, retry_delay
from countyhub.platform.reports.states import DeliveryState

NOW = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
SCHEDULE = (60.0, 300.0, 1800.0)


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
def test_2xx_is_delivered(status: int):
    outcome = judge(status, "ok", None, 1, SCHEDULE, NOW)
    assert outcome.state == DeliveryState.DELIVERED
    assert outcome.next_attempt_at is None


@pytest.mark.parametrize("status", [None, 500, 502, 503, 504, 408, 429])
def test_no_answer_5xx_408_429_retry_by_the_schedule(status: int | None):
    """The n-th failed attempt waits the n-th delay."""
    for number, delay in enumerate(SCHEDULE, start=1):
        outcome = judge(status, "busy", None, number, SCHEDULE, NOW)
        assert outcome.state == DeliveryState.PENDING
        assert outcome.next_attempt_at == NOW + dt.timedelta(seconds=delay)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 422, 301, 302])
def test_other_4xx_and_redirects_stop_for_a_person(status: int):
    outcome = judge(status, "bad signature", None, 1, SCHEDULE, NOW)
    assert outcome.state == DeliveryState.FAILED_PERMANENTLY
    assert outcome.reason == f"refused: HTTP {status}: bad signature"


def test_an_exhausted_schedule_stops():
    """After as many retries as delays, the next failure gives up."""
    outcome = judge(503, "down", None, len(SCHEDULE) + 1, SCHEDULE, NOW)
    assert outcome.state == DeliveryState.FAILED_PERMANENTLY
    assert outcome.reason == "gave up after 4 attempts: HTTP 503: down"


def test_retry_after_later_than_the_schedule_is_honoured():
    """Retry-After in seconds or as an HTTP date, when later than the delay."""
    in_seconds = judge(429, "", "7200", 1, SCHEDULE, NOW)
    assert in_seconds.next_attempt_at == NOW + dt.timedelta(hours=2)
    as_date = judge(503, "", "Mon, 02 Nov 2026 04:00:00 GMT", 1, SCHEDULE, NOW)
    assert as_date.next_attempt_at == NOW + dt.timedelta(hours=3)
    sooner = judge(429, "", "5", 2, SCHEDULE, NOW)
    assert sooner.next_attempt_at == NOW + dt.timedelta(seconds=300)


@pytest.mark.parametrize(
    ("value", "delay"),
    [
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("0", dt.timedelta()),
        ("120", dt.timedelta(minutes=2)),
        ("99999999999", dt.timedelta(days=30)),
        ("Sun, 01 Nov 2026 00:00:00 GMT", dt.timedelta()),  # in the past
    ],
)
def test_retry_after_is_read_safely(value: str | None, delay: dt.timedelta | None):
    """Unreadable is ignored, the past is now, more than 30 days is 30 days."""
    assert retry_delay(value, NOW) == delay
