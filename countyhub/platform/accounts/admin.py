"""The admin-only guard shared by the services of users, API keys and reference data.

:func:`require_admin` refuses anyone but an admin; :func:`admin_get` reads a user
or an API key by id for an admin.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from countyhub.platform.accounts.roles import Permission, require
from countyhub.platform.errors import NotFound
from countyhub.platform.models import ApiKey, User

_Row = TypeVar("_Row", User, ApiKey)


def admin_get(
    session: Session, actor: User, model: type[_Row], row_id: int, kind: str
) -> _Row:
    """The row of ``model`` with that id.  Raises Forbidden, NotFound."""
    require_admin(actor, f"reads {kind}s")
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(kind, row_id)
    return row


def require_admin(actor: User, what: str) -> None:
    """Raise Forbidden ("only an admin ``what``") unless ``actor`` is an admin."""
    require(actor, Permission.ADMINISTER, f"only an admin {what}")
