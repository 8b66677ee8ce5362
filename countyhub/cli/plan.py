"""``countyhub plan``: the day's plan: pin, make, show, publish, record its results
and the km its runs drove.

A day is ``YYYY-MM-DD``, ``today`` or ``tomorrow`` (Asia/Shanghai), from 2000 to
2099.  What is printed is the plan as the API gives it (:class:`PlanOut`): clock
times are local, ``+1`` after midnight.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from countyhub.cli._context import as_user_option, unit_of_work
from countyhub.cli.params import DAY, TEXT, FsPath, Number
from countyhub.cli.printing import (
    print_cycle,
    print_plan,
    print_published,
    print_recorded,
)
from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import InvalidInput
from countyhub.platform.plans.km import MAX_KM
from countyhub.platform.plans.results_file import read_results
from countyhub.platform.plans.sheet import results_sheet

SEED = click.IntRange(0, 2**31 - 1)  # as the API takes it
# What the periodic planner takes (MAX_CYCLE_SECONDS of platform.plans.cycle,
# not imported: it loads the planner); a day is planned in seconds, within it too.
MAX_SECONDS = 600.0
day_argument = click.argument("day", type=DAY)


@click.group()
def plan() -> None:
    """Plan a day's village runs, publish them, record what they did."""


@plan.command("make")
@click.option("--date", "day", type=DAY, required=True, help="The day to plan.")
@click.option(
    "--seconds",
    type=Number(0, MAX_SECONDS, min_open=True),
    help="Time the planner may take (default: COUNTYHUB_PLAN_SECONDS).",
)
@click.option(
    "--seed", type=SEED, default=1, show_default=True, help="The planner's seed."
)
@as_user_option
@click.pass_context
def plan_make(
    ctx: click.Context,
    day: dt.date,
    seconds: float | None,
    seed: int,
    as_user: str | None,
) -> None:
    """Plan a day (again, for a draft: its pins are kept) and print the summary."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.plan import make_plan

    settings = ctx.obj.settings
    limit = settings.plan_seconds if seconds is None else seconds
    click.echo(f"planning… (up to {limit:g} s)", err=True)
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        made = make_plan(
            session, actor, day, seconds=seconds, seed=seed, settings=settings
        )
        view = _view(made)
    print_plan(view)


@plan.command("cycle")
@click.option(
    "--seconds",
    type=Number(0.5, MAX_SECONDS),
    default=60.0,
    show_default=True,
    help="How long the periodic planner searches.",
)
@click.option(
    "--seed", type=SEED, default=1, show_default=True, help="The planner's seed."
)
@click.option("--show", is_flag=True, help="Only print the cycle the plans follow.")
@as_user_option
@click.pass_context
def plan_cycle(
    ctx: click.Context, seconds: float, seed: int, show: bool, as_user: str | None
) -> None:
    """Make the county's cycle of visits anew (or --show it): which days of the
    cycle each point is visited on; the day's plans start from it."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans import cycle as cycles

    if not show:
        click.echo(f"making the cycle… ({seconds:g} s)", err=True)
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        if show:
            made = cycles.current_cycle(session, actor)
        else:
            made = cycles.make_route_cycle(
                session, actor, seconds=seconds, seed=seed, settings=ctx.obj.settings
            )
        view = cycles.describe_cycle(session, made)
    print_cycle(view)


@plan.command("show")
@day_argument
@click.option("--json", "as_json", is_flag=True, help="The plan as the API gives it.")
@as_user_option
@click.pass_context
def plan_show(
    ctx: click.Context, day: dt.date, as_json: bool, as_user: str | None
) -> None:
    """Print the plan of DAY: each run's stops, then what is left for another day."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.plan import get_plan

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        view = _view(get_plan(session, actor, day))
    if as_json:
        click.echo(json.dumps(view, ensure_ascii=False, indent=2))
        return
    print_plan(view, stops=True)


@plan.command("publish")
@day_argument
@as_user_option
@click.pass_context
def plan_publish(ctx: click.Context, day: dt.date, as_user: str | None) -> None:
    """Publish the draft plan of DAY: its parcels are loaded on the vehicles."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.results import publish_plan

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        view = _view(publish_plan(session, actor, day))
    print_published(day, view)


@plan.command("sheet")
@day_argument
@as_user_option
@click.pass_context
def plan_sheet(ctx: click.Context, day: dt.date, as_user: str | None) -> None:
    """Print the results sheet of DAY (CSV) to fill in for ``plan record``."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.plan import get_plan

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        sheet = results_sheet(get_plan(session, actor, day))
    click.echo(sheet, nl=False)


@plan.command("record")
@day_argument
@click.argument("file", type=FsPath(exists=True, dir_okay=False, path_type=Path))
@as_user_option
@click.pass_context
def plan_record(
    ctx: click.Context, day: dt.date, file: Path, as_user: str | None
) -> None:
    """Record the filled-in results sheet FILE (CSV or XLSX) of DAY's runs, with
    the km of its km column."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.results import record_results

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        try:
            s = record_results(session, actor, day, read_results(file))
        except InvalidInput as exc:
            for where, why in exc.problems.items():
                click.echo(f"{file.name}: {where}: {why}", err=True)
            raise
    print_recorded(day, s)
    if s.km_recorded:
        click.echo(f"{day}: km driven recorded for {s.km_recorded} run(s)")


@plan.command("km")
@day_argument
@click.argument("vehicle", type=TEXT)
@click.argument("km", type=Number(0, MAX_KM, min_open=True))
@as_user_option
@click.pass_context
def plan_km(
    ctx: click.Context, day: dt.date, vehicle: str, km: float, as_user: str | None
) -> None:
    """Record the KM the run of VEHICLE drove on DAY (again to correct it)."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.results import record_run_km

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        run = record_run_km(session, actor, day, vehicle, km)
        code, planned = run.vehicle.code, run.distance_m / 1000
    click.echo(f"{day}: {code} drove {km:g} km (planned {planned:.1f} km)")


@plan.command("pin")
@day_argument
@click.option("--point", type=TEXT, help="A service point the day must visit.")
@click.option(
    "--vehicle", type=TEXT, help="A vehicle whose route is fixed (with --route)."
)
@click.option("--route", type=TEXT, help="The vehicle's points in order: CODE,CODE,…")
@as_user_option
@click.pass_context
def plan_pin(
    ctx: click.Context,
    day: dt.date,
    point: str | None,
    vehicle: str | None,
    route: str | None,
    as_user: str | None,
) -> None:
    """Pin a visit (--point) or a vehicle's route (--vehicle --route) on DAY."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.pins import pin_route, pin_visit

    if (point is None) == (vehicle is None) or (vehicle is None) != (route is None):
        raise click.UsageError("give --point CODE, or --vehicle CODE --route CODE,…")
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        if point is not None:
            pin_visit(session, actor, day, point)
        else:
            assert vehicle is not None and route is not None
            codes = [code.strip() for code in route.split(",") if code.strip()]
            pin_route(session, actor, day, vehicle, codes)
    what = f"point {point} must be visited" if point else f"route of {vehicle} pinned"
    click.echo(f"{day}: {what}")


@plan.command("unpin")
@day_argument
@click.option(
    "--point", type=TEXT, help="The point's pin (a visit or a stop of a route)."
)
@click.option("--vehicle", type=TEXT, help="The vehicle's whole pinned route.")
@as_user_option
@click.pass_context
def plan_unpin(
    ctx: click.Context,
    day: dt.date,
    point: str | None,
    vehicle: str | None,
    as_user: str | None,
) -> None:
    """Remove a pin of DAY: a point's (--point) or a vehicle's route (--vehicle)."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.pins import unpin

    if point is None and vehicle is None:
        raise click.UsageError("give --point CODE or --vehicle CODE (or both)")
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        count = unpin(session, actor, day, point_code=point, vehicle_code=vehicle)
    click.echo(f"{day}: {count} pin{'s' * (count != 1)} removed")


@plan.command("pins")
@day_argument
@as_user_option
@click.pass_context
def plan_pins(ctx: click.Context, day: dt.date, as_user: str | None) -> None:
    """List the pins of DAY: required visits, then pinned routes in order."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.pins import list_pins

    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        lines = [
            f"{p.vehicle.code + f' {p.position:>3}.' if p.vehicle else 'visit':<12} "
            f"{p.service_point.code}  {p.service_point.name}"
            for p in list_pins(session, actor, day)
        ]
    click.echo("\n".join(lines) if lines else f"{day}: nothing pinned")


def _view(made: Any) -> dict[str, Any]:
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.schemas import PlanOut

    return PlanOut().dump(made)  # type: ignore[no-any-return]


def todays_plan(ctx: click.Context) -> None:
    """For ``countyhub demo``: today's plan, made as a draft if there is none."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.plans.plan import find_plan, make_plan

    today = dt.datetime.now(LOCAL_TZ).date()
    settings = ctx.obj.settings
    with unit_of_work(ctx) as (session, actor):
        made = find_plan(session, actor, today)
        if made is None:
            click.echo(f"planning today's runs… (up to {settings.plan_seconds:g} s)")
            made = make_plan(session, actor, today, settings=settings)
        view = _view(made)
    print_plan(view)
    click.echo("stops and times: countyhub plan show today")
