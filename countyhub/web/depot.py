"""What the depot clerk's pages share: who may open them, and which depot they act for.

A depot clerk acts for its own depot; an admin (or a dispatcher) who takes in a
depot's parcels names the depot on the form, chosen from a list.  The gate is the
permission table's (:data:`PERMISSION`), so the pages open to whoever the API lets
upload manifests; the services check each action again.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from countyhub.platform.accounts.roles import Permission, can, require
from countyhub.platform.county import reference
from countyhub.platform.errors import NotFound
from countyhub.platform.models import Depot, User

PERMISSION = Permission.UPLOAD_MANIFESTS


def open_to(user: User) -> None:
    """Raise Forbidden unless ``user`` may use the depot's pages."""
    require(user, PERMISSION, "the depot's pages are for depot clerks and admins")


def depots(session: Session, user: User) -> list[Depot]:
    """The depots ``user`` may choose among: none for a clerk (its own is fixed)."""
    if user.depot_id is not None:
        return []
    return list(session.scalars(reference.depots_query(user).order_by(Depot.code)))


def acting_depot(
    session: Session, user: User, code: str
) -> tuple[Depot | None, str | None]:
    """The depot the page acts for, and else the problem to show beside the field."""
    if user.depot is not None:
        return user.depot, None
    if not code:
        return None, _("Choose the depot that hands the parcels over.")
    try:
        return reference.find_depot(session, user, code), None
    except NotFound:
        return None, _("No depot has this code; choose one from the list.")


def _menu() -> dict[str, Any]:
    return {"depot_pages": lambda who: who is not None and can(who, PERMISSION)}


def init_app(app: Flask) -> None:
    """Let the layout's menu show the depot's pages to those who may open them."""
    app.context_processor(_menu)
