"""``countyhub county``: the gazetteer, its loading and surveyed coordinates."""

from __future__ import annotations

from pathlib import Path

import click

from countyhub.cli._context import as_user_option, unit_of_work
from countyhub.cli.params import TEXT, FsPath


@click.group()
def county() -> None:
    """The county's gazetteer: townships, villages, service points.

    A new database has none: `countyhub county load` loads the default county.
    """


@county.command("load")
@click.argument(
    "folder",
    required=False,
    type=FsPath(exists=True, file_okay=False, path_type=Path),
)
@click.pass_context
def county_load(ctx: click.Context, folder: Path | None) -> None:
    """Load the default county, 铜鼓县 (shipped with countyhub), or another county
    from FOLDER (county.csv, townships.csv, villages.csv).

    Loading again updates the county from its files; surveyed coordinates stay.
    """
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.county.gazetteer import load_county, sync_couriers

    with unit_of_work(ctx) as (session, actor):
        sync_couriers(session)
        s = load_county(session, actor, folder)
    click.echo(
        f"{s.county}: {s.townships} townships, {s.villages} villages, "
        f"{s.service_points} service points ({s.approximate_points} with "
        "approximate coordinates)"
    )


@county.command("points")
@click.argument("file", type=FsPath(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--crs",
    type=click.Choice(["wgs84", "gcj02"]),
    required=True,
    help="Coordinate system of the file (gcj02: AMap/Tencent maps).",
)
@as_user_option
@click.pass_context
def county_points(
    ctx: click.Context, file: Path, crs: str, as_user: str | None
) -> None:
    """Replace points' coordinates with surveyed ones from FILE (code,lon,lat)."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.county.points import apply_surveyed_points, read_points_file

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        count = apply_surveyed_points(session, actor, read_points_file(file, crs))
    click.echo(
        f"{count} service points now have surveyed coordinates (stored as WGS84)"
    )


@county.command("cadence")
@click.argument("days", type=int)
@click.argument("codes", nargs=-1, required=True, type=TEXT)
@as_user_option
@click.pass_context
def county_cadence(
    ctx: click.Context, days: int, codes: tuple[str, ...], as_user: str | None
) -> None:
    """Visit the points CODES at least every DAYS days (1 daily, 2 the default,
    3 or 4 about twice a week)."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.county.points import set_cadence

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        points = set_cadence(session, actor, list(codes), days)
        for p in points:
            click.echo(f"{p.code}  {p.name}: at least every {days} day(s)")


@county.command("points-list")
@click.pass_context
def county_points_list(ctx: click.Context) -> None:
    """List the service points with their WGS84 coordinates and how they were found."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.county.points import list_points

    with unit_of_work(ctx) as (session, _):
        for p in list_points(session):
            kind = "approximate" if p.coord_approximate else "located"
            where = f"{p.lon:.5f},{p.lat:.5f}" if p.lon is not None else "no point"
            click.echo(
                f"{p.code}  {p.name:<12} {where} (WGS84, {kind}: {p.coord_source})"
            )
