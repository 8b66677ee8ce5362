"""``countyhub users``: list, add and change users; set a password.

The same services and schemas as ``/api/v1/users``: only an admin manages users
(the built-in ``system`` unless ``--as`` names another), a depot clerk is bound to a
depot and a point operator to a service point, and there stays an active admin.
A password is asked for twice on the terminal, or read from the first line of
standard input with ``--password-stdin``; it never appears on the command line.
Setting one ends the user's sessions.
"""

from __future__ import annotations

import sys
from typing import Any

import click
from marshmallow import Schema, ValidationError

from countyhub.cli._context import as_user_option, unit_of_work
from countyhub.cli.params import TEXT
from countyhub.platform.accounts.passwords import change_password
from countyhub.platform.accounts.roles import Role
from countyhub.platform.accounts.schemas import UserIn, UserPatchIn
from countyhub.platform.accounts.users import (
    get_user_by_name,
    register_user,
    update_user,
    users_query,
)
from countyhub.platform.models import User

ROLES = click.Choice([role.value for role in Role])
password_stdin_option = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)


@click.group()
def users() -> None:
    """People and machines: their roles, places and passwords (admins only)."""


@users.command("list")
@click.option("--role", type=ROLES, help="Only users of this role.")
@click.option("--active/--inactive", default=None, help="Only active (inactive) ones.")
@as_user_option
@click.pass_context
def users_list(
    ctx: click.Context, role: str | None, active: bool | None, as_user: str | None
) -> None:
    """List the users, oldest first: name, role, place, state, name shown."""
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        query = users_query(actor, role=role, active=active).order_by(User.id)
        for user in session.scalars(query):
            click.echo(user_line(user))


@users.command("add")
@click.argument("username", type=TEXT)
@click.argument("role", type=ROLES, metavar="ROLE")
@click.option("--depot", type=TEXT, help="Depot code, for a depot_clerk.")
@click.option("--point", type=TEXT, help="Service point code, for a point_operator.")
@click.option("--name", type=TEXT, help="The name shown (e.g. 王芳).")
@password_stdin_option
@click.option(
    "--no-password", is_flag=True, help="No web login: a machine, with API keys."
)
@as_user_option
@click.pass_context
def users_add(
    ctx: click.Context,
    username: str,
    role: str,
    depot: str | None,
    point: str | None,
    name: str | None,
    password_stdin: bool,
    no_password: bool,
    as_user: str | None,
) -> None:
    """Add USERNAME with ROLE; a person's password is asked for twice."""
    if no_password and password_stdin:
        raise click.UsageError("--no-password and --password-stdin exclude each other")
    password = None if no_password else read_password(password_stdin)
    fields = {"username": username, "role": role, "depot": depot}
    fields |= {"service_point": point, "display_name": name, "password": password}
    data = loaded(UserIn(), fields)
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        click.echo(user_line(register_user(session, actor, data)))


@users.command("change")
@click.argument("username", type=TEXT)
@click.option("--role", type=ROLES, help="The new role (its place with it).")
@click.option("--depot", type=TEXT, help="Depot code, for a depot_clerk.")
@click.option("--point", type=TEXT, help="Service point code, for a point_operator.")
@click.option(
    "--active/--inactive",
    default=None,
    help="Inactive: the user's keys and logins stop working at once.",
)
@click.option("--name", type=TEXT, help="The name shown.")
@as_user_option
@click.pass_context
def users_change(
    ctx: click.Context,
    username: str,
    role: str | None,
    depot: str | None,
    point: str | None,
    active: bool | None,
    name: str | None,
    as_user: str | None,
) -> None:
    """Change USERNAME's role and place, state or name shown.

    A place that does not fit a new role is dropped; the new role applies to the
    user's next request.
    """
    fields = {"role": role, "depot": depot, "service_point": point}
    fields |= {"active": active, "display_name": name}
    if all(value is None for value in fields.values()):
        raise click.UsageError(
            "name a change: --role, --depot, --point, --active/--inactive or --name"
        )
    changes = loaded(UserPatchIn(), fields)
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        user = get_user_by_name(session, actor, username)
        click.echo(user_line(update_user(session, actor, user.id, **changes)))


@users.command("password")
@click.argument("username", type=TEXT)
@password_stdin_option
@as_user_option
@click.pass_context
def users_password(
    ctx: click.Context, username: str, password_stdin: bool, as_user: str | None
) -> None:
    """Set USERNAME's password (one's own, or anyone's as an admin); their
    sessions end."""
    password = read_password(password_stdin)
    with unit_of_work(ctx, as_user=as_user) as (session, actor):
        user = (
            actor
            if username == actor.username
            else get_user_by_name(session, actor, username)
        )
        change_password(session, actor, user.id, password)
    click.echo(f"{username}: password set; their sessions have ended")


def read_password(from_stdin: bool) -> str:
    """The first line of standard input, or what the terminal was told twice."""
    try:
        if from_stdin:
            return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
        return str(click.prompt("password", hide_input=True, confirmation_prompt=True))
    except UnicodeDecodeError:
        raise click.UsageError("the password is not UTF-8 text") from None


def loaded(schema: Schema, fields: dict[str, Any]) -> Any:
    """``fields`` given (not None) loaded by ``schema``, as the API loads them;
    a refusal names each option (exit 2)."""
    try:
        return schema.load({k: v for k, v in fields.items() if v is not None})
    except ValidationError as error:
        options = {"service_point": "point", "display_name": "name"}
        said = "; ".join(
            f"{options.get(field, field)}: {' '.join(map(str, messages))}"
            for field, messages in sorted(_messages(error).items())
        )
        raise click.UsageError(said) from None


def _messages(error: ValidationError) -> dict[str, list[Any]]:
    messages = error.messages
    return messages if isinstance(messages, dict) else {"input": list(messages)}


def user_line(user: User) -> str:
    """One user: name, role, place, state and the name shown."""
    place = (
        user.depot.code
        if user.depot
        else user.service_point.code
        if user.service_point
        else "-"
    )
    state = "active" if user.active else "inactive"
    head = f"{user.username:<20} {user.role_code:<15} {place:<14} {state:<8}"
    return f"{head} {user.display_name}".rstrip()
