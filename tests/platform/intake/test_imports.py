"""Reading manifest imports: who sees which, the report, the problems, the upload."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, InvalidInput, NotFound
from countyhub.platform.intake.imports import (
    FIRST_PROBLEMS,
    ManifestUpload,
    get_import,
    import_problems_query,
    import_report,
    imports_query,
    upload_manifest,
    view_problem,
)
from countyhub.platform.models import ImportProblem, User
from tests.platform.intake.test_manifests import GOOD, HEADER

BAD = ["12", "赵六", "13612345678", "大塅镇大塅村", "1", "1"]


def csv_file(rows: list[list[str]]) -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows])
    return io.BytesIO(text.getvalue().encode("gb18030"))


def upload(session: Session, actor: User, rows: list[list[str]], **how: object):
    file = ManifestUpload(csv_file(rows), "清单.csv", **how)  # type: ignore[arg-type]
    return upload_manifest(session, actor, file)


@pytest.fixture
def yto_clerk(session: Session) -> User:
    return session.scalar(select(User).where(User.username == "clerk-yto"))


def test_upload_reads_back_the_report(session: Session, zto_clerk: User):
    """The report names file, depot, courier and actor, and counts each result."""
    report = upload(session, zto_clerk, [*GOOD, BAD])
    assert (report.format, report.encoding, report.state) == ("csv", "gb18030", "done")
    assert (report.depot, report.courier, report.actor) == (
        "TG-ZTO",
        "ZTO",
        "clerk-zto",
    )
    assert report.counts["new"] == 3 and report.counts["rejected"] == 1
    assert report.problem_count == len(report.problems) >= 1
    assert report.started_at.utcoffset().total_seconds() == 8 * 3600


def test_a_clerk_sees_only_their_depots_imports(
    session: Session, zto_clerk: User, yto_clerk: User, analyst: User
):
    """Another depot's clerk finds neither the import nor its problems."""
    report = upload(session, zto_clerk, [*GOOD, BAD])
    with pytest.raises(NotFound):
        get_import(session, yto_clerk, report.id)
    assert session.scalars(import_problems_query(yto_clerk, report.id)).all() == []
    assert get_import(session, analyst, report.id).id == report.id
    seen = session.scalars(imports_query(zto_clerk)).all()
    assert {r.depot_id for r in seen} == {zto_clerk.depot_id}


def test_point_operators_see_no_imports(
    session: Session, zto_clerk: User, point_operator: User
):
    """A role without manifests sees none of them."""
    report = upload(session, zto_clerk, GOOD)
    with pytest.raises(NotFound):
        import_report(session, point_operator, report.id)


def test_the_report_shows_the_first_problems_only(session: Session, admin: User):
    """A file with many bad rows shows the first problems; all are listed by query."""
    report = upload(session, admin, [BAD] * (FIRST_PROBLEMS + 5), courier="ZTO")
    assert len(report.problems) == FIRST_PROBLEMS
    assert report.problem_count == FIRST_PROBLEMS + 5
    errors = import_problems_query(admin, report.id, "error")
    assert len(session.scalars(errors).all()) == FIRST_PROBLEMS + 5


def test_upload_rules(session: Session, analyst: User, admin: User):
    """An analyst may not upload; an unknown depot code is named; a path is cut."""
    with pytest.raises(Forbidden):
        upload(session, analyst, GOOD, courier="ZTO")
    with pytest.raises(InvalidInput, match="TG-NONE"):
        upload(session, admin, GOOD, depot="TG-NONE")
    name = "C:\\清单\\" + "长" * 300 + ".csv"
    file = ManifestUpload(csv_file(GOOD), name, courier="ZTO")
    report = upload_manifest(session, admin, file)
    assert report.filename.endswith("长.csv") and len(report.filename) == 255


def test_problem_values_mask_names_and_phones(session: Session, admin: User):
    """A rejected phone, or a mobile number inside any value, is shown masked."""
    row = ["73610555582883", "张三", "13812345678转2", "大塅镇浒村", "1", "1"]
    report = upload(session, admin, [row], courier="ZTO")
    phone = [p for p in report.problems if p.column == "recipient_phone"]
    assert phone and "12345678" not in phone[0].value
    assert phone[0].value.startswith("138")
    raw = ImportProblem(
        id=0,
        row_number=3,
        column="电话",
        value="a 13912345678 b",
        reason="",
        severity="",
    )
    assert view_problem(raw).value == "a 139****5678 b"
    named = ImportProblem(
        id=0,
        row_number=3,
        column="recipient_name",
        value="王五",
        reason="",
        severity="",
    )
    assert view_problem(named).value == "王*"
