"""``countyhub parcels``: register, follow and step parcels."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

import click

from countyhub.cli._context import as_user_option, unit_of_work
from countyhub.cli.params import TEXT, FsPath, Number
from countyhub.cli.printing import import_with_progress
from countyhub.couriers import UnknownCourier, find_courier
from countyhub.platform.county.reference import find_depot
from countyhub.platform.db import local_time
from countyhub.platform.errors import DepotCourierMismatch
from countyhub.platform.intake.rows import (
    MAX_PIECES,
    MAX_WEIGHT_KG,
    ImportState,
    ParcelInput,
)
from countyhub.platform.models import Depot
from countyhub.platform.parcels.categories import CODES as CATEGORY_CODES
from countyhub.platform.parcels.registry import (
    assign_point,
    find_parcel,
    timeline,
    unresolved_parcels,
    view_parcel,
)
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Direction, Status

PLACES = {
    "depot": "快递网点 depot",
    "centre": "分拣中心 centre",
    "vehicle": "车上 vehicle",
    "point": "服务点 point",
}
MAX_LIMIT = 10_000


@click.group()
def parcels() -> None:
    """Register parcels, follow them, record their steps."""


@parcels.command("import")
@click.argument("file", type=FsPath(exists=True, dir_okay=False, path_type=Path))
@click.option("--courier", type=TEXT, help="Courier of the whole file (code or name).")
@click.option(
    "--depot", type=TEXT, help="Depot (code or id) that hands the parcels over."
)
@click.option(
    "--atomic", is_flag=True, help="All or nothing: any bad row stops the file."
)
@as_user_option
@click.pass_context
def parcels_import(
    ctx: click.Context,
    file: Path,
    courier: str | None,
    depot: str | None,
    atomic: bool,
    as_user: str | None,
) -> None:
    """Import a manifest FILE (CSV or XLSX; UTF-8 or GB18030)."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.intake.manifests import import_manifest

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        found = find_depot(session, actor, depot) if depot is not None else None
        if found is not None and courier:
            _check_depot_courier(found, courier)
        run = partial(
            import_manifest,
            session,
            actor,
            file,
            courier=courier,
            depot=found,
            atomic=atomic,
        )
        report = import_with_progress(file, run)
    ctx.exit(1 if report.rejected or report.state == ImportState.FAILED else 0)


def _check_depot_courier(depot: Depot, courier: str) -> None:
    """Raises DepotCourierMismatch when --courier names another than the depot's.
    An unknown courier is left to the import, which refuses the file for it."""
    try:
        named = find_courier(courier).code
    except UnknownCourier:
        return
    if named != depot.courier.code:
        raise DepotCourierMismatch(depot.code, depot.courier.code, named)


@parcels.command("show")
@click.argument("waybill", type=TEXT)
@click.option(
    "--courier", type=TEXT, help="Courier code, when several share the number."
)
@as_user_option
@click.pass_context
def parcels_show(
    ctx: click.Context, waybill: str, courier: str | None, as_user: str | None
) -> None:
    """Print a parcel and its timeline (times in Asia/Shanghai)."""
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        parcel = find_parcel(session, actor, waybill, courier)
        _print_fields(asdict(view_parcel(actor, parcel)))
        click.echo("timeline:")
        for e in timeline(session, actor, parcel):
            step = f"{e.from_status or ''} -> {e.to_status}" if e.to_status else e.kind
            who = e.actor.username if e.actor else ""
            where = (
                e.service_point.name
                if e.place == "point" and e.service_point
                else PLACES.get(e.place, e.place)
            )
            click.echo(f"  {local_time(e.at)}  {step:<26} {where:<14} {who}")


def _print_fields(fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        shown = local_time(value) if isinstance(value, dt.datetime) else value
        click.echo(f"{key:>18}: {shown}")


@parcels.command("scan")
@click.argument("waybill", type=TEXT)
@click.option(
    "--to", "target", type=TEXT, required=True, help="The status the parcel steps to."
)
@click.option(
    "--courier", type=TEXT, help="Courier code, when several share the number."
)
@click.option(
    "--pickup-code", type=TEXT, help="The villager's pickup code (hand-over)."
)
@click.option(
    "--consent",
    type=click.Choice(["picked_up", "consented_station", "agreed_method"]),
    help="How the villager consented to the hand-over at the point.",
)
@click.option("--note", type=TEXT, default="", help="A remark kept with the event.")
@as_user_option
@click.pass_context
def parcels_scan(
    ctx: click.Context,
    waybill: str,
    target: str,
    courier: str | None,
    pickup_code: str | None,
    consent: str | None,
    note: str,
    as_user: str | None,
) -> None:
    """Record one step of a parcel's life (e.g. --to received)."""
    try:
        status = Status(target)
    except ValueError:
        raise click.BadParameter(
            f"{target!r}; statuses: {', '.join(s.value for s in Status)}"
        ) from None
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        parcel = find_parcel(session, actor, waybill, courier)
        event = record_scan(
            session,
            actor,
            parcel,
            status,
            pickup_code=pickup_code,
            consent=consent,
            note=note,
        )
        extra = (
            " (pickup code issued)"
            if parcel.pickup_code and status is Status.ARRIVED
            else ""
        )
    click.echo(
        f"{waybill}: {event.from_status} -> {event.to_status} at "
        f"{local_time(event.at)}{extra}"
    )


@parcels.command("unresolved")
@click.option(
    "--limit", type=click.IntRange(1, MAX_LIMIT), default=50, show_default=True
)
@click.pass_context
def parcels_unresolved(ctx: click.Context, limit: int) -> None:
    """List parcels whose address found no service point (to assign by hand)."""
    with unit_of_work(ctx) as (session, actor):
        for p in unresolved_parcels(session, actor, limit):
            click.echo(
                f"{p.courier.code:<5} {p.waybill_no:<16} {p.address}  "
                f"({p.address_note})"
            )


@parcels.command("assign")
@click.argument("waybill", type=TEXT)
@click.option("--point", type=TEXT, required=True, help="Service point code.")
@click.option(
    "--courier", type=TEXT, help="Courier code, when several share the number."
)
@as_user_option
@click.pass_context
def parcels_assign(
    ctx: click.Context,
    waybill: str,
    point: str,
    courier: str | None,
    as_user: str | None,
) -> None:
    """Give a parcel whose address did not resolve its service point."""
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        assign_point(
            session, actor, find_parcel(session, actor, waybill, courier), point
        )
    click.echo(f"{waybill}: assigned to service point {point}")


@parcels.command("add")
@click.option(
    "--waybill", type=TEXT, required=True, help="The courier's waybill number."
)
@click.option(
    "--address", type=TEXT, required=True, help="Recipient's address (free text)."
)
@click.option(
    "--courier", type=TEXT, help="Courier code or name (a clerk's own by default)."
)
@click.option(
    "--name", "recipient_name", type=TEXT, default="", help="Recipient's name."
)
@click.option(
    "--phone", "recipient_phone", type=TEXT, default="", help="Recipient's phone."
)
@click.option(
    "--weight",
    "weight_kg",
    type=Number(0, MAX_WEIGHT_KG, min_open=True),
    help="Weight in kg.",
)
@click.option(
    "--pieces", type=click.IntRange(1, MAX_PIECES), default=1, show_default=True
)
@click.option("--outbound", is_flag=True, help="Farm products leaving a point (上行).")
@click.option("--point", type=TEXT, help="Service point code of an outbound parcel.")
@click.option(
    "--category",
    type=click.Choice(CATEGORY_CODES),
    help="Product category of an outbound parcel (农产品上行).",
)
@as_user_option
@click.pass_context
def parcels_add(
    ctx: click.Context,
    as_user: str | None,
    outbound: bool,
    point: str | None,
    **fields: Any,
) -> None:
    """Register one parcel (a re-send of a known one is recognised)."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.intake.registration import register_parcel

    direction = Direction.OUTBOUND if outbound else Direction.INBOUND
    item = ParcelInput(**fields, service_point=point, direction=direction)
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        outcome = register_parcel(session, actor, item)
    for problem in outcome.problems:
        click.echo(f"{problem.severity}: {problem.column}: {problem.reason}", err=True)
    click.echo(f"{outcome.waybill}: {outcome.result}")
