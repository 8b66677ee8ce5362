"""Manifest files: upload and import reports.

An upload is one ``multipart/form-data`` body: the file and its form fields are
read as one location (``multipart``), so the OpenAPI document shows them as one
request body.  A large file is committed chunk by chunk while it is read (the
request commits the rest); an atomic one is all or nothing, and an
``ImportAborted`` rolls the request back.
"""

from __future__ import annotations

import io
from typing import Any, ClassVar

import flask
import marshmallow as ma
from flask import send_file, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from countyhub.api.auth import roles
from countyhub.api.pagination import PageArgs, page_of, page_schema, take_page
from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.roles import Permission, roles_with
from countyhub.platform.intake import imports
from countyhub.platform.intake.rejected import rejected_rows_csv
from countyhub.platform.intake.schemas import (
    ImportOut,
    ImportProblemOut,
    ImportReportOut,
    ManifestUploadIn,
    ProblemFilterArgs,
)
from countyhub.platform.models import ImportProblem, ManifestImport

READERS = roles_with(Permission.READ_IMPORTS)
UPLOADERS = roles_with(Permission.UPLOAD_MANIFESTS)
ID = "int(max=2147483647)"  # ids are 32-bit integers: larger ones match no route


class _MultipartParser(FlaskParser):
    """webargs' Flask parser with one more location: a multipart form's fields
    and files together."""

    __location_map__: ClassVar[dict[str, Any]] = {
        **FlaskParser.__location_map__,
        "multipart": "load_multipart",
    }

    def load_multipart(self, req: flask.Request, schema: ma.Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class _UploadBlueprint(Blueprint):
    ARGUMENTS_PARSER = _MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING: ClassVar[dict[str, str]] = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }


blp = _UploadBlueprint(
    "manifests",
    __name__,
    url_prefix="/api/v1",
    description="Manifest files: upload and import reports",
)


class ProblemListArgs(ProblemFilterArgs, PageArgs):
    """Filter and page."""


@blp.route("/manifests")
class ManifestCollection(MethodView):
    @roles(*READERS)
    @blp.arguments(PageArgs, location="query", unknown=ma.RAISE)
    @blp.response(200, page_schema(ImportOut, "ImportPage"))
    def get(self, page: dict[str, Any]) -> Any:
        """List the imports you may read, oldest first, a page at a time."""
        query = imports.imports_query(actor())
        return page_of(
            query,
            ManifestImport.id,
            page,
            lambda r: imports.view_import(db_session(), r),
        )

    @roles(*UPLOADERS)
    @blp.arguments(ManifestUploadIn, location="multipart")
    @blp.response(201, ImportReportOut)
    def post(self, upload: imports.ManifestUpload) -> Any:
        """Upload a manifest file (CSV or XLSX; UTF-8 or GB18030) and import it."""
        report = imports.upload_manifest(db_session(), actor(), upload)
        return report, {
            "Location": url_for("manifests.ManifestItem", import_id=report.id)
        }


@blp.route(f"/manifests/<{ID}:import_id>")
class ManifestItem(MethodView):
    @roles(*READERS)
    @blp.response(200, ImportReportOut)
    def get(self, import_id: int) -> Any:
        """One import's report: state, counts and its first problems."""
        return imports.import_report(db_session(), actor(), import_id)


@blp.route(f"/manifests/<{ID}:import_id>/problems")
class ManifestProblems(MethodView):
    @roles(*READERS)
    @blp.arguments(ProblemListArgs, location="query", unknown=ma.RAISE)
    @blp.response(200, page_schema(ImportProblemOut, "ImportProblemPage"))
    def get(self, args: dict[str, Any], import_id: int) -> Any:
        """The import's row-level problems in file order, a page at a time."""
        user, page = actor(), take_page(args)
        imports.get_import(db_session(), user, import_id)  # 404 if not yours
        query = imports.import_problems_query(user, import_id, **args)
        return page_of(query, ImportProblem.id, page, imports.view_problem)


@blp.route(f"/manifests/<{ID}:import_id>/rejected.csv")
class ManifestRejected(MethodView):
    @roles(*READERS)
    @blp.response(
        200,
        {"type": "string"},
        content_type="text/csv",
        description="the rejected rows under the manifest's own columns, and a "
        "column saying what is wrong; UTF-8 with BOM (Content-Disposition)",
    )
    def get(self, import_id: int) -> Any:
        """The import's rejected rows as a file to fix and upload again."""
        found = rejected_rows_csv(db_session(), actor(), import_id)
        # send_file names a Chinese file name as RFC 6266 asks (filename*=UTF-8'')
        return send_file(
            io.BytesIO(found.data),
            mimetype="text/csv",
            as_attachment=True,
            download_name=found.filename,
        )
