"""Domain errors of the platform.

They carry no HTTP: the API and the CLI map each to a response or an exit status in
one table of their own.  Each message is written for the person who must act on it.
"""

from __future__ import annotations

import datetime as dt

from countyhub.platform.db import local_time


class CountyhubError(Exception):
    """Base of every error the platform raises on purpose."""


class NotFound(CountyhubError):
    """A thing named by the caller does not exist (or is outside the caller's view)."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"no {kind} {key!s}")
        self.kind, self.key = kind, key


class Forbidden(CountyhubError):
    """The acting user may not do this."""


class InvalidInput(CountyhubError):
    """Input that breaks a rule; ``problems`` maps a field to what is wrong with it."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}


class NoCounty(InvalidInput):
    """No county is loaded yet (a fresh database): nothing can be placed or planned.

    An InvalidInput, so that every error table that knows that maps this too.
    """

    def __init__(self) -> None:
        super().__init__(
            "no county is loaded: run `countyhub county load` (the default county) "
            "or `countyhub county load FOLDER`"
        )


class IllegalTransition(CountyhubError):
    """A status step that the parcel's life does not allow."""

    def __init__(
        self, direction: str, current: str, target: str, allowed: list[str]
    ) -> None:
        nxt = ", ".join(allowed) if allowed else "none: the parcel's life has ended"
        super().__init__(
            f"an {direction} parcel that is {current} cannot become "
            f"{target} (next allowed: {nxt})"
        )
        self.current, self.target, self.allowed = current, target, allowed


class WrongPickupCode(CountyhubError):
    """The pickup code given at hand-over does not match the parcel's."""

    def __init__(self, parcel_id: int) -> None:
        super().__init__(
            "the pickup code does not match this parcel's: ask the villager for "
            "the code in the courier's message"
        )
        self.parcel_id = parcel_id


class PickupLocked(CountyhubError):
    """Too many wrong pickup codes for one parcel lately: its hand-over waits
    until ``until`` (an aware UTC time)."""

    def __init__(self, parcel_id: int, until: dt.datetime) -> None:
        super().__init__(
            "too many wrong pickup codes for this parcel: its hand-over is locked "
            f"until {local_time(until)} (Asia/Shanghai); then try the villager's "
            "code again"
        )
        self.parcel_id, self.until = parcel_id, until


class ManifestRefused(CountyhubError):
    """A file that is not a manifest at all; nothing was imported."""


class ImportAborted(CountyhubError):
    """An all-or-nothing import met a bad row or a broken file and wrote nothing."""

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


class IdempotencyConflict(CountyhubError):
    """The first request with this idempotency key is still being processed."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"the first request with Idempotency-Key {key!r} is still being "
            "processed; retry after it has finished"
        )
        self.key = key


class IdempotencyMismatch(CountyhubError):
    """An idempotency key reused for another request (other body, method or path)."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was first used for a different request "
            "(another body, method or path); use a new key for a new request"
        )
        self.key = key


class PlanLocked(CountyhubError):
    """A plan that is published or done cannot be made again or changed."""

    def __init__(self, day: object, status: str) -> None:
        super().__init__(
            f"the plan for {day} is {status}; a {status} plan cannot be changed "
            "(make a plan for another day, or record the runs' results)"
        )
        self.day, self.status = day, status


class PlanBusy(CountyhubError):
    """Two requests made the first plan of a day at once; the other came first."""

    def __init__(self, day: object) -> None:
        super().__init__(
            f"the plan for {day} was made by another request at the same time; "
            "look at it, or make it again to plan the draft anew"
        )
        self.day = day


class DepotCourierMismatch(InvalidInput):
    """A depot named together with a courier that is not the depot's own."""

    def __init__(self, depot: str, depot_courier: str, courier: str) -> None:
        super().__init__(
            f"depot {depot} belongs to courier {depot_courier}, not {courier}: "
            f"name courier {depot_courier}, or another depot",
            {"courier": f"depot {depot} belongs to courier {depot_courier}"},
        )
        self.depot, self.depot_courier, self.courier = depot, depot_courier, courier


class BadSetting(CountyhubError, ValueError):
    """A setting from the environment that cannot be read; the message names it.

    A ValueError too, as settings errors were before there was a class for them.
    """


class BadDatabaseUrl(BadSetting):
    """``COUNTYHUB_DATABASE_URL`` is no URL, or names a database or driver that is
    not there."""


class DatabaseUnavailable(CountyhubError):
    """The database does not answer (server down, wrong host or password, a file
    that is not a database)."""


class SchemaOutdated(CountyhubError):
    """The database is not at the newest schema revision of this code."""

    def __init__(self, current: str | None, newest: str) -> None:
        at = f"at revision {current}" if current else "empty (no schema)"
        super().__init__(
            f"the database is {at}, the code needs {newest}: "
            "run `countyhub db upgrade` first"
        )
        self.current, self.newest = current, newest


class SchemaDrift(CountyhubError):
    """The model and the migrations disagree (``alembic check`` found changes)."""
