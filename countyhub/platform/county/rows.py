"""Row helpers shared by the reference services: a row by id, named fields set.

Used by :mod:`countyhub.platform.county.reference` and
:mod:`countyhub.platform.county.service_points`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from countyhub.platform.db import Base
from countyhub.platform.errors import NotFound

M = TypeVar("M", bound=Base)


def get_row(session: Session, model: type[M], kind: str, key: int) -> M:
    """The row of ``model`` with that id.  Raises NotFound."""
    row = session.get(model, key)
    if row is None:
        raise NotFound(kind, key)
    return row


def assign(row: object, data: Mapping[str, Any], names: tuple[str, ...]) -> None:
    """Set each of the ``names`` given in ``data`` on ``row``; others are ignored."""
    for name in names:
        if name in data:
            setattr(row, name, data[name])
