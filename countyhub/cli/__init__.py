"""The ``countyhub`` command: one transaction per command, domain errors mapped once.

Every command reads its settings from the environment (see
:mod:`countyhub.platform.config`), opens the database, runs one platform service as
an acting user (``--as NAME``; default: the built-in admin ``system``) and commits
only if the service succeeded (:func:`countyhub.cli._context.unit_of_work`).

A command that fails says why in one line on stderr (``error: …``), never with a
traceback (``COUNTYHUB_TRACEBACK=1`` shows one), and exits with the status of its
kind of failure (:data:`countyhub.cli._context.EXIT_CODES`, looked up along the
error's classes):

==  =========================================================================
0   done
1   ``parcels import``: some rows were rejected; ``couriers detect`` /
    ``check``: the number fits no rule
2   invalid input: a bad option or argument (too large a number too), a bad
    file (each problem with its row), no county loaded, an unknown courier, a
    depot named with another courier than its own
3   not found: no such parcel, depot, plan, user, service point …
4   forbidden: the acting user may not do this
5   a step the parcel's life or the plan's state does not allow; a wrong
    pickup code
6   ``parcels import``: the file is not a manifest; nothing was imported
7   ``parcels import --atomic`` stopped; nothing was written
8   the database is not at the newest schema (run ``countyhub db upgrade``), or
    ``db check`` found the model and the migrations apart
9   a setting cannot be read: ``COUNTYHUB_DATABASE_URL`` is no URL or names a
    database or driver that is not installed; ``COUNTYHUB_PLAN_SECONDS=fast`` …
10  the database does not answer (server down, wrong host or password, not a
    database file) or failed during the command
70  an unexpected error: a bug in countyhub
==  =========================================================================
"""

from __future__ import annotations

import os

import click
from waitress import serve as waitress_serve

from countyhub.cli import (
    audit,
    county,
    couriers,
    db,
    parcels,
    plan,
    report,
    stats,
    users,
)
from countyhub.cli._context import Runtime, fail, unit_of_work
from countyhub.cli.printing import print_demo
from countyhub.platform import schema


class _Countyhub(click.Group):
    """The command group whose every failure is one line and an exit status."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("COUNTYHUB_TRACEBACK"):
                raise
            ctx.exit(fail(exc))


@click.group(cls=_Countyhub)
@click.pass_context
def main(ctx: click.Context) -> None:
    """countyhub: the county's shared logistics information platform."""
    ctx.obj = Runtime()
    ctx.call_on_close(ctx.obj.close)


for group in (db.db, county.county, couriers.couriers, parcels.parcels, plan.plan):
    main.add_command(group)
main.add_command(audit.audit)
main.add_command(report.report)
main.add_command(users.users)
main.add_command(stats.stats)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
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
        click.echo(
            f"open http://{host}:{port}/login and log in as admin, dispatcher, "
            f"analyst, clerk-zto or a point-<code> user (password: {DEMO_PASSWORD}); "
            f"villagers track parcels at http://{host}:{port}/track"
        )
        _serve(host, port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the platform (waitress)."""
    _serve(host, port)


def _serve(host: str, port: int) -> None:
    # here, not on top: the whole app (Flask, the API, the planner) for one command
    from countyhub.app import create_app

    click.echo(f"serving on http://{host}:{port}  (Ctrl-C stops)")
    waitress_serve(create_app(), host=host, port=port, threads=8)
