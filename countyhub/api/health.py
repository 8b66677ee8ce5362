"""Health: ``/healthz`` (the process answers) and ``/readyz`` (database and schema)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import text

from countyhub.platform import schema

blp = Blueprint("health", __name__, description="Liveness and readiness")


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(security=[])
    def get(self) -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}


@blp.route("/readyz")
class Ready(MethodView):
    @blp.doc(security=[])
    def get(self) -> dict[str, str]:
        """The database answers and its schema is at the newest migration."""
        engine = current_app.extensions["countyhub.db"].engine
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            revision = schema.current(engine)
        except Exception:  # any failure to reach the database means not ready
            abort(503, message="the database does not answer")
        if revision != schema.head():
            abort(
                503,
                message=f"the database is at revision {revision}, the code "
                f"needs {schema.head()}: run `countyhub db upgrade`",
            )
        return {"status": "ready", "revision": revision or ""}
