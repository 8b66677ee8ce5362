"""What ``countyhub`` prints: import progress and reports, the demo summary."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy.orm import Session

from countyhub.platform.config import Settings
from countyhub.platform.demo.make import DemoSummary
from countyhub.platform.intake.manifests import ImportReport, import_manifest
from countyhub.platform.models import Depot, User

SHOWN_PROBLEMS = 50


def import_with_progress(
    session: Session,
    actor: User,
    file: Path,
    *,
    courier: str | None,
    depot: Depot | None,
    atomic: bool,
) -> ImportReport:
    """Import ``file`` with a progress bar on a terminal, then print the report."""
    size = file.stat().st_size
    with click.progressbar(
        length=size,
        label=f"importing {file.name}",
        file=sys.stderr if sys.stderr.isatty() else _Null(),
        show_pos=False,
    ) as bar:
        done = [0]

        def progress(read: int, total: int) -> None:
            bar.update(max(read - done[0], 0))
            done[0] = read

        try:
            report = import_manifest(
                session,
                actor,
                file,
                courier=courier,
                depot=depot,
                atomic=atomic,
                progress=progress,
            )
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
    """The row-level problems (file, row, column, value, reason) and the counts."""
    for p in report.problems[:SHOWN_PROBLEMS]:
        label = "error" if p.severity == "error" else "warning"
        click.echo(
            f"{file.name}: row {p.row}: {p.column} {p.value!r}: {label}: {p.reason}",
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
    made = f"{s.parcels_created} created now" if s.parcels_created else "reused"
    click.echo(
        f"parcels: {s.parcels} ({made}); addresses resolved to a service point: "
        f"{s.resolved}/{s.resolved + s.unresolved} = {s.resolution_rate:.1%}"
    )
    click.echo(
        f"demo users: admin, dispatcher, analyst, clerk-zto …, point-<code> "
        f"(password: {password})"
    )
