"""The province report's content: one closed month of the county, as plain JSON.

The fields are those of the proposal in ``data/province-report.md`` (volumes by
courier, township and product category, coverage, cadence, the 48 h service
level, returns, consent, fleet, participating couriers, a daily series), each
with its unit and its Chinese and English labels.  Every figure is taken from
:mod:`countyhub.platform.stats`, never computed again here; this module only
lays the figures out.

Deterministic: the same data gives the same content, byte for byte (and so the
same hash, :func:`countyhub.platform.reports.canonical.content_hash`).  The
figures are taken *as at the close of the month* (``as_of``: the local midnight
after its last day), not at the time of building, and the content holds no
wall-clock time; when a version was built is the version's ``built_at``, kept
beside the content.  Only a closed month can be built: an open one would change
by the hour.

Types: counts are integers; shares are percentages rounded to 0.1
(``percent``, null when nothing to divide by); rates to 0.01; km to 0.001;
seconds to whole seconds.  Amounts of money would be strings of yuan with two
decimals ("6.80", as the stats API writes them); the one amount of the proposal,
the outbound goods' declared value, is not captured by the platform and is null
with the reason.  The layout is described by ``schema/report-v1.json``
(:func:`report_schema`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.county.gazetteer import require_county
from countyhub.platform.db import LOCAL_TZ, utcnow
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import Report, User
from countyhub.platform.parcels.categories import Category
from countyhub.platform.reports.versions import check_month, store_report
from countyhub.platform.stats.cadence import Cadence, cadence
from countyhub.platform.stats.consent import Consent, consent
from countyhub.platform.stats.coverage import Coverage, Share, coverage
from countyhub.platform.stats.fleet import Fleet, fleet
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.service import ServiceLevel, service_level
from countyhub.platform.stats.volumes import Count, Volumes, volumes

SCHEMA_FILE = "report-v1.json"
NOT_DECLARED = "not declared"  # no village of the county carries the poverty flag
NOT_CAPTURED = "not captured: the platform records no goods value"
CONSENT_LABELS = {
    "picked_up": ("villager picked up with the code", "村民凭取件码取件"),
    "consented_station": ("left at the station with consent", "经同意存放驿站"),
    "agreed_method": ("delivered the agreed way", "按约定方式投递"),
}


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) the content follows, as shipped."""
    text = (
        resources.files(__package__)
        .joinpath("schema", SCHEMA_FILE)
        .read_text(encoding="utf-8")
    )
    return json.loads(text)  # type: ignore[no-any-return]


def month_close(month: str) -> dt.datetime:
    """The local midnight after ``month``'s last day (the instant it closes)."""
    year, number = int(month[:4]), int(month[5:7])
    after = dt.date(year + number // 12, number % 12 + 1, 1)
    return dt.datetime.combine(after, dt.time(), LOCAL_TZ)


def build_content(
    session: Session, actor: User, month: str, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The report of ``month`` (YYYY-MM), closed at ``now`` (default: the
    clock).  Raises Forbidden (without READ_STATS), InvalidInput (a malformed
    month, or one not closed yet), NoCounty."""
    close = month_close(check_month(month))
    now = now or utcnow()
    if now < close:
        raise InvalidInput(
            f"month {month} has not closed yet: it closes at "
            f"{close:%Y-%m-%d %H:%M} Asia/Shanghai",
            {"month": "not closed yet"},
        )
    county = require_county(session)
    query = stats_query(session, month=month, now=close.astimezone(dt.UTC))
    flows = volumes(session, actor, query)
    return {
        "schema_version": "1",
        "county": {"code": county.code, "name": county.name},
        "period": _period(month, query),
        "as_of": close.isoformat(),
        "inbound_received": _inbound_received(flows),
        "inbound_delivered": _inbound_delivered(flows),
        "outbound_registered": _outbound(flows),
        "outbound_declared_value": _field(
            "outbound parcels' declared goods value",
            "上行包裹申报货值",
            "元",
            value=None,
            note=NOT_CAPTURED,
        ),
        **_coverage(coverage(session, actor, query)),
        "cadence": _cadence(cadence(session, actor, query)),
        **_service(service_level(session, actor, query)),
        "consent": _consent(consent(session, actor, query)),
        "fleet": _fleet(fleet(session, actor, query)),
        "couriers_participating": _couriers(flows),
        "daily": _daily(flows),
    }


def _field(en: str, zh: str, unit: str, **figures: Any) -> dict[str, Any]:
    return {"label_en": en, "label_zh": zh, "unit": unit, **figures}


def _period(month: str, query: StatsQuery) -> dict[str, Any]:
    period = query.period
    return {
        "month": month,
        "first_day": period.start.isoformat(),
        "last_day": period.end.isoformat(),
        "days": period.days,
        "time_zone": "Asia/Shanghai",
    }


def _counts(rows: Iterable[Count]) -> list[dict[str, Any]]:
    return [{"code": c.code, "name": c.name, "parcels": c.parcels} for c in rows]


def _inbound_received(flows: Volumes) -> dict[str, Any]:
    return _field(
        "inbound parcels received at the county centre",
        "县级中心接收的进港包裹",
        "件",
        total=flows.inbound.total,
        by_courier=_counts(flows.inbound.by_courier),
    )


def _inbound_delivered(flows: Volumes) -> dict[str, Any]:
    return _field(
        "inbound parcels handed to the villager (confirmed by the villager)",
        "投递到村民手中的进港包裹（村民确认）",
        "件",
        total=flows.delivered.total,
        by_township=_counts(flows.delivered.by_township),
    )


def _outbound(flows: Volumes) -> dict[str, Any]:
    return _field(
        "outbound parcels registered at village points (farm products)",
        "村级网点登记的上行包裹（农产品上行）",
        "件",
        total=flows.outbound.total,
        by_courier=_counts(flows.outbound.by_courier),
        by_category=[_category(c) for c in flows.outbound.by_category],
    )


def _category(count: Count) -> dict[str, Any]:
    known = count.code is not None and count.code in Category._value2member_map_
    kind = Category(count.code) if known and count.code is not None else None
    return {
        "code": count.code,
        "label_zh": kind.zh if kind else count.name,
        "label_en": kind.en if kind else "not given",
        "parcels": count.parcels,
    }


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _share(share: Share) -> dict[str, Any]:
    return {
        "count": share.count,
        "total": share.total,
        "percent": _percent(share.share),
    }


def _coverage(found: Coverage) -> dict[str, Any]:
    poor = found.poverty_villages
    return {
        "villages_served": _field(
            "administrative villages served at least once",
            "本期至少服务一次的行政村",
            "%",
            **_share(found.villages),
        ),
        "poverty_villages_served": _field(
            "poverty villages served at least once",
            "本期至少服务一次的贫困村",
            "%",
            declared=found.poverty_declared,
            **(
                _share(poor)
                if poor is not None
                else {"count": None, "total": None, "percent": None}
            ),
            note=None if found.poverty_declared else NOT_DECLARED,
        ),
        "townships_with_point": _field(
            "townships with an active service point",
            "设有在用服务站点的乡镇",
            "%",
            **_share(found.townships),
        ),
        "service_points": _field(
            "village service points, active and all",
            "村级寄递物流服务站点（在用/总数）",
            "个",
            active=found.points_active,
            total=found.points_total,
        ),
    }


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _cadence(found: Cadence) -> dict[str, Any]:
    kept = sum(1 for p in found.points if not p.breaches)
    return _field(
        "visits per village point per week",
        "村级网点每周平均投递次数",
        "次/周",
        mean=_rate(found.visits_per_week_mean),
        min=_rate(found.visits_per_week_min),
        points=len(found.points),
        points_kept=kept,
        breaches=len(found.breaches),
        by_point=[
            {
                "code": p.point,
                "name": p.name,
                "township": p.township,
                "township_name": p.township_name,
                "cadence_days": p.cadence_days,
                "visits": p.visits,
                "visits_per_week": _rate(p.visits_per_week),
                "longest_gap_days": p.longest_gap_days,
                "breaches": len(p.breaches),
            }
            for p in found.points
        ],
    )


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


def _service(found: ServiceLevel) -> dict[str, Any]:
    returns = found.returns
    return {
        "delivered_within_48h": _field(
            "inbound parcels handed over within 48 h of reaching the centre",
            "到达县级中心后48小时内投递的进港包裹",
            "%",
            received=found.received,
            due=found.due,
            within_48h=found.within_48h,
            percent=_percent(found.share_within_48h),
            dwell_median_s=_seconds(found.dwell_median_s),
            dwell_p90_s=_seconds(found.dwell_p90_s),
        ),
        "returns": _field(
            "parcels returned (refused or not collected) and brought back",
            "退回（拒收或未取）及带回的包裹",
            "件",
            returned=returns.total,
            from_point=returns.from_point,
            from_centre=returns.from_centre,
            brought_back=found.brought_back,
            lost=None,
            note="refused and not collected are not told apart; "
            "losses are not recorded",
        ),
    }


def _consent(found: Consent) -> dict[str, Any]:
    return _field(
        "hand-overs with the villager's consent on file, and without",
        "有村民同意记录与无同意记录的交付",
        "件",
        handovers=found.handovers,
        with_consent=found.with_consent,
        without_consent=found.without_consent,
        by_kind=[
            {
                "kind": k.consent,
                "label_en": CONSENT_LABELS[k.consent][0],
                "label_zh": CONSENT_LABELS[k.consent][1],
                "handovers": k.handovers,
            }
            for k in found.by_kind
        ],
    )


def _fleet(found: Fleet) -> dict[str, Any]:
    return _field(
        "vehicles used, route runs and km (planned and recorded as driven)",
        "使用车辆、投递趟次与里程（计划与实际记录）",
        "辆, 趟, km",
        vehicles=found.vehicles,
        runs=found.runs,
        km_planned=round(found.km_planned, 3),
        km_recorded=found.km_recorded,
        runs_recorded=found.runs_recorded,
        note=found.km_recorded_reason,
    )


def _couriers(flows: Volumes) -> dict[str, Any]:
    seen: dict[str, str] = {}
    for flow in (flows.inbound, flows.delivered, flows.outbound):
        for count in flow.by_courier:
            if count.code is not None:
                seen.setdefault(count.code, count.name)
    return _field(
        "couriers taking part (shared delivery)",
        "参与共同配送的快递企业",
        "家",
        count=len(seen),
        couriers=[{"code": c, "name": seen[c]} for c in sorted(seen)],
    )


def _daily(flows: Volumes) -> list[dict[str, Any]]:
    days = zip(
        flows.inbound.by_day,
        flows.delivered.by_day,
        flows.outbound.by_day,
        strict=True,
    )
    return [
        {
            "day": got.day.isoformat(),
            "inbound_received": got.parcels,
            "inbound_delivered": gave.parcels,
            "outbound_registered": sent.parcels,
        }
        for got, gave, sent in days
    ]


@dataclass(frozen=True, slots=True)
class Built:
    """The version a build left: a new one, or the newest when nothing changed."""

    report: Report
    new: bool


def build_report(
    session: Session,
    actor: User,
    month: str,
    *,
    deliver: bool,
    now: dt.datetime | None = None,
) -> Built:
    """Build ``month``'s content and store it (queued for the province when
    ``deliver``).  Raises what :func:`build_content` and
    :func:`~countyhub.platform.reports.versions.store_report` raise."""
    content = build_content(session, actor, month, now=now)
    before = session.scalar(
        select(func.max(Report.version)).where(Report.month == month)
    )
    report = store_report(session, actor, month, content, deliver=deliver)
    return Built(report, report.version != before)
