"""Where a page may send the browser back to: a path of this site, never another's.

A ``next`` of ``//evil.example/`` or ``https://evil.example/`` (or ``/\\evil``,
which browsers read as ``//``) would make the login or the language switch an
open redirect; only a path of this site is taken.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def same_site_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site (with its query), else None."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(c in target for c in "\r\n\t\\"):
        return None
    return target
