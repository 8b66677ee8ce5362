"""``countyhub couriers``: the registry and the waybill-number rules."""

from __future__ import annotations

import sys

import click

from countyhub.cli.params import TEXT
from countyhub.couriers import (
    COURIERS,
    UnknownCourier,
    check_waybill,
    detect_couriers,
    find_courier,
)


@click.group()
def couriers() -> None:
    """The couriers and their waybill-number rules."""


@couriers.command("list")
def couriers_list() -> None:
    """List the couriers of the registry."""
    for c in COURIERS:
        click.echo(f"{c.code:<5} {c.name}")


@couriers.command("detect")
@click.argument("number", type=TEXT)
def couriers_detect(number: str) -> None:
    """List the couriers whose number rule NUMBER fits (a suggestion only)."""
    found = detect_couriers(number)
    if not found:
        click.echo(f"{number}: fits no courier's rule")
        sys.exit(1)
    for c in found:
        click.echo(f"{c.code:<5} {c.name}")


@couriers.command("check")
@click.argument("courier", type=TEXT)
@click.argument("number", type=TEXT)
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
