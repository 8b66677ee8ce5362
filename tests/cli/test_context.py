"""What every command shares: a subclass of a mapped error exits as its parent."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from countyhub.cli._context import Runtime, unit_of_work
from countyhub.platform import errors


class StalePlan(errors.PlanLocked):
    """A refinement of PlanLocked that the table does not name."""


class NoSuchShelf(errors.NotFound):
    """A refinement of NotFound …"""


class NoSuchTopShelf(NoSuchShelf):
    """… and of that one: two steps from the table."""


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (StalePlan("2024-05-01", "published"), 5),
        (NoSuchShelf("shelf", "A1"), 3),
        (NoSuchTopShelf("shelf", "A9"), 3),
    ],
    ids=["child", "child-of-NotFound", "grandchild"],
)
def test_a_subclass_of_a_mapped_error_exits_with_its_parents_status(
    database_url: str, tmp_path: Path, error: Exception, status: int
):
    """No traceback: the parent's exit status and the error's own message."""

    @click.command()
    @click.pass_context
    def refined(ctx: click.Context) -> None:
        ctx.obj = Runtime()
        ctx.call_on_close(ctx.obj.close)
        with unit_of_work(ctx):
            raise error

    env = {
        "COUNTYHUB_DATABASE_URL": database_url,
        "COUNTYHUB_INSTANCE_PATH": str(tmp_path),
    }
    result = CliRunner().invoke(refined, env=env, catch_exceptions=False)
    assert result.exit_code == status
    assert f"error: {error}" in result.output
