"""The API's share of the limits (OWASP API4): a request budget per key or address.

The settings, the body size, the refusal's headers and the budgets the API shares
with the pages (failed logins, public tracking) are :mod:`countyhub.edge.limits`'.
Batch and page sizes are bounded by the schemas (10,000 parcels, 1,000 scans, 500 a
page).

A request counts against its API key only once the key has verified; a Bearer
token that does not verify counts against the address it came from, so that no
stranger can spend a real key's budget by naming its prefix, nor dodge the
address's budget by inventing prefixes.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, current_app, g
from flask_smorest import Blueprint

from countyhub.edge import limits
from countyhub.edge.auth import verified_key_id


def _client() -> str:
    """Whom a request counts against: its API key once verified, or its address."""
    if "rate_client" not in g:
        key_id = verified_key_id()
        g.rate_client = f"key:{key_id}" if key_id else f"addr:{limits.address()}"
    return str(g.rate_client)


def _rate() -> str:
    name = "KEY" if _client().startswith("key:") else "ADDRESS"
    return str(current_app.config[f"COUNTYHUB_RATE_PER_{name}"])


def init_app(
    app: Flask,
    api_blueprints: Iterable[Blueprint],
    public: dict[str, Blueprint],
    login: tuple[Blueprint, str],
) -> None:
    """Bound request rates on ``app``'s API: ``public`` maps each budget's scope
    (no login there) to its blueprint; ``login`` is the login's blueprint and
    endpoint."""
    per_client = limits.limiter(app).shared_limit(_rate, scope="api", key_func=_client)
    for blueprint in api_blueprints:
        per_client(blueprint)
    for scope, blueprint in public.items():
        limits.guard_public(app, blueprint, scope)
    limits.guard_login(app, *login)
