"""Users and API keys; session login for people."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "users",
    __name__,
    url_prefix="/api/v1",
    description="Users and API keys; session login for people",
)
