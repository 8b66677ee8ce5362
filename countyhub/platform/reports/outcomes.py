"""What an attempt's answer means for the delivery: done, try again later, or stop
for a person — and when "later" is.  Pure: no database, no network.

* 2xx: delivered; never sent again.
* no answer (connection refused, time-out, a broken connection), 5xx, 408, 429:
  try again after the schedule's next delay, or after the answer's
  ``Retry-After`` (seconds or an HTTP date) when that is later; once the
  schedule is used up, stop.
* anything else (another 4xx, a redirect): stop; a person must look (a wrong URL,
  a refused signature, a report the province will not take).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from countyhub.platform.reports.states import DeliveryState

RETRYABLE = frozenset({408, 429})
LONGEST_RETRY_AFTER = dt.timedelta(days=30)  # a larger Retry-After is a mistake


@dataclass(frozen=True, slots=True)
class Outcome:
    """The delivery's next state, when to try again (pending only), and why."""

    state: DeliveryState
    next_attempt_at: dt.datetime | None
    reason: str


def judge(
    status: int | None,
    answer: str,
    retry_after: str | None,
    attempts: int,
    schedule: Sequence[float],
    now: dt.datetime,
) -> Outcome:
    """The outcome of attempt number ``attempts`` (1 for the first), made at
    ``now``, that got ``status`` (None: no answer) and ``answer`` (or the error);
    ``schedule`` holds the delays in seconds after each failed attempt."""
    said = answer if status is None else f"HTTP {status}: {answer}"
    if status is not None and 200 <= status < 300:
        return Outcome(DeliveryState.DELIVERED, None, said)
    if status is not None and status < 500 and status not in RETRYABLE:
        return Outcome(DeliveryState.FAILED_PERMANENTLY, None, f"refused: {said}")
    if attempts > len(schedule):
        return Outcome(
            DeliveryState.FAILED_PERMANENTLY,
            None,
            f"gave up after {attempts} attempts: {said}",
        )
    wait = dt.timedelta(seconds=schedule[attempts - 1])
    asked = retry_delay(retry_after, now)
    if asked is not None:
        wait = max(wait, asked)
    return Outcome(DeliveryState.PENDING, now + wait, said)


def retry_delay(value: str | None, now: dt.datetime) -> dt.timedelta | None:
    """A ``Retry-After`` header as a delay from ``now``: seconds, or an HTTP date;
    None when absent or unreadable; at most :data:`LONGEST_RETRY_AFTER`."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        delay = dt.timedelta(
            seconds=min(int(text), LONGEST_RETRY_AFTER.total_seconds())
        )
    else:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # "-0000": UTC, says RFC 5322
            when = when.replace(tzinfo=dt.UTC)
        delay = when - now
    return min(max(delay, dt.timedelta()), LONGEST_RETRY_AFTER)
