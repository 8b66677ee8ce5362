"""``countyhub report``: the province report's versions and their delivery.

``build`` makes a closed month's report (a new version only when its content
changed); ``export`` writes a version as JSON, XLSX or PDF to stdout;
``send-due`` does the due work once and exits, for cron or a systemd timer;
``list`` and ``show`` say what was built and what became of each attempt to send
it.  Times are in Asia/Shanghai.
"""

from __future__ import annotations

from typing import Any

import click
import httpx
from sqlalchemy.orm import Session

from countyhub.cli._context import as_user_option, require_schema, unit_of_work
from countyhub.cli.params import ID, TEXT
from countyhub.platform.accounts.users import system_actor
from countyhub.platform.db import local_time, utcnow
from countyhub.platform.models import Report, ReportAttempt, ReportOutbox
from countyhub.platform.reports.content import build_content, build_report
from countyhub.platform.reports.exports import FORMATS, export_report
from countyhub.platform.reports.outbox import Sent, send_due
from countyhub.platform.reports.states import DeliveryState
from countyhub.platform.reports.versions import get_report, list_reports

REPORT_ID = ID  # 32-bit row ids: a larger one names no report
SHOWN_ANSWER = 120  # characters of an answer on its line


@click.group()
def report() -> None:
    """The province report: its versions and their delivery."""


@report.command("send-due")
@click.pass_context
def report_send_due(ctx: click.Context) -> None:
    """Send each report version that is due to the province, once, and exit.

    Run it every few minutes: from cron (*/5 * * * * countyhub report send-due)
    or a systemd timer (OnCalendar=*:0/5).  It sends nothing before its time
    and never a version the province acknowledged.
    """
    settings = ctx.obj.settings
    require_schema(ctx)
    if settings.province_url is None:
        click.echo("COUNTYHUB_PROVINCE_URL is not set: nothing is sent", err=True)
    with httpx.Client(follow_redirects=False) as http:
        done = send_due(
            ctx.obj.database.sessions,
            utcnow(),
            http,
            settings,
            build_content=_as_system,
        )
    if done.built is not None:
        click.echo(f"built the report of {done.built}")
    for sent in done.sent:
        click.echo(sent_line(sent))
    click.echo(f"{len(done.sent)} attempt(s)")


def _as_system(session: Session, month: str) -> dict[str, Any]:
    """The month's content, built as the command line's own account."""
    return build_content(session, system_actor(session), month)


@report.command("build")
@click.option("--month", type=TEXT, required=True, help="A closed month (YYYY-MM).")
@as_user_option
@click.pass_context
def report_build(ctx: click.Context, month: str, as_user: str | None) -> None:
    """Build a closed month's report: a new version if its content changed, and
    queue it for the province when COUNTYHUB_PROVINCE_URL is set."""
    deliver = ctx.obj.settings.province_url is not None
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        built = build_report(session, actor, month, deliver=deliver)
        version, report_id = built.report.version, built.report.id
    if built.new:
        click.echo(f"version {version} (new), id {report_id}")
    else:
        click.echo(f"unchanged, version {version}, id {report_id}")


@report.command("export")
@click.argument("report_id", metavar="ID", type=REPORT_ID)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="json",
    show_default=True,
    help="json: the canonical JSON (the bytes hashed and sent).",
)
@as_user_option
@click.pass_context
def report_export(
    ctx: click.Context, report_id: int, fmt: str, as_user: str | None
) -> None:
    """Write one version to stdout: countyhub report export 3 --format xlsx > r.xlsx"""
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        export = export_report(get_report(session, actor, report_id), fmt)
    click.echo(export.body, nl=False)  # bytes: written as they are


def sent_line(sent: Sent) -> str:
    """One attempt of this run: the version, its status, and what comes next."""
    status = "-" if sent.status is None else str(sent.status)
    after = sent.outcome.state.value
    if sent.outcome.next_attempt_at is not None:
        after += f", next at {local_time(sent.outcome.next_attempt_at)}"
    reason = _one_line(sent.outcome.reason)
    return (
        f"{sent.label}  {sent.webhook_id}  #{sent.number}  {status}  {after}  {reason}"
    )


@report.command("list")
@click.option("--month", type=TEXT, help="Only this month's versions (YYYY-MM).")
@as_user_option
@click.pass_context
def report_list(ctx: click.Context, month: str | None, as_user: str | None) -> None:
    """Every report version, newest first, with its delivery's state."""
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        for row in list_reports(session, actor, month=month):
            click.echo(report_line(row))


def report_line(row: Report) -> str:
    """A version on one line: id, month, version, built, hash, delivery."""
    who = row.built_by.username if row.built_by else "-"
    built = f"{local_time(row.built_at)}  {who}  {row.content_hash[:12]}"
    return f"{row.id}  {row.month}  v{row.version}  {built}  {_delivery(row.outbox)}"


def _delivery(outbox: ReportOutbox | None) -> str:
    if outbox is None:
        return "not queued"
    text = f"{outbox.state} after {outbox.attempts} attempt(s)"
    if outbox.state == DeliveryState.PENDING and outbox.next_attempt_at is not None:
        text += f", next at {local_time(outbox.next_attempt_at)}"
    if outbox.state == DeliveryState.FAILED_PERMANENTLY:
        text += ": needs a person"
    return text


@report.command("show")
@click.argument("report_id", metavar="ID", type=REPORT_ID)
@as_user_option
@click.pass_context
def report_show(ctx: click.Context, report_id: int, as_user: str | None) -> None:
    """One version, its delivery and every attempt to send it."""
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        row = get_report(session, actor, report_id)
        click.echo(report_line(row))
        click.echo(f"content SHA-256 {row.content_hash}, schema {row.schema_version}")
        if row.outbox is None:
            return
        click.echo(f"webhook-id {row.outbox.webhook_id}")
        if row.outbox.last_error and row.outbox.state != DeliveryState.DELIVERED:
            click.echo(f"last error: {_one_line(row.outbox.last_error)}")
        for number, attempt in enumerate(row.outbox.attempt_log, start=1):
            click.echo(attempt_line(number, attempt))


def attempt_line(number: int, attempt: ReportAttempt) -> str:
    """An attempt: number, start time, status code, seconds, start of answer."""
    status = "-" if attempt.status_code is None else str(attempt.status_code)
    took = "" if attempt.duration_s is None else f"{attempt.duration_s:.2f} s"
    answer = _one_line(attempt.answer)
    return f"#{number}  {local_time(attempt.started_at)}  {status}  {took}  {answer}"


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line[:SHOWN_ANSWER] + ("…" if len(line) > SHOWN_ANSWER else "")
