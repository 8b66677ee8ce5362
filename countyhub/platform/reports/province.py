"""The province's endpoint: one signed POST of a report, and what came back.

The body is sent as it is given (the version's canonical JSON) with the Standard
Webhooks headers (:mod:`countyhub.platform.reports.signing`).  A failure to get an
answer — refused, timed out, cut — is an answer without a status, never an
exception, so the outbox can log it and try again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from countyhub.platform.reports.signing import signed_headers

ANSWER_BYTES = 4096  # read of an answer at most; its start is kept


@dataclass(frozen=True, slots=True)
class Answer:
    """What one POST came back with (``status`` None: no answer at all), and how
    long it took, in seconds."""

    status: int | None
    text: str
    retry_after: str | None
    seconds: float


@dataclass(frozen=True, slots=True)
class Message:
    """A signed message: its id, its time (unix seconds) and its body."""

    webhook_id: str
    timestamp: int
    body: bytes


def post(
    http: httpx.Client, url: str, key: bytes, message: Message, timeout: float
) -> Answer:
    """POST ``message`` as JSON to ``url``, signed with ``key``, waiting at most
    ``timeout`` seconds for each step."""
    headers = {
        "content-type": "application/json",
        **signed_headers(key, message.webhook_id, message.timestamp, message.body),
    }
    started = time.monotonic()
    try:
        with http.stream(
            "POST", url, content=message.body, headers=headers, timeout=timeout
        ) as response:
            text = _start_of(response)
            return Answer(
                response.status_code,
                text,
                response.headers.get("retry-after"),
                time.monotonic() - started,
            )
    except httpx.TimeoutException as exc:
        failure = f"timed out after {timeout:g} s ({type(exc).__name__})"
    except httpx.HTTPError as exc:
        failure = f"no answer: {type(exc).__name__}: {exc}"
    return Answer(None, failure, None, time.monotonic() - started)


def _start_of(response: httpx.Response) -> str:
    read = b""
    for chunk in response.iter_bytes():
        read += chunk
        if len(read) >= ANSWER_BYTES:
            break
    return read[:ANSWER_BYTES].decode("utf-8", errors="replace")
