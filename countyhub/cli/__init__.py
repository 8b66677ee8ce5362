"""The ``countyhub`` command: one transaction per command, domain errors mapped once.

Every command reads its settings from the environment (see
:mod:`countyhub.platform.config`), opens the database, runs one platform service as
an acting user (``--as NAME``; default: the built-in admin ``system``) and commits
only if the service succeeded (:func:`countyhub.cli._context.unit_of_work`).
"""

from __future__ import annotations

import click
from waitress import serve as waitress_serve

from countyhub.cli import county, couriers, db, parcels, plan
from countyhub.cli._context import Runtime, unit_of_work
from countyhub.cli.printing import print_demo
from countyhub.platform import schema


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """countyhub: the county's shared logistics information platform."""
    ctx.obj = Runtime()
    ctx.call_on_close(ctx.obj.close)


for group in (db.db, county.county, couriers.couriers, parcels.parcels, plan.plan):
    main.add_command(group)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Only prepare the database.")
@click.option("--parcels", "count", default=3000, show_default=True)
@click.pass_context
def demo(ctx: click.Context, host: str, port: int, no_serve: bool, count: int) -> None:
    """Create (or reuse) the demo database of 铜鼓县 and serve the platform."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.demo.make import DEMO_PASSWORD, make_demo

    database = ctx.obj.database
    schema.upgrade(database.engine)
    with unit_of_work(ctx) as (session, _):
        summary = make_demo(session, parcels=count)
    print_demo(ctx.obj.settings, summary, DEMO_PASSWORD)
    plan.todays_plan(ctx)
    if not no_serve:
        _serve(host, port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the platform (waitress)."""
    _serve(host, port)


def _serve(host: str, port: int) -> None:
    # here, not on top: the whole app (Flask, the API, the planner) for one command
    from countyhub.app import create_app

    click.echo(f"serving on http://{host}:{port}  (Ctrl-C stops)")
    waitress_serve(create_app(), host=host, port=port, threads=8)
