"""Signing as the Standard Webhooks specification says, checked independently."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from countyhub.platform.config import webhook_key
from countyhub.platform.errors import BadSetting
from countyhub.platform.reports.signing import signed_headers
from tests.platform.reports.province import SECRET

BODY = '{"county":"铜鼓县","month":"2026-10"}'.encode()
KEY = webhook_key(SECRET)


def test_the_standardwebhooks_package_verifies_the_headers():
    """The reference implementation accepts the signed message as it is sent."""
    now = int(dt.datetime.now(dt.UTC).timestamp())
    headers = signed_headers(KEY, "msg_1", now, BODY)
    assert Webhook(SECRET).verify(BODY, headers) == {
        "county": "铜鼓县",
        "month": "2026-10",
    }


def test_a_changed_body_or_id_does_not_verify():
    """The signature covers the body and the id."""
    now = int(dt.datetime.now(dt.UTC).timestamp())
    headers = signed_headers(KEY, "msg_1", now, BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(BODY + b" ", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(BODY, {**headers, "webhook-id": "msg_2"})


def test_the_specifications_steps_written_out():
    """v1, + base64(HMAC-SHA256(base64-decoded secret, "id.timestamp.body"))."""
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = b"msg_2.1700000000." + BODY
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    assert signed_headers(KEY, "msg_2", 1700000000, BODY) == {
        "webhook-id": "msg_2",
        "webhook-timestamp": "1700000000",
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "SECRET must be whsec_ followed by"),
        ("whsec_not base64!", "SECRET: what follows whsec_ is not base64"),
        ("whsec_c2hvcnQ=", "a key of 5 bytes, not 24 to 64"),
        ("whsec_", "a key of 0 bytes"),
    ],
)
def test_a_secret_not_in_whsec_form_is_refused_saying_why(secret: str, why: str):
    """Prefix, base64 and key length are checked, naming the setting."""
    with pytest.raises(BadSetting, match=why):
        webhook_key(secret)


def test_the_key_is_the_decoded_base64():
    """The part after whsec_, decoded."""
    assert webhook_key(SECRET) == base64.b64decode(SECRET[6:])
