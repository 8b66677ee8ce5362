"""The depot's manifests: upload a file, read its row-level report, download the
rejected rows to fix and upload again.

The upload goes through the same schema and service as ``POST /api/v1/manifests``
(:class:`~countyhub.platform.intake.schemas.ManifestUploadIn`,
:func:`~countyhub.platform.intake.imports.upload_manifest`); a file that is no
manifest, or names another courier, is refused beside the file field.  Without
JavaScript the form posts and the report page follows; with it, the file is sent
by XHR and a progress bar shows how much has gone.  The report lists every
problem with its row, column and reason, a page at a time (keyset on the id);
names and phones in them masked as the API masks them.  The rejected rows come
from :func:`~countyhub.platform.intake.rejected.rejected_rows_csv`, as the API's.
"""

from __future__ import annotations

import io

from flask import Blueprint, Flask, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.utils import redirect

from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform.errors import Forbidden, InvalidInput, ManifestRefused
from countyhub.platform.intake import imports
from countyhub.platform.intake.rejected import rejected_rows_csv
from countyhub.platform.intake.schemas import ManifestUploadIn
from countyhub.platform.models import ImportProblem, ManifestImport, User
from countyhub.web import depot

bp = Blueprint("manifest_pages", __name__, url_prefix="/depot/manifests")

PAGE = 50  # problems a page
RECENT = 10  # imports listed under the upload form
ID = "int(max=2147483647)"


@bp.get("/new")
def new() -> ResponseReturnValue:
    """The upload form, and the latest imports the reader may read."""
    user = actor()
    depot.open_to(user)
    return _form(user, "", {})


@bp.post("/new")
def upload() -> ResponseReturnValue:
    """Import the file; on to its report, else the form with the problem."""
    user = actor()
    depot.open_to(user)
    code = request.form.get("depot", "").strip()
    chosen, wrong_depot = depot.acting_depot(db_session(), user, code)
    if chosen is None:
        return _form(user, code, {"depot": wrong_depot or ""}, 422)
    file = request.files.get("file")
    if file is None or not file.filename:
        return _form(user, code, {"file": _("Choose the manifest file.")}, 422)
    try:
        given = ManifestUploadIn().load({"file": file, "depot": chosen.code})
        report = imports.upload_manifest(db_session(), user, given)
    except ValidationError as invalid:
        return _form(user, code, {"file": str(invalid.messages)}, 422)
    except (ManifestRefused, Forbidden) as refused:
        status = 403 if isinstance(refused, Forbidden) else 422
        return _form(user, code, {"file": str(refused)}, status, english=True)
    except InvalidInput as wrong:
        return _form(user, code, {"depot": str(wrong)}, 422, english=True)
    return redirect(url_for("manifest_pages.report", import_id=report.id), 303)


def _form(
    user: User,
    code: str,
    problems: dict[str, str],
    status: int = 200,
    *,
    english: bool = False,
) -> ResponseReturnValue:
    latest = db_session().scalars(
        imports.imports_query(user).order_by(ManifestImport.id.desc()).limit(RECENT)
    )
    page = render_template(
        "manifests/upload.html",
        chosen=code,
        problems=problems,
        english=english,
        depots=depot.depots(db_session(), user),
        own_depot=user.depot,
        latest=list(latest),
    )
    return page, status


@bp.get(f"/<{ID}:import_id>")
def report(import_id: int) -> ResponseReturnValue:
    """One import's report: counts, and its problems a page at a time."""
    user = actor()
    found = imports.import_report(db_session(), user, import_id)
    after = request.args.get("after", type=int) or 0
    query = imports.import_problems_query(user, import_id).where(
        ImportProblem.id > after
    )
    rows = list(db_session().scalars(query.order_by(ImportProblem.id).limit(PAGE + 1)))
    more = rows[PAGE - 1].id if len(rows) > PAGE else None
    following = {"import_id": import_id, "after": more}
    return render_template(
        "manifests/report.html",
        report=found,
        problems=[imports.view_problem(p) for p in rows[:PAGE]],
        first=after == 0,
        next_url=more and url_for("manifest_pages.report", **following),
    )


@bp.get(f"/<{ID}:import_id>/rejected.csv")
def rejected(import_id: int) -> ResponseReturnValue:
    """The rejected rows as a CSV file to fix and upload again."""
    found = rejected_rows_csv(db_session(), actor(), import_id)
    return send_file(
        io.BytesIO(found.data),
        mimetype="text/csv",
        as_attachment=True,
        download_name=found.filename,
    )


def init_app(app: Flask) -> None:
    """Register the depot's manifest pages."""
    app.register_blueprint(bp)
