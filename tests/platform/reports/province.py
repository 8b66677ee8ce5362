"""The province, played by a real HTTP server on loopback, for the delivery tests.

It answers each POST with the next reply of its script (200 when the script is
empty), or hangs past the sender's time-out, and records every request with
whether its signature holds, checked by the ``standardwebhooks`` package (an
implementation independent of countyhub's).  Like the real province it takes a
``webhook-id`` once: an acknowledged repeat is counted apart.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
HANG = "hang"  # a reply that never comes


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: str = "ok"
    retry_after: str | None = None
    delay: float = 0.0  # seconds before answering


@dataclass(frozen=True)
class Received:
    webhook_id: str
    timestamp: int
    body: bytes
    content_type: str
    signed: bool  # the signature holds for this secret


class Province:
    """The server's state: the script of replies and what it received."""

    def __init__(self, secret: str = SECRET) -> None:
        self.webhook = Webhook(secret)
        self.script: deque[Reply | str] = deque()
        self.received: list[Received] = []
        self.acknowledged: list[str] = []  # webhook ids taken, once each
        self.repeats: list[str] = []  # acknowledged again: dropped
        self.release = threading.Event()
        self.url = ""

    def answer(self, *replies: Reply | str) -> None:
        self.script.extend(replies)

    def take(self, headers: dict[str, str], body: bytes) -> Reply | str:
        """Record a request; the reply to give it."""
        webhook_id = headers.get("webhook-id", "")
        timestamp = int(headers.get("webhook-timestamp", "0"))
        when = dt.datetime.fromtimestamp(timestamp, dt.UTC)
        expected = self.webhook.sign(webhook_id, when, body)
        signed = expected in headers.get("webhook-signature", "").split(" ")
        self.received.append(
            Received(
                webhook_id, timestamp, body, headers.get("content-type", ""), signed
            )
        )
        reply = self.script.popleft() if self.script else Reply()
        if isinstance(reply, Reply) and 200 <= reply.status < 300:
            taken = webhook_id in self.acknowledged
            (self.repeats if taken else self.acknowledged).append(webhook_id)
        return reply


def _handler(province: Province) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = province.take(headers, body)
            if reply == HANG:
                province.release.wait(timeout=10)
                return
            assert isinstance(reply, Reply)
            province.release.wait(timeout=reply.delay)
            data = reply.body.encode()
            self.send_response(reply.status)
            if reply.retry_after is not None:
                self.send_header("Retry-After", reply.retry_after)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a sender that gave up (time-out) closes the socket: expected


def serve_province(secret: str = SECRET) -> Iterator[Province]:
    """Run a province on a free loopback port until the generator is closed."""
    province = Province(secret)
    server = _Server(("127.0.0.1", 0), _handler(province))
    province.url = f"http://127.0.0.1:{server.server_address[1]}/reports"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield province
    finally:
        province.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def closed_port_url() -> str:
    """A loopback URL on which nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/reports"
