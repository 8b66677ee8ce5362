"""Health: ``/healthz`` (the process answers) and ``/readyz`` (database and schema)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from countyhub.edge.transaction import db_session
from countyhub.platform import schema

blp = Blueprint("health", __name__, description="Liveness and readiness")


class StatusOut(Schema):
    status = fields.String()
    revision = fields.String()


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, StatusOut)
    def get(self) -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, StatusOut)
    @blp.alt_response(503, description="the database does not answer or is behind")
    def get(self) -> dict[str, str]:
        """The database answers and its schema is at the newest migration."""
        try:
            connection = db_session().connection()
            connection.execute(text("SELECT 1"))
            revision = schema.revision_of(connection)
        except SQLAlchemyError:
            abort(503, message="the database does not answer")
        if revision != schema.head():
            abort(
                503,
                message=f"the database is at revision {revision}, the code "
                f"needs {schema.head()}: run `countyhub db upgrade`",
            )
        return {"status": "ready", "revision": revision or ""}
