"""The province report's content: every figure as the stats services give it, laid
out as the published JSON Schema says, the same bytes for the same data."""

from __future__ import annotations

import datetime as dt

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, InvalidInput
from countyhub.platform.models import User, Village
from countyhub.platform.plans.results import record_run_km
from countyhub.platform.reports.canonical import canonical_json
from countyhub.platform.reports.content import (
    NOT_DECLARED,
    build_content,
    month_close,
    report_schema,
)
from countyhub.platform.reports.versions import store_report
from countyhub.platform.stats.cadence import cadence
from countyhub.platform.stats.consent import consent
from countyhub.platform.stats.coverage import coverage
from countyhub.platform.stats.fleet import fleet
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.service import service_level
from countyhub.platform.stats.volumes import volumes
from tests.platform.stats.conftest import NOW, History, build

CLOSE = dt.datetime(2026, 11, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def history(session: Session, admin: User) -> History:
    return build(session, admin)


@pytest.fixture
def report(session: Session, analyst: User, history: History) -> dict:
    return build_content(session, analyst, "2026-10", now=NOW)


@pytest.fixture
def closed(session: Session, history: History) -> StatsQuery:
    """October as the report takes it: at the close of the month."""
    return stats_query(session, month="2026-10", now=CLOSE.astimezone(dt.UTC))


def validate(content: dict) -> None:
    schema = report_schema()
    checker = Draft202012Validator.FORMAT_CHECKER
    Draft202012Validator(schema, format_checker=checker).validate(content)


def test_schema_is_draft_2020_12_and_versioned() -> None:
    """The shipped schema is a valid 2020-12 schema whose $id names version 1."""
    schema = report_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("/2020-12/schema")
    assert "/v1/" in schema["$id"]


def test_report_follows_the_schema(report: dict) -> None:
    """The built report validates against its schema."""
    validate(report)


def test_schema_refuses_a_missing_or_mistyped_field(report: dict) -> None:
    """The schema holds every field required and typed: it can fail."""
    with pytest.raises(Exception, match="required"):
        validate({k: v for k, v in report.items() if k != "consent"})
    wrong = {**report, "inbound_received": {**report["inbound_received"]}}
    wrong["inbound_received"]["total"] = "9"
    with pytest.raises(Exception, match="integer"):
        validate(wrong)


def test_header_names_county_period_and_close(report: dict) -> None:
    """County, month, its days and the instant the figures are taken at."""
    assert report["county"] == {"code": "360926", "name": "铜鼓县"}
    assert report["period"] == {
        "month": "2026-10",
        "first_day": "2026-10-01",
        "last_day": "2026-10-31",
        "days": 31,
        "time_zone": "Asia/Shanghai",
    }
    assert report["as_of"] == "2026-11-01T00:00:00+08:00"
    assert month_close("2026-12").isoformat() == "2027-01-01T00:00:00+08:00"


def test_volumes_by_hand(report: dict) -> None:
    """October's volumes as the history was written: 9 in (7 ZTO, 2 YTO), 6
    handed over, 3 out (2 fruit, 1 without a category)."""
    got = report["inbound_received"]
    assert got["total"] == 9 and got["unit"] == "件"
    assert {c["code"]: c["parcels"] for c in got["by_courier"]} == {"ZTO": 7, "YTO": 2}
    assert report["inbound_delivered"]["total"] == 6
    out = report["outbound_registered"]
    assert out["total"] == 3
    assert [(c["code"], c["label_zh"], c["parcels"]) for c in out["by_category"]] == [
        ("fruit", "水果", 2),
        (None, "未分类", 1),
    ]
    assert report["outbound_declared_value"]["value"] is None


def test_volumes_as_the_stats_give_them(
    session: Session, analyst: User, report: dict, closed: StatsQuery
) -> None:
    """Totals, breakdowns and the daily series are the volumes service's."""
    flows = volumes(session, analyst, closed)
    assert report["inbound_received"]["total"] == flows.inbound.total
    towns = [(c.code, c.name, c.parcels) for c in flows.delivered.by_township]
    assert [
        (c["code"], c["name"], c["parcels"])
        for c in report["inbound_delivered"]["by_township"]
    ] == towns
    daily = report["daily"]
    assert len(daily) == 31 and daily[0]["day"] == "2026-10-01"
    assert [d["inbound_received"] for d in daily] == [
        d.parcels for d in flows.inbound.by_day
    ]
    assert sum(d["outbound_registered"] for d in daily) == flows.outbound.total
    assert report["couriers_participating"]["couriers"] == [
        {"code": "YTO", "name": c}
        for c in [n.name for n in flows.inbound.by_courier if n.code == "YTO"]
    ] + [
        {"code": "ZTO", "name": n.name}
        for n in flows.inbound.by_courier
        if n.code == "ZTO"
    ]


def test_coverage_cadence_service_consent_fleet_as_the_stats_give_them(
    session: Session, analyst: User, report: dict, closed: StatsQuery
) -> None:
    """Each remaining figure is its stats service's, rounded only."""
    cov = coverage(session, analyst, closed)
    assert report["villages_served"]["count"] == cov.villages.count
    assert report["villages_served"]["total"] == cov.villages.total
    assert report["townships_with_point"]["count"] == cov.townships.count
    assert report["service_points"]["active"] == cov.points_active == 3
    cad = cadence(session, analyst, closed)
    assert report["cadence"]["mean"] == round(cad.visits_per_week_mean or 0, 2)
    assert report["cadence"]["breaches"] == len(cad.breaches) > 0
    assert [p["code"] for p in report["cadence"]["by_point"]] == [
        p.point for p in cad.points
    ]
    level = service_level(session, analyst, closed)
    within = report["delivered_within_48h"]
    assert (within["received"], within["due"], within["within_48h"]) == (
        level.received,
        level.due,
        level.within_48h,
    )
    assert report["returns"]["returned"] == level.returns.total == 2
    assert report["returns"]["brought_back"] == level.brought_back == 1
    given = consent(session, analyst, closed)
    assert report["consent"]["handovers"] == given.handovers == 6
    assert report["consent"]["without_consent"] == given.without_consent == 1
    runs = fleet(session, analyst, closed)
    assert report["fleet"]["runs"] == runs.runs == 3
    assert report["fleet"]["km_planned"] == runs.km_planned == 65.0


def test_poverty_villages_not_declared_then_declared(
    session: Session, analyst: User, history: History
) -> None:
    """Without any flag the figure is "not declared" and null, never 0 %."""
    session.execute(update(Village).values(poverty=None))
    bare = build_content(session, analyst, "2026-10", now=NOW)
    poor = bare["poverty_villages_served"]
    assert (poor["declared"], poor["percent"], poor["note"]) == (
        False,
        None,
        NOT_DECLARED,
    )
    village = session.scalar(select(Village).where(Village.kind == "village"))
    village.poverty = True
    session.flush()
    flagged = build_content(session, analyst, "2026-10", now=NOW)
    poor = flagged["poverty_villages_served"]
    assert poor["declared"] is True and poor["total"] == 1 and poor["note"] is None
    validate(flagged)


def test_same_data_same_bytes_and_version(
    session: Session, analyst: User, report: dict
) -> None:
    """Built later, the content is the same bytes; stored again, it is the same
    version."""
    later = build_content(session, analyst, "2026-10", now=NOW + dt.timedelta(days=40))
    assert canonical_json(later) == canonical_json(report)
    first = store_report(session, analyst, "2026-10", report, deliver=False)
    again = store_report(session, analyst, "2026-10", later, deliver=False)
    assert again.id == first.id and again.version == 1


def test_open_month_is_refused(
    session: Session, analyst: User, history: History
) -> None:
    """A month that has not closed yet is a clear InvalidInput."""
    with pytest.raises(InvalidInput, match="not closed yet") as caught:
        build_content(session, analyst, "2026-10", now=CLOSE - dt.timedelta(hours=1))
    assert caught.value.problems == {"month": "not closed yet"}
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        build_content(session, analyst, "2026-13", now=NOW)


def test_needs_the_figures(session: Session, dispatcher: User) -> None:
    """A dispatcher may not read the figures, so may not build the report."""
    with pytest.raises(Forbidden):
        build_content(session, dispatcher, "2026-10", now=NOW)


def test_fleet_km_recorded_for_some_runs(
    session: Session, analyst: User, dispatcher: User, history: History
) -> None:
    """Two of October's three runs with km driven: the fleet gives their km, how
    many runs, and the note saying so; the content stays valid."""
    record_run_km(session, dispatcher, dt.date(2026, 10, 2), "VAN-1", 31.5)
    record_run_km(session, dispatcher, dt.date(2026, 10, 4), "VAN-1", 26.25)
    report = build_content(session, analyst, "2026-10", now=NOW)
    validate(report)
    runs = report["fleet"]
    assert (runs["km_recorded"], runs["runs_recorded"]) == (57.75, 2)
    assert runs["note"] == "recorded for 2 of 3 runs"
