"""The audit trail of administrative changes (admins only), a page at a time."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from countyhub.api.auth import roles
from countyhub.api.pagination import PageArgs, page_of, page_schema, take_page
from countyhub.edge.auth import actor
from countyhub.platform.accounts.audit import audit_query
from countyhub.platform.accounts.audit_schemas import AuditEntryOut, AuditFilterArgs
from countyhub.platform.accounts.roles import Permission, roles_with
from countyhub.platform.models import AuditEntry

blp = Blueprint(
    "audit",
    __name__,
    url_prefix="/api/v1",
    description="Who changed users, keys and reference data, when, and how",
)


class AuditListArgs(AuditFilterArgs, PageArgs):
    """Filters and page."""


@blp.route("/audit")
class AuditTrail(MethodView):
    @roles(*roles_with(Permission.ADMINISTER))
    @blp.arguments(AuditListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(AuditEntryOut, "AuditPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the administrative changes, oldest first, a page at a time."""
        page = take_page(args)
        return page_of(audit_query(actor(), **args), AuditEntry.id, page)
