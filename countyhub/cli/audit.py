"""``countyhub audit``: the audit trail of administrative changes, one line each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from countyhub.cli._context import as_user_option, unit_of_work
from countyhub.cli.params import DAY
from countyhub.platform.accounts.audit import Action, audit_query
from countyhub.platform.db import LOCAL_TZ, local_time
from countyhub.platform.models import AuditEntry


@click.command()
@click.option(
    "--since",
    type=DAY,
    help="Only changes from this day on (YYYY-MM-DD or today, Asia/Shanghai).",
)
@click.option(
    "--action",
    type=click.Choice([a.value for a in Action]),
    help="Only changes of this action.",
)
@as_user_option
@click.pass_context
def audit(
    ctx: click.Context,
    since: dt.date | None,
    action: str | None,
    as_user: str | None,
) -> None:
    """Who changed users, roles, API keys, depots, vehicles, service points,
    cadences or the county, when, and how (before → after), oldest first.

    Times are in Asia/Shanghai; secrets are never recorded.
    """
    start = None if since is None else dt.datetime.combine(since, dt.time(), LOCAL_TZ)
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        query = audit_query(actor, since=start, action=action)
        for entry in session.scalars(query.order_by(AuditEntry.id)):
            click.echo(entry_line(entry))


def entry_line(entry: AuditEntry) -> str:
    """One entry: time, who, action, target, and each field's before → after."""
    who = entry.actor.username if entry.actor else "-"
    changes = "; ".join(
        f"{name}: {_shown(before)} → {_shown(after)}"
        for name, (before, after) in entry.changes.items()
    )
    head = f"{local_time(entry.at)}  {who}  {entry.action}"
    return f"{head}  {entry.target_kind} {entry.target_id}  {changes}".rstrip()


def _shown(value: Any) -> str:
    return (
        "-" if value is None else repr(value) if isinstance(value, str) else str(value)
    )
