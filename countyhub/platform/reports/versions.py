"""The province report kept by version: storing a month's content, listing, showing.

A month's report is rebuilt when late events arrive.  :func:`store_report` keeps
the newest version when the content is the same (same SHA-256 of its canonical
JSON) and otherwise adds the next version; a stored version is never changed.
When the province is configured, the new version's outbox row is written in the
same transaction (:func:`enqueue`), so a report is never stored without its
delivery, nor the other way round; :mod:`countyhub.platform.reports.outbox`
delivers it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from countyhub.platform.accounts.roles import Permission, require
from countyhub.platform.county.gazetteer import require_county
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.models import Report, ReportOutbox, User
from countyhub.platform.reports.canonical import canonical_json, content_hash
from countyhub.platform.reports.states import DeliveryState

SCHEMA_VERSION = "1"  # of the report's JSON Schema, until its author says otherwise
MONTH = re.compile(r"(20\d\d)-(0[1-9]|1[0-2])")
REFUSAL = "only an analyst or an admin may build, send or read the province report"


def check_month(month: str) -> str:
    """``month`` if it is a month ``YYYY-MM`` from 2000 to 2099.  Raises
    InvalidInput."""
    if not isinstance(month, str) or not MONTH.fullmatch(month):
        raise InvalidInput(
            f"month {month!r} is not a month YYYY-MM from 2000-01 to 2099-12",
            {"month": "YYYY-MM, e.g. 2026-10"},
        )
    return month


def store_report(
    session: Session,
    actor: User,
    month: str,
    content: Mapping[str, Any],
    *,
    deliver: bool,
    schema_version: str = SCHEMA_VERSION,
) -> Report:
    """The month's newest version if its content is the same, else a new version
    (and its outbox row when ``deliver``).  Raises Forbidden, InvalidInput,
    NoCounty; ValueError or TypeError for content that JSON cannot hold."""
    require(actor, Permission.MAKE_REPORTS, REFUSAL)
    county = require_county(session)
    digest = content_hash(content)
    newest = _newest(session, county.id, check_month(month))
    if newest is not None and newest.content_hash == digest:
        if deliver and newest.outbox is None:  # configured since it was built
            enqueue(session, newest)
        return newest
    report = Report(
        county=county,
        month=month,
        version=1 if newest is None else newest.version + 1,
        content=json.loads(
            canonical_json(content)
        ),  # as hashed: JSON's types, text keys
        content_hash=digest,
        schema_version=schema_version,
        built_by=actor,
    )
    session.add(report)
    session.flush()
    if deliver:
        enqueue(session, report)
    return report


def enqueue(session: Session, report: Report) -> ReportOutbox:
    """Put ``report`` in the outbox under its webhook id, due at once (no
    attempt time yet)."""
    row = ReportOutbox(
        report=report,
        webhook_id=webhook_id(report),
        state=DeliveryState.PENDING,
        attempts=0,
    )
    session.add(row)
    session.flush()
    return row


def webhook_id(report: Report) -> str:
    """The message id of a report version, the same on every attempt, so the
    province can drop a repeat: county, month, version and the content's hash."""
    county = report.county.code
    return f"msg_{county}-{report.month}-v{report.version}-{report.content_hash[:16]}"


def _newest(session: Session, county_id: int, month: str) -> Report | None:
    return session.scalar(
        select(Report)
        .where(Report.county_id == county_id, Report.month == month)
        .order_by(Report.version.desc())
        .limit(1)
    )


def list_reports(
    session: Session, actor: User, *, month: str | None = None
) -> list[Report]:
    """Every stored version (of ``month`` only, if given), newest month first,
    then newest version first.  Raises Forbidden, InvalidInput."""
    require(actor, Permission.MAKE_REPORTS, REFUSAL)
    query = select(Report).options(selectinload(Report.outbox))
    if month is not None:
        query = query.where(Report.month == check_month(month))
    order = (Report.month.desc(), Report.version.desc(), Report.id.desc())
    return list(session.scalars(query.order_by(*order)))


def get_report(session: Session, actor: User, report_id: int) -> Report:
    """One report version with its delivery and every attempt.  Raises
    Forbidden, NotFound."""
    require(actor, Permission.MAKE_REPORTS, REFUSAL)
    report = session.scalar(
        select(Report)
        .where(Report.id == report_id)
        .options(selectinload(Report.outbox).selectinload(ReportOutbox.attempt_log))
    )
    if report is None:
        raise NotFound("report", report_id)
    return report
