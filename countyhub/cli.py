"""The ``countyhub`` command: one transaction per command, domain errors mapped once.

Every command reads its settings from the environment (see
:mod:`countyhub.platform.config`), opens the database, runs one platform service as
an acting user (``--as NAME``; default: the built-in admin ``system``) and commits
only if the service succeeded.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from countyhub.couriers import (
    COURIERS,
    UnknownCourier,
    check_waybill,
    detect_couriers,
    find_courier,
)
from countyhub.platform import errors, schema
from countyhub.platform.config import Database, Settings
from countyhub.platform.db import local_time
from countyhub.platform.model import Depot, User
from countyhub.platform.users import get_user, system_actor

# Domain error -> exit status; the message is the error's own.
EXIT_CODES: dict[type[Exception], int] = {
    errors.NotFound: 3,
    errors.Forbidden: 4,
    errors.InvalidInput: 2,
    errors.IllegalTransition: 5,
    errors.WrongPickupCode: 5,
    errors.ManifestRefused: 6,
    errors.ImportAborted: 7,
    UnknownCourier: 2,
}


@contextmanager
def unit_of_work(
    ctx: click.Context, *, as_user: str | None = None
) -> Iterator[tuple[Session, User]]:
    """A session and its acting user; commit on success, map errors on failure."""
    database: Database = ctx.obj["database"]
    try:
        with database.transaction() as session:
            actor = get_user(session, as_user) if as_user else system_actor(session)
            yield session, actor
    except tuple(EXIT_CODES) as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        ctx.exit(EXIT_CODES[type(exc)])


def _require_schema(database: Database) -> None:
    if schema.current(database.engine) != schema.head():
        raise click.ClickException(
            "the database is not at the newest schema: run `countyhub db upgrade` first"
        )


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """countyhub: the county's shared logistics information platform."""
    settings = Settings.from_env()
    ctx.obj = {"settings": settings, "database": Database(settings)}
    ctx.call_on_close(ctx.obj["database"].dispose)


# -- db ---------------------------------------------------------------------------


@main.group()
def db() -> None:
    """The database schema (Alembic migrations)."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply every migration and register the couriers."""
    from countyhub.platform.county import sync_couriers

    database: Database = ctx.obj["database"]
    schema.upgrade(database.engine)
    with unit_of_work(ctx) as (session, _):
        sync_couriers(session)
    click.echo(f"{ctx.obj['settings'].masked_url()} is at revision {schema.head()}")


@db.command("check")
@click.pass_context
def db_check(ctx: click.Context) -> None:
    """Fail if the model and the migrations disagree."""
    schema.check(ctx.obj["database"].engine)
    click.echo("the model matches the migrations")


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Print the database's revision and the newest one."""
    click.echo(
        f"database: {schema.current(ctx.obj['database'].engine)}  "
        f"newest: {schema.head()}"
    )


# -- county -----------------------------------------------------------------------


@main.group()
def county() -> None:
    """The county's gazetteer: townships, villages, service points."""


@county.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
def county_load(ctx: click.Context, folder: Path) -> None:
    """Load a county from FOLDER (county.csv, townships.csv, villages.csv)."""
    from countyhub.platform.county import load_county, sync_couriers

    _require_schema(ctx.obj["database"])
    with unit_of_work(ctx) as (session, actor):
        sync_couriers(session)
        s = load_county(session, actor, folder)
    click.echo(
        f"{s.county}: {s.townships} townships, {s.villages} villages, "
        f"{s.service_points} service points ({s.approximate_points} with "
        "approximate coordinates)"
    )


@county.command("points")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--crs",
    type=click.Choice(["wgs84", "gcj02"]),
    required=True,
    help="Coordinate system of the file (gcj02: AMap/Tencent maps).",
)
@click.option("--as", "as_user", help="Act as this user (an admin).")
@click.pass_context
def county_points(
    ctx: click.Context, file: Path, crs: str, as_user: str | None
) -> None:
    """Replace points' coordinates with surveyed ones from FILE (code,lon,lat)."""
    from countyhub.platform.points import apply_surveyed_points, read_points_file

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        count = apply_surveyed_points(session, actor, read_points_file(file, crs))
    click.echo(
        f"{count} service points now have surveyed coordinates (stored as WGS84)"
    )


@county.command("points-list")
@click.pass_context
def county_points_list(ctx: click.Context) -> None:
    """List the service points with their WGS84 coordinates and how they were found."""
    from sqlalchemy import select

    from countyhub.platform.model import ServicePoint

    with unit_of_work(ctx) as (session, _):
        for p in session.scalars(select(ServicePoint).order_by(ServicePoint.code)):
            flag = "approximate" if p.coord_approximate else "surveyed"
            click.echo(
                f"{p.code}  {p.name:<14}  {p.lon:.5f},{p.lat:.5f} (WGS84, {flag})"
                if p.lon is not None
                else f"{p.code}  {p.name}  (no point)"
            )


# -- couriers ---------------------------------------------------------------------


@main.group()
def couriers() -> None:
    """The couriers and their waybill-number rules."""


@couriers.command("list")
def couriers_list() -> None:
    """List the couriers of the registry."""
    for c in COURIERS:
        click.echo(f"{c.code:<5} {c.name}")


@couriers.command("detect")
@click.argument("number")
def couriers_detect(number: str) -> None:
    """List the couriers whose number rule NUMBER fits (a suggestion only)."""
    found = detect_couriers(number)
    if not found:
        click.echo(f"{number}: fits no courier's rule")
        sys.exit(1)
    for c in found:
        click.echo(f"{c.code:<5} {c.name}")


@couriers.command("check")
@click.argument("courier")
@click.argument("number")
def couriers_check(courier: str, number: str) -> None:
    """Check NUMBER against COURIER's waybill rule."""
    try:
        code = find_courier(courier).code
    except UnknownCourier as exc:
        raise click.ClickException(str(exc)) from None
    result = check_waybill(code, number)
    if not result.ok:
        click.echo(f"rejected: {result.reason}")
        sys.exit(1)
    click.echo(
        f"ok: {result.number}"
        + (f" (warning: {result.warning})" if result.warning else "")
    )


# -- parcels ----------------------------------------------------------------------


@main.group()
def parcels() -> None:
    """Register parcels, follow them, record their steps."""


@parcels.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--courier", help="Courier of the whole file (code or name).")
@click.option("--depot", help="Depot (code or id) that hands the parcels over.")
@click.option(
    "--atomic", is_flag=True, help="All or nothing: any bad row stops the file."
)
@click.option("--as", "as_user", help="Act as this user.")
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
    from countyhub.cli_report import import_with_progress

    _require_schema(ctx.obj["database"])
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        report = import_with_progress(
            session,
            actor,
            file,
            courier=courier,
            depot=_depot(session, depot),
            atomic=atomic,
        )
    ctx.exit(1 if report.rejected or report.state == "failed" else 0)


def _depot(session: Session, key: str | None) -> Depot | None:
    from sqlalchemy import or_, select

    if key is None:
        return None
    query = select(Depot).where(or_(Depot.code == key, Depot.id == _int(key)))
    depot = session.scalar(query)
    if depot is None:
        raise errors.NotFound("depot", key)
    return depot


def _int(text: str) -> int:
    return int(text) if text.isdigit() else -1


@parcels.command("show")
@click.argument("waybill")
@click.option("--courier", help="Courier code, when several share the number.")
@click.option("--as", "as_user", help="Act as this user.")
@click.pass_context
def parcels_show(
    ctx: click.Context, waybill: str, courier: str | None, as_user: str | None
) -> None:
    """Print a parcel and its timeline (times in Asia/Shanghai)."""
    from countyhub.platform.parcels import find_parcel, timeline, view_parcel

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        parcel = find_parcel(session, actor, waybill, courier)
        _print_fields(asdict(view_parcel(actor, parcel)))
        click.echo("timeline:")
        for e in timeline(session, actor, parcel):
            step = f"{e.from_status or ''} -> {e.to_status}" if e.to_status else e.kind
            who = e.actor.username if e.actor else ""
            where = e.service_point.name if e.service_point else e.place
            click.echo(f"  {local_time(e.at)}  {step:<26} {where:<14} {who}")


def _print_fields(fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        click.echo(f"{key:>18}: {value}")


@parcels.command("scan")
@click.argument("waybill")
@click.option("--to", "target", required=True, help="The status the parcel steps to.")
@click.option("--courier", help="Courier code, when several share the number.")
@click.option("--pickup-code", help="The villager's pickup code (hand-over).")
@click.option(
    "--consent",
    type=click.Choice(["picked_up", "consented_station", "agreed_method"]),
    help="How the villager consented to the hand-over at the point.",
)
@click.option("--note", default="", help="A remark kept with the event.")
@click.option("--as", "as_user", help="Act as this user.")
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
    from countyhub.platform.parcels import find_parcel
    from countyhub.platform.scans import record_scan
    from countyhub.platform.statuses import Status

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
            if parcel.pickup_code and status == "arrived"
            else ""
        )
    click.echo(
        f"{waybill}: {event.from_status} -> {event.to_status} at "
        f"{local_time(event.at)}{extra}"
    )


@parcels.command("unresolved")
@click.option("--limit", default=50, show_default=True)
@click.pass_context
def parcels_unresolved(ctx: click.Context, limit: int) -> None:
    """List parcels whose address found no service point (to assign by hand)."""
    from countyhub.platform.parcels import unresolved_parcels

    with unit_of_work(ctx) as (session, actor):
        for p in unresolved_parcels(session, actor, limit):
            click.echo(
                f"{p.courier.code:<5} {p.waybill_no:<16} {p.address}  "
                f"({p.address_note})"
            )


@parcels.command("assign")
@click.argument("waybill")
@click.option("--point", required=True, help="Service point code.")
@click.option("--courier", help="Courier code, when several share the number.")
@click.option("--as", "as_user", help="Act as this user.")
@click.pass_context
def parcels_assign(
    ctx: click.Context,
    waybill: str,
    point: str,
    courier: str | None,
    as_user: str | None,
) -> None:
    """Give a parcel whose address did not resolve its service point."""
    from countyhub.platform.parcels import assign_point, find_parcel

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        assign_point(
            session, actor, find_parcel(session, actor, waybill, courier), point
        )
    click.echo(f"{waybill}: assigned to service point {point}")


# -- demo and serve ---------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Only prepare the database.")
@click.option("--parcels", "count", default=3000, show_default=True)
@click.pass_context
def demo(ctx: click.Context, host: str, port: int, no_serve: bool, count: int) -> None:
    """Create (or reuse) the demo database of 铜鼓县 and serve the platform."""
    from countyhub.cli_report import print_demo
    from countyhub.platform.demo import DEMO_PASSWORD, make_demo

    database: Database = ctx.obj["database"]
    schema.upgrade(database.engine)
    with unit_of_work(ctx) as (session, _):
        summary = make_demo(session, parcels=count)
    print_demo(ctx.obj["settings"], summary, DEMO_PASSWORD)
    if not no_serve:
        _serve(host, port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the platform (waitress)."""
    _serve(host, port)


def _serve(host: str, port: int) -> None:
    from waitress import serve as waitress_serve

    from countyhub.app import create_app

    click.echo(f"serving on http://{host}:{port}  (Ctrl-C stops)")
    waitress_serve(create_app(), host=host, port=port, threads=8)
