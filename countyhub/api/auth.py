"""Who may call a view: the roles it lets through (who calls is
:mod:`countyhub.edge.auth`'s)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask_smorest import abort

from countyhub.edge.auth import actor

F = TypeVar("F", bound=Callable[..., Any])


def roles(*allowed: str) -> Callable[[F], F]:
    """Let only users of these roles through (403 otherwise)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if actor().role_code not in allowed:
                abort(403, message=f"this needs one of the roles: {', '.join(allowed)}")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
