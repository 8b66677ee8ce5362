"""The request's database session: one per request, closed when it ends."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session


def session() -> Session:
    """The session of the current request (opened on first use)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["countyhub.db"].sessions()
    return g.db_session
