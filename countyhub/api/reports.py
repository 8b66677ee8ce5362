"""The province report over HTTP (analysts and admins): build a month, list and
read the versions with their delivery, export one, and the report's JSON Schema.

``POST /reports`` builds a closed month: 201 with a new version when the content
changed, 200 with the newest when it did not (the same data gives the same
content).  A new version is queued for the province when COUNTYHUB_PROVINCE_URL
is set.  An export is the canonical JSON (the bytes hashed and sent), a workbook
or a PDF, as an attachment.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Response, current_app, jsonify, send_file, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from countyhub.api.auth import roles
from countyhub.api.idempotency import HEADER_DOC, idempotent
from countyhub.api.pagination import PageArgs, page_of, page_schema, take_page
from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.roles import Permission, require, roles_with
from countyhub.platform.config import Settings
from countyhub.platform.models import Report
from countyhub.platform.reports import schemas
from countyhub.platform.reports.content import build_report, report_schema
from countyhub.platform.reports.exports import FORMATS, export_report
from countyhub.platform.reports.versions import REFUSAL, check_month, get_report

blp = Blueprint(
    "reports",
    __name__,
    url_prefix="/api/v1/reports",
    description="The province report: versions, delivery, exports, its schema",
)
MAKERS = roles_with(Permission.MAKE_REPORTS)
EXPORTED = {
    "description": "the version as an attachment (Content-Disposition)",
    "content": {
        media: {"schema": {"type": "string", "format": "binary"}}
        for name, media in FORMATS.items()
        if name != "json"
    }
    | {FORMATS["json"]: {"schema": {"type": "object"}}},  # as GET /reports/schema
}


class ReportListArgs(schemas.ReportFilterArgs, PageArgs):
    """Filter and page."""


@blp.route("")
class ReportCollection(MethodView):
    @roles(*MAKERS)
    @blp.arguments(ReportListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(schemas.ReportSummaryOut, "ReportPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the versions in the order they were built, a page at a time."""
        require(actor(), Permission.MAKE_REPORTS, REFUSAL)
        page = take_page(args)
        query = select(Report).options(selectinload(Report.outbox))
        if args.get("month") is not None:
            query = query.where(Report.month == check_month(args["month"]))
        return page_of(query, Report.id, page)

    @roles(*MAKERS)
    @idempotent
    @blp.doc(parameters=[HEADER_DOC])
    @blp.arguments(schemas.BuildIn)
    @blp.response(201, schemas.ReportOut, description="a new version")
    @blp.alt_response(200, schema=schemas.ReportOut, description="content unchanged")
    def post(self, data: dict[str, Any]) -> Any:
        """Build a closed month's report; a new version only if its content changed."""
        settings: Settings = current_app.config["COUNTYHUB_SETTINGS"]
        deliver = settings.province_url is not None
        built = build_report(db_session(), actor(), data["month"], deliver=deliver)
        location = url_for("reports.ReportItem", report_id=built.report.id)
        return built.report, 201 if built.new else 200, {"Location": location}


@blp.route("/schema")
class ReportSchema(MethodView):
    @roles(*MAKERS)
    @blp.response(200, {"type": "object"}, description="JSON Schema, draft 2020-12")
    def get(self) -> Any:
        """The JSON Schema of a report's content (version 1)."""
        return jsonify(report_schema())


@blp.route("/<int:report_id>")
class ReportItem(MethodView):
    @roles(*MAKERS)
    @blp.response(200, schemas.ReportOut)
    def get(self, report_id: int) -> Any:
        """One version: its content, its delivery and every attempt to send it."""
        return get_report(db_session(), actor(), report_id)


@blp.route("/<int:report_id>/export")
class ReportExport(MethodView):
    @roles(*MAKERS)
    @blp.arguments(schemas.ExportArgs, location="query", unknown=RAISE)
    @blp.doc(responses={"200": EXPORTED})
    def get(self, args: dict[str, Any], report_id: int) -> Any:
        """One version as a file: json (canonical), xlsx or pdf."""
        report = get_report(db_session(), actor(), report_id)
        export = export_report(report, args["format"])
        response: Response = send_file(  # bytes, not text: passed through
            io.BytesIO(export.body),
            mimetype=export.media_type,
            as_attachment=True,
            download_name=export.filename,
        )
        return response
