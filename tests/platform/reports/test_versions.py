"""A month's report kept by version: same content, nothing new; changed, the next
version; a stored version never changes; its outbox row in the same transaction."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, InvalidInput, NotFound
from countyhub.platform.models import Report, ReportOutbox, User
from countyhub.platform.reports.canonical import content_hash
from countyhub.platform.reports.states import DeliveryState
from countyhub.platform.reports.versions import (
    get_report,
    list_reports,
    store_report,
)

MONTH = "2026-10"
CONTENT = {"month": MONTH, "volumes": {"inbound": 120, "outbound": 7}, "县": "铜鼓县"}


def _count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table))


def test_the_first_build_is_version_1_with_its_hash(session: Session, analyst: User):
    """Version 1, the hash of the canonical JSON, the county, who and when."""
    report = store_report(session, analyst, MONTH, CONTENT, deliver=False)
    assert (report.month, report.version) == (MONTH, 1)
    assert report.content == CONTENT
    assert report.content_hash == content_hash(CONTENT)
    assert report.county.code == "360926"
    assert report.built_by == analyst and report.built_at is not None
    assert report.schema_version == "1"
    assert report.outbox is None


def test_the_same_content_makes_nothing_new(session: Session, analyst: User):
    """Rebuilt with the same content (keys in another order): the same version."""
    first = store_report(session, analyst, MONTH, CONTENT, deliver=True)
    again = store_report(
        session, analyst, MONTH, dict(reversed(CONTENT.items())), deliver=True
    )
    assert again.id == first.id and again.version == 1
    assert _count(session, Report) == 1 and _count(session, ReportOutbox) == 1


def test_changed_content_makes_version_2_and_leaves_version_1(
    session: Session, analyst: User, admin: User
):
    """Late events change the figures: version 2; version 1 as it was."""
    first = store_report(session, analyst, MONTH, CONTENT, deliver=False)
    changed = {**CONTENT, "volumes": {"inbound": 121, "outbound": 7}}
    second = store_report(session, admin, MONTH, changed, deliver=False)
    session.expire_all()
    one = session.get(Report, first.id)
    assert (second.version, second.built_by) == (2, admin)
    assert second.content_hash == content_hash(changed) != one.content_hash
    assert one.version == 1 and one.content == CONTENT
    assert one.content_hash == content_hash(CONTENT) and one.built_by == analyst
    back = store_report(session, admin, MONTH, CONTENT, deliver=False)
    assert back.version == 3  # compared with the newest, not any


def test_months_are_versioned_apart(session: Session, analyst: User):
    store_report(session, analyst, MONTH, CONTENT, deliver=False)
    other = store_report(session, analyst, "2026-09", CONTENT, deliver=False)
    assert other.version == 1


def test_a_new_version_is_queued_in_the_same_transaction(
    session: Session, analyst: User
):
    """With delivery configured, each version gets one pending outbox row, due at
    once, with a webhook id of its own that names it."""
    first = store_report(session, analyst, MONTH, CONTENT, deliver=True)
    second = store_report(session, analyst, MONTH, {"x": 1}, deliver=True)
    for report in (first, second):
        row = report.outbox
        assert row.state == DeliveryState.PENDING and row.attempts == 0
        assert row.next_attempt_at is None  # due at once
        assert row.webhook_id.startswith(f"msg_360926-{MONTH}-v{report.version}-")
    assert first.outbox.webhook_id != second.outbox.webhook_id


def test_a_version_built_before_delivery_was_configured_is_queued_on_rebuild(
    session: Session, analyst: User
):
    report = store_report(session, analyst, MONTH, CONTENT, deliver=False)
    again = store_report(session, analyst, MONTH, CONTENT, deliver=True)
    assert again.id == report.id and again.outbox is not None


def test_content_is_stored_as_json_holds_it(session: Session, analyst: User):
    """Tuples become lists, number keys text: the content hashed is the one kept."""
    content = {"a": (1, 2), "b": {3: "x"}}
    report = store_report(session, analyst, MONTH, content, deliver=False)
    assert report.content == {"a": [1, 2], "b": {"3": "x"}}
    assert report.content_hash == content_hash(report.content)
    with pytest.raises(ValueError):
        store_report(session, analyst, MONTH, {"share": math.nan}, deliver=False)


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "26-10", "1999-12", "2026-10 "])
def test_a_malformed_month_is_refused(session: Session, analyst: User, month: str):
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        store_report(session, analyst, month, CONTENT, deliver=False)


def test_only_analysts_and_admins_make_or_read_reports(
    session: Session, dispatcher: User, analyst: User
):
    with pytest.raises(Forbidden):
        store_report(session, dispatcher, MONTH, CONTENT, deliver=False)
    report = store_report(session, analyst, MONTH, CONTENT, deliver=False)
    with pytest.raises(Forbidden):
        list_reports(session, dispatcher)
    with pytest.raises(Forbidden):
        get_report(session, dispatcher, report.id)


def test_list_newest_first_and_show_one(session: Session, analyst: User):
    v1 = store_report(session, analyst, "2026-09", CONTENT, deliver=False)
    v2 = store_report(session, analyst, "2026-10", CONTENT, deliver=False)
    v3 = store_report(session, analyst, "2026-10", {"x": 1}, deliver=False)
    assert list_reports(session, analyst) == [v3, v2, v1]
    assert list_reports(session, analyst, month="2026-09") == [v1]
    assert get_report(session, analyst, v2.id) == v2
    with pytest.raises(NotFound, match="no report 999999"):
        get_report(session, analyst, 999999)
    with pytest.raises(InvalidInput):
        list_reports(session, analyst, month="October")
