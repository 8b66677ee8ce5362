"""Signing a message as the Standard Webhooks specification says.

The sender adds three headers: ``webhook-id`` (the message's id, the same on
every retry, so that the receiver drops a repeat), ``webhook-timestamp`` (unix
seconds) and ``webhook-signature``: ``v1,`` followed by the base64 of
HMAC-SHA256 over ``{id}.{timestamp}.{body}``, keyed with the secret's bytes.
The secret is given as ``whsec_`` and the key in base64; its form is checked, and
the key decoded, where the setting is read
(:func:`countyhub.platform.config.webhook_key`).  Pure: no database, no network.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def signature(key: bytes, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: ``v1,`` + base64 HMAC-SHA256 of
    ``{id}.{timestamp}.{body}``."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(
    key: bytes, webhook_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The three headers of a signed message (``timestamp`` in unix seconds)."""
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(key, webhook_id, timestamp, body),
    }
