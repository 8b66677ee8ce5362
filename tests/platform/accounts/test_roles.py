"""The roles and the one permission table: every rule of who may do what lives there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from countyhub.platform.accounts.roles import (
    GRANTS,
    Permission,
    Role,
    can,
    require,
    role_of,
    roles_with,
)
from countyhub.platform.errors import Forbidden

PACKAGE = Path(__file__).resolve().parents[3] / "countyhub"
TABLE = PACKAGE / "platform" / "accounts" / "roles.py"
FROZEN = PACKAGE / "platform" / "migrations" / "versions"  # history, never edited
WRITES = frozenset(Permission) - {
    Permission.READ_IMPORTS,
    Permission.SEE_ALL_IMPORTS,
    Permission.SEE_ALL_PARCELS,
    Permission.READ_PLANS,
    Permission.READ_STATS,
}


class _Role:
    def __init__(self, role_code: str) -> None:
        self.role_code = role_code


def _role_literals(path: Path) -> list[str]:
    names = {role.value for role in Role}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in names
    ]


def test_no_role_name_is_written_outside_the_table():
    """A role is named as Role.X everywhere; its text appears in the table only."""
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != TABLE and FROZEN not in path.parents
        for hit in _role_literals(path)
    ]
    assert found == []


def test_every_role_has_a_row_and_the_admin_may_do_everything():
    """The table covers every role; an admin holds every permission."""
    assert set(GRANTS) == set(Role)
    assert GRANTS[Role.ADMIN] == frozenset(Permission)


def test_the_analyst_writes_only_the_province_report():
    """The bureau analyst changes nothing of the county's logistics: its one
    write is building and sending the province report (DESIGN.md's users)."""
    assert GRANTS[Role.ANALYST] & WRITES == {Permission.MAKE_REPORTS}


@pytest.mark.parametrize("permission", list(Permission))
def test_roles_with_agrees_with_can(permission: Permission):
    """``roles_with`` lists exactly the roles for which ``can`` is true."""
    holders = {role for role in Role if can(_Role(role.value), permission)}
    assert set(roles_with(permission)) == holders


def test_an_unknown_role_may_do_nothing():
    """A user whose stored role is unknown (or missing) holds no permission."""
    assert role_of(_Role("courier")) is None
    assert not any(can(_Role("courier"), p) for p in Permission)
    assert not can(object(), Permission.READ_PLANS)


def test_require_refuses_with_the_sentence_given():
    """``require`` raises Forbidden with the caller's sentence, or passes."""
    require(_Role(Role.DISPATCHER), Permission.MAKE_PLANS, "never said")
    with pytest.raises(Forbidden, match="only a dispatcher or an admin"):
        require(
            _Role(Role.ANALYST), Permission.MAKE_PLANS, "only a dispatcher or an admin"
        )
