"""``countyhub stats``: the county's main figures of a period, as tables.

``--month YYYY-MM``, or ``--from`` and ``--to`` (local dates, both included);
neither: this month so far.  ``--township CODE`` narrows them to one township.
A month to come, a start after the end or an unknown township is exit 2, one
line naming the option.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import click

from countyhub.cli._context import Runtime, as_user_option, unit_of_work
from countyhub.platform.stats.cadence import Cadence, cadence
from countyhub.platform.stats.consent import Consent, consent
from countyhub.platform.stats.coverage import Coverage, Share, coverage
from countyhub.platform.stats.fleet import Fleet, fleet
from countyhub.platform.stats.period import stats_query
from countyhub.platform.stats.service import ServiceLevel, service_level
from countyhub.platform.stats.statements import Statements, statements
from countyhub.platform.stats.volumes import Volumes, volumes

Cell = str | int
BREACHES_SHOWN = 20  # lines of breaches printed; the rest are counted


@click.command()
@click.option("--month", help="A month, YYYY-MM (default: this month so far).")
@click.option("--from", "start", help="First day, YYYY-MM-DD (with --to).")
@click.option("--to", "end", help="Last day, YYYY-MM-DD (with --from).")
@click.option("--township", help="Only this township (its code, e.g. 360926105).")
@as_user_option
@click.pass_context
def stats(
    ctx: click.Context,
    month: str | None,
    start: str | None,
    end: str | None,
    township: str | None,
    as_user: str | None,
) -> None:
    """The county's figures: volumes, service level, cadence, coverage, fleet,
    consent and the couriers' statements (analysts and admins)."""
    runtime: Runtime = ctx.obj
    fee = runtime.settings.fee_per_parcel
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        query = stats_query(
            session, month=month, start=start, end=end, township=township
        )
        where = f", township {query.township.name}" if query.township else ""
        click.echo(f"{query.period.start} to {query.period.end}{where}\n")
        print_volumes(volumes(session, actor, query))
        print_service(service_level(session, actor, query))
        print_cadence(cadence(session, actor, query))
        print_coverage(coverage(session, actor, query))
        print_fleet(fleet(session, actor, query))
        print_consent(consent(session, actor, query))
        print_statements(statements(session, actor, query, fee=fee))


def print_volumes(v: Volumes) -> None:
    _title("Volumes")
    _lines(
        ("inbound received at the centre", v.inbound.total),
        ("handed to villagers", v.delivered.total),
        ("outbound registered at points", v.outbound.total),
    )
    _table(["week", "from", "to", "inbound"], [
        [w.label, str(w.first), str(w.last), w.parcels] for w in v.inbound.by_week
    ])  # fmt: skip
    flows = (v.inbound, v.delivered, v.outbound)
    for title, pick in (
        ("courier", lambda f: f.by_courier),
        ("township", lambda f: f.by_township),
    ):
        rows: dict[str, list[Cell]] = {}
        for column, flow in enumerate(flows):
            for count in pick(flow):
                row = rows.setdefault(count.name, [count.name, 0, 0, 0])
                row[1 + column] = count.parcels
        _table([title, "inbound", "handed over", "outbound"], list(rows.values()))
    _table(["category", "outbound"], [
        [c.name, c.parcels] for c in v.outbound.by_category
    ])  # fmt: skip


def print_service(s: ServiceLevel) -> None:
    _title("Service level")
    in_time = f"{s.within_48h} of {s.due} ({_pct(s.share_within_48h)})"
    _lines(
        ("handed over within 48 h", in_time),
        ("dwell at the point, median", _hours(s.dwell_median_s)),
        ("dwell at the point, 90th percentile", _hours(s.dwell_p90_s)),
        ("returned (from the point / the centre)",
         f"{s.returns.total} ({s.returns.from_point} / {s.returns.from_centre})"),
        ("brought back by a run", s.brought_back),
        ("addresses unresolved", s.unresolved),
        ("waiting past 48 h now", s.overdue),
    )  # fmt: skip


def print_cadence(c: Cadence) -> None:
    _title("Cadence")
    _lines(
        ("visits per point and week, mean", _number(c.visits_per_week_mean)),
        ("visits per point and week, lowest", _number(c.visits_per_week_min)),
        (f"breaches of the rule (to {c.observed_until})", len(c.breaches)),
    )
    _table(["point", "name", "due", "days without", "next visit"], [
        [b.point, b.name, str(b.due), b.days_without, str(b.next_visit or "-")]
        for b in c.breaches[:BREACHES_SHOWN]
    ])  # fmt: skip
    if len(c.breaches) > BREACHES_SHOWN:
        click.echo(f"… and {len(c.breaches) - BREACHES_SHOWN} more\n")


def print_coverage(c: Coverage) -> None:
    _title("Coverage")
    poor = _share(c.poverty_villages) if c.poverty_villages else "not declared"
    _lines(
        ("administrative villages served", _share(c.villages)),
        ("poverty villages served", poor),
        ("townships with an active point", _share(c.townships)),
        ("service points active", f"{c.points_active} of {c.points_total}"),
    )


def print_fleet(f: Fleet) -> None:
    _title("Fleet")
    _lines(
        ("runs", f.runs),
        ("vehicles used", f.vehicles),
        ("km planned", f"{f.km_planned:.1f}"),
        ("km recorded", _km_recorded(f)),
        ("parcels per planned km", _number(f.parcels_per_km)),
        ("parcels per recorded km", _number(f.parcels_per_km_recorded)),
    )


def _km_recorded(f: Fleet) -> str:
    """The km recorded, and for how many runs when not for all."""
    if f.km_recorded is None:
        return f.km_recorded_reason or "-"
    partial = f" ({f.km_recorded_reason})" if f.km_recorded_reason else ""
    return f"{f.km_recorded:.1f}{partial}"


def print_consent(c: Consent) -> None:
    _title("Consent at hand-over")
    _lines(
        ("hand-overs", c.handovers),
        ("with consent on file", c.with_consent),
        ("without", c.without_consent),
        *((f"  {k.consent}", k.handovers) for k in c.by_kind),
    )


def print_statements(s: Statements) -> None:
    _title(f"Statements (对账单), {s.fee_per_parcel} yuan a parcel")
    _table(["courier", "delivered", "returned", "collected", "parcels", "yuan"], [
        [f"{line.courier} {line.name}", line.delivered, line.returned,
         line.collected, line.parcels, str(line.amount)]
        for line in s.couriers
    ] + [["total", "", "", "", s.parcels, str(s.amount)]])  # fmt: skip


def _title(text: str) -> None:
    click.echo(f"{text}\n{'=' * _width(text)}")


def _lines(*pairs: tuple[str, object]) -> None:
    width = max(_width(label) for label, _ in pairs)
    for label, value in pairs:
        click.echo(f"{_pad(label, width)}  {value}")
    click.echo()


def _table(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """Columns padded to their widest cell (a CJK character is two wide);
    numbers right-aligned."""
    if not rows:
        return
    widths = [
        max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))
    ]
    for row in [header, *rows]:
        cells = [
            _pad(str(cell), width, right=isinstance(cell, int))
            for cell, width in zip(row, widths, strict=True)
        ]
        click.echo("  ".join(cells).rstrip())
    click.echo()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.1%}"


def _share(share: Share) -> str:
    return f"{share.count} of {share.total} ({_pct(share.share)})"


def _hours(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 3600:.1f} h"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
