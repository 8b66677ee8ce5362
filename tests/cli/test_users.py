"""``countyhub users``: list, add and change users, set passwords, on a database of
its own (the county loaded, one depot)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from countyhub.cli import main
from countyhub.platform.accounts.users import authenticate, system_actor
from countyhub.platform.county.reference import create_depot
from countyhub.platform.db import make_engine
from countyhub.platform.models import AuditEntry, User
from tests.test_cli import own_database

POINT = "360926100001"
DEPOT = {"courier": "ZTO", "code": "D-ZTO", "name": "中通网点", "address": ""}
PASSWORD, NEW = "long-enough-1", "another-one-2"
Run = Callable[..., tuple[int, str]]


@pytest.fixture(scope="module")
def env(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    """A new database: the county loaded and the depot D-ZTO added."""
    for env in own_database(database_url, tmp_path_factory.mktemp("users")):
        runner = CliRunner()
        for command in (["db", "upgrade"], ["county", "load"]):
            assert runner.invoke(main, command, env=env).exit_code == 0
        engine = make_engine(env["COUNTYHUB_DATABASE_URL"])
        with Session(engine) as session:
            create_depot(session, system_actor(session), DEPOT)
            session.commit()
        engine.dispose()
        yield env


@pytest.fixture(scope="module")
def engine(env: dict[str, str]) -> Iterator[Engine]:
    engine = make_engine(env["COUNTYHUB_DATABASE_URL"])
    yield engine
    engine.dispose()


@pytest.fixture
def run(env: dict[str, str]) -> Run:
    """countyhub with ``input`` on stdin; (exit status, stdout and stderr)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> tuple[int, str]:
        result = runner.invoke(
            main, list(args), env=env, input=input, catch_exceptions=False
        )
        return result.exit_code, result.output

    return run


def user(engine: Engine, username: str) -> User | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.scalar(select(User).where(User.username == username))


def logs_in(engine: Engine, username: str, password: str) -> bool:
    with Session(engine) as session:
        return authenticate(session, username, password) is not None


def test_add_asks_twice_and_lists(run: Run, engine: Engine):
    """A person's password is asked for twice and never echoed; the user is
    listed with role, place and state."""
    code, out = run(
        "users", "add", "li", "analyst", "--name", "李", input=f"{PASSWORD}\n" * 2
    )
    assert code == 0, out
    assert PASSWORD not in out and "Repeat for confirmation" in out
    assert logs_in(engine, "li", PASSWORD)
    code, out = run("users", "list", "--role", "analyst")
    assert code == 0 and [line.split() for line in out.splitlines()] == [
        ["li", "analyst", "-", "active", "李"]
    ]


def test_add_binds_a_place_and_reads_stdin(run: Run, engine: Engine):
    """A clerk is bound to its depot, its password read from stdin; a machine
    gets no password."""
    args = ("users", "add", "zhao", "depot_clerk", "--depot", "D-ZTO")
    code, out = run(*args, "--password-stdin", input=f"{PASSWORD}\n")
    assert code == 0 and out.split()[:3] == ["zhao", "depot_clerk", "D-ZTO"]
    assert logs_in(engine, "zhao", PASSWORD)
    code, out = run("users", "add", "scanner", "dispatcher", "--no-password")
    assert code == 0, out
    found = user(engine, "scanner")
    assert found is not None and found.password_hash is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("a b", "analyst"), "username: ASCII letters"),
        (("qian", "boss"), "'boss' is not one of"),
        (("qian", "depot_clerk"), "bound to one depot"),
        (("qian", "depot_clerk", "--depot", "NOPE"), "no depot has the code 'NOPE'"),
        (("qian", "analyst", "--point", POINT), "leave it out"),
        (("li", "analyst"), "the user name 'li' is taken"),
    ],
    ids=["bad-name", "unknown-role", "no-depot", "unknown-depot", "no-fit", "taken"],
)
def test_add_refuses_bad_input_in_one_line(
    run: Run, engine: Engine, args: tuple[str, ...], says: str
):
    """Exit 2, one line on stderr saying why; nobody added."""
    run("users", "add", "li", "analyst", "--no-password")
    code, out = run("users", "add", *args, "--no-password")
    assert code == 2 and says in out and len(out.strip().splitlines()) == 1, out
    assert user(engine, "qian") is None and user(engine, "a b") is None


def test_a_short_password_is_refused_saying_why(run: Run, engine: Engine):
    """Exit 2 naming the rule; nobody added."""
    code, out = run(
        "users", "add", "sun", "analyst", "--password-stdin", input="short\n"
    )
    assert code == 2 and "8 to 200 characters" in out
    assert user(engine, "sun") is None


def test_change_role_place_state_and_name(run: Run, engine: Engine):
    """A new role takes its place and drops the old one; --inactive and --name
    change the rest; each change is in the audit trail."""
    run("users", "add", "zhou", "analyst", "--no-password")
    code, out = run(
        "users", "change", "zhou", "--role", "depot_clerk", "--depot", "D-ZTO"
    )
    assert code == 0 and out.split()[:3] == ["zhou", "depot_clerk", "D-ZTO"], out
    code, out = run(
        "users", "change", "zhou", "--role", "point_operator", "--point", POINT
    )
    assert code == 0 and out.split()[:3] == ["zhou", "point_operator", POINT], out
    code, out = run("users", "change", "zhou", "--inactive", "--name", "周")
    assert code == 0 and out.split()[3:] == ["inactive", "周"], out
    code, out = run("users", "change", "zhou", "--active")
    assert code == 0 and "inactive" not in out
    found = user(engine, "zhou")
    assert found is not None
    with Session(engine) as session:
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.target_id == str(found.id))
            .order_by(AuditEntry.id)
        )
        assert list(actions) == [
            "user.create",
            "user.role",
            "user.role",
            "user.update",
            "user.update",
        ]


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        ((), 2, "name a change: --role"),
        (("--role", "depot_clerk"), 2, "bound to one depot"),
        (("--name", "x" * 81), 2, "name: Length must be between 0 and 80"),
        (("--role", "boss"), 2, "'boss' is not one of"),
    ],
    ids=["nothing", "no-depot", "long-name", "unknown-role"],
)
def test_change_refuses_bad_input(
    run: Run, args: tuple[str, ...], status: int, says: str
):
    """A change that names nothing or breaks a rule: exit 2, one line."""
    run("users", "add", "wu", "analyst", "--no-password")
    code, out = run("users", "change", "wu", *args)
    assert code == status and says in out, out
    assert run("users", "list", "--role", "analyst")[1].count("wu ") == 1


def test_the_acting_admin_keeps_their_role(run: Run):
    """The built-in admin cannot give up its admin role (2); an unknown user is 3."""
    code, out = run("users", "change", "system", "--role", "analyst")
    assert code == 2 and "your own admin role" in out
    assert run("users", "change", "nobody", "--name", "x")[0] == 3


def test_only_an_admin_manages_users(run: Run):
    """Acting as an analyst: list, add, change and another's password are 4."""
    run("users", "add", "zheng", "analyst", "--no-password")
    for args in (
        ("list",),
        ("add", "feng", "analyst", "--no-password"),
        ("change", "system", "--name", "x"),
    ):
        assert run("users", *args, "--as", "zheng")[0] == 4, args
    code, _ = run(
        "users",
        "password",
        "system",
        "--password-stdin",
        "--as",
        "zheng",
        input=f"{NEW}\n",
    )
    assert code == 4


def test_password_is_set_and_refused_when_short(run: Run, engine: Engine):
    """An admin sets a password from stdin (the old one stops working); one's own
    too; a short one is 2 and changes nothing."""
    run("users", "add", "chen", "analyst", "--password-stdin", input=f"{PASSWORD}\n")
    code, out = run("users", "password", "chen", "--password-stdin", input=f"{NEW}\n")
    assert code == 0 and NEW not in out, out
    assert logs_in(engine, "chen", NEW) and not logs_in(engine, "chen", PASSWORD)
    code, out = run("users", "password", "chen", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0 and logs_in(engine, "chen", PASSWORD)
    own = ("users", "password", "chen", "--password-stdin", "--as", "chen")
    assert run(*own, input=f"{NEW}\n")[0] == 0 and logs_in(engine, "chen", NEW)
    code, out = run("users", "password", "chen", "--password-stdin", input="short\n")
    assert code == 2 and "8 to 200 characters" in out
    assert logs_in(engine, "chen", NEW)
