"""What ``countyhub`` prints: an import's progress and report, the demo summary, the
day's plan, the cycle of visits and what was published or recorded.

Each printer takes what a platform service returned (a plan as the API gives it,
dumped by :class:`~countyhub.platform.plans.schemas.PlanOut`; a cycle as
:func:`~countyhub.platform.plans.cycle.describe_cycle` gives it) and writes lines;
none reads the database.  Clock times are local (Asia/Shanghai), ``+1`` after
midnight.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from countyhub.platform.config import Settings
from countyhub.platform.models import ImportProblem
from countyhub.platform.plans.record import RecordSummary

if TYPE_CHECKING:  # only types: importing these at run time loads the planner
    from countyhub.platform.demo.make import DemoSummary
    from countyhub.platform.intake.manifests import ImportReport

SHOWN_PROBLEMS = 50


def import_with_progress(file: Path, run: Callable[..., ImportReport]) -> ImportReport:
    """Call ``run(progress=…)``, the import of ``file``, with a progress bar on a
    terminal; then print the report (of an import that stopped, too)."""
    with click.progressbar(
        length=file.stat().st_size,
        label=f"importing {file.name}",
        file=sys.stderr if sys.stderr.isatty() else _Null(),
        show_pos=False,
    ) as bar:
        done = [0]

        def progress(read: int, total: int) -> None:
            bar.update(max(read - done[0], 0))
            done[0] = read

        try:
            report = run(progress=progress)
        except Exception as exc:
            report_of = getattr(exc, "report", None)
            if report_of is not None:
                print_report(file, report_of)
            raise
    print_report(file, report)
    return report


class _Null:
    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def print_report(file: Path, report: ImportReport) -> None:
    """The row-level problems (file, row, column, value, reason) and the counts;
    names and phone numbers in the values masked as the API masks them."""
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.intake.imports import view_problem

    for p in report.problems[:SHOWN_PROBLEMS]:
        shown = view_problem(
            ImportProblem(
                row_number=p.row,
                column=p.column,
                value=p.value,
                reason=p.reason,
                severity=p.severity,
            )
        )
        label = "error" if shown.severity == "error" else "warning"
        click.echo(
            f"{file.name}: row {shown.row}: {shown.column} {shown.value!r}: "
            f"{label}: {shown.reason}",
            err=True,
        )
    hidden = report.problem_count - min(len(report.problems), SHOWN_PROBLEMS)
    if hidden > 0:
        click.echo(
            f"… and {hidden} more problems (kept with import #{report.import_id})",
            err=True,
        )
    c = report.counts
    click.echo(
        f"{file.name}: {report.rows} rows: {c['new']} new, {c['known']} already "
        f"known, {c['updated']} updated, {c['conflict']} conflicting, "
        f"{c['rejected']} rejected; {report.unresolved} addresses to assign by hand"
        + (f"; {report.state}: {report.message}" if report.message else "")
    )


def print_demo(settings: Settings, s: DemoSummary, password: str) -> None:
    """What ``countyhub demo`` made or found."""
    click.echo(f"database: {settings.masked_url()}")
    click.echo(
        f"county: {s.county}: {s.townships} townships, {s.villages} villages, "
        f"{s.service_points} service points ({s.approximate_points} approximate)"
    )
    click.echo(
        f"couriers: {s.couriers}, depots: {s.depots}, users: {s.users}, "
        f"vehicles: {s.vehicles}"
    )
    made = "reused" if s.parcels else "none made"
    if s.parcels_created:  # only what this run made: a rerun made none
        made = f"{s.parcels_created} created now"
    click.echo(
        f"parcels: {s.parcels} ({made}); addresses resolved to a service point: "
        f"{s.resolved}/{s.resolved + s.unresolved} = {s.resolution_rate:.1%}"
    )
    if s.days_run:
        click.echo(
            f"history: {s.days_run} days planned, run and recorded from "
            f"{s.first_day} (figures: countyhub stats)"
        )
    click.echo(
        f"demo users: admin, dispatcher, analyst, clerk-zto …, point-<code> "
        f"(password: {password})"
    )


def print_plan(view: dict[str, Any], *, stops: bool = False) -> None:
    """The summary, each run (with its stops if asked), then what is left."""
    _print_summary(view)
    for run in view["runs"]:
        _print_run(run)
        for stop in run["stops"] if stops else ():
            _print_stop(stop)
    _print_unserved(view["unserved"])


def print_published(day: dt.date, view: dict[str, Any]) -> None:
    """When the plan of ``day`` was published, and what it loaded on which vehicles."""
    loaded = sum(stop["drop"] for run in view["runs"] for stop in run["stops"])
    click.echo(
        f"{day}: published at {_local(view['published_at'])}; {loaded} parcels "
        f"loaded on {view['run_count']} vehicles"
    )


def print_recorded(day: dt.date, s: RecordSummary) -> None:
    """What recording the results of ``day``'s runs did."""
    click.echo(
        f"{day}: {s.stops} stops recorded, {s.visits} visits logged; "
        f"{s.delivered} delivered, {s.returned_to_centre} back at the centre, "
        f"{s.collected} collected, {s.not_collected} not collected; the plan is "
        + ("done" if s.done else "still published: stops remain to record")
    )


def print_cycle(view: dict[str, Any]) -> None:
    """The cycle's days with their number of points, then each point's days."""
    per_day = ", ".join(f"day {d['day']}: {d['points']}" for d in view["days"])
    click.echo(
        f"cycle of {view['length']} days from {view['starts_on']}: {per_day} points; "
        f"{view['distance_km']} km over the cycle as planned"
    )
    for p in view["points"]:
        days = ",".join(map(str, p["days"])) or "-"
        click.echo(f"  {p['point']}  days {days:<8} {p['point_name']}")


def _local(iso: str | None) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M") if iso else "-"


def _print_summary(view: dict[str, Any]) -> None:
    state = "feasible" if view["feasible"] else click.style("NOT feasible", fg="red")
    click.echo(
        f"plan for {view['day']} ({view['status']}): {view['method']}, {state}; "
        f"{view['run_count']} runs, {view['distance_km']} km; "
        f"{view['required_count']} points required; planned in "
        f"{view['runtime']:.1f} s (seed {view['seed']})"
    )
    times = [
        f"{name} {_local(view[f'{name}_at'])}"
        for name in ("made", "published", "done")
        if view[f"{name}_at"]
    ]
    click.echo("  " + ", ".join(times))


def _print_run(run: dict[str, Any]) -> None:
    extra = ", pinned" * run["pinned"]
    extra += "".join(f", {click.style(v, fg='red')}" for v in run["violations"])
    click.echo(
        f"run {run['position']}: {run['vehicle']} {run['vehicle_name']}: "
        f"{len(run['stops'])} stops, {run['distance_km']} km, "
        f"{run['duration_min']} min ({run['departs_at']}–{run['returns_at']}), "
        f"on board {run['load_parcels']} parcels, {run['load_kg']:.1f} kg{extra}"
    )


def _print_stop(stop: dict[str, Any]) -> None:
    visited = {None: "", True: "  visited", False: "  NOT visited"}[stop["visited"]]
    click.echo(  # the name last: Chinese characters are two columns wide
        f"  {stop['position']:>3}. {stop['arrival']:<7} {stop['point']}  drop "
        f"{stop['drop']:>3}  collect {stop['collect']:>3}  load "
        f"{stop['load_parcels']:>3}  {stop['point_name']}{visited}"
    )


def _print_unserved(unserved: list[dict[str, Any]]) -> None:
    if not unserved:
        click.echo("unserved: none")
        return
    click.echo(f"unserved: {len(unserved)} points")
    for item in unserved:
        line = (
            f"  {item['point']}  {item['reason']:<11} {item['parcels']:>3} parcels, "
            f"deadline {item['deadline'] or '-':<10}  {item['point_name']}"
        )
        late = click.style("  LATE", fg="red", bold=True) if item["late"] else ""
        click.echo(click.style(line, fg="red") + late if item["late"] else line)
