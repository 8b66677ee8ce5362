"""SQL pieces the figures share, written once for SQLite and PostgreSQL.

* :class:`local_day` — the Asia/Shanghai date of a stored (naive UTC) time.
  China has kept one offset, +08:00, without daylight saving since 1991, so a
  fixed shift is exact for every time the platform accepts (2000–2099).
* :class:`seconds_between` — whole seconds from one stored time to another
  (nearest second; SQLite's julianday is exact to well under a millisecond).
* :func:`percentiles` — percentiles with linear interpolation between the two
  nearest ranks (PostgreSQL's ``percentile_cont``).  PostgreSQL computes them
  with ``percentile_cont`` in one sort; SQLite has no such aggregate, so the
  rows are counted and only the one or two values at the ranks needed are
  fetched (``ORDER BY … LIMIT 2 OFFSET k``): nothing but those rows reaches
  Python on either database.
* :func:`histogram_percentiles` — the same of values counted in buckets (the
  daily rollup's dwell histogram).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Float,
    Select,
    func,
    literal_column,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from countyhub.platform.db import LOCAL_TZ

_OFFSET = LOCAL_TZ.utcoffset(dt.datetime(2000, 1, 1))
assert _OFFSET is not None
OFFSET_HOURS = int(_OFFSET.total_seconds() // 3600)  # 8


class local_day(FunctionElement[dt.date]):  # lower case: an SQL function
    """The local date of a UTC time column."""

    type = Date()
    inherit_cache = True


@compiles(local_day, "sqlite")
def _local_day_sqlite(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+{OFFSET_HOURS} hours')"


@compiles(local_day, "postgresql")
def _local_day_pg(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"CAST(({column} + INTERVAL '{OFFSET_HOURS} hours') AS DATE)"


class seconds_between(FunctionElement[int]):  # lower case: an SQL function
    """Whole seconds from the first time column to the second."""

    type = BigInteger()
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(round((julianday({second}) - julianday({first})) * 86400) AS INTEGER)"


@compiles(seconds_between, "postgresql")
def _seconds_pg(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(round(EXTRACT(EPOCH FROM ({second} - {first}))) AS BIGINT)"


def percentiles(
    session: Session, values: Select[Any], fractions: Sequence[float]
) -> tuple[int, list[float | None]]:
    """How many rows the one-column query ``values`` has, and their ``fractions``
    (0–1) percentiles (linear interpolation, as ``percentile_cont``); None each
    when there are none."""
    rows = values.subquery()
    column: ColumnElement[Any] = rows.c[0]
    if session.get_bind().dialect.name == "postgresql":
        wanted = ", ".join(repr(float(f)) for f in fractions)
        count, found = session.execute(
            select(
                func.count(),
                func.percentile_cont(literal_column(f"ARRAY[{wanted}]"))
                .within_group(column)
                .label("p"),
            ).select_from(rows)
        ).one()
        if found is None:
            return 0, [None] * len(fractions)
        return int(count), [float(v) for v in found]
    count = session.scalar(select(func.count()).select_from(rows)) or 0
    return count, [_by_rank(session, column, count, f) for f in fractions]


def _by_rank(
    session: Session, column: ColumnElement[Any], count: int, fraction: float
) -> float | None:
    if count == 0:
        return None
    rank = fraction * (count - 1)
    low = math.floor(rank)
    found = session.scalars(
        select(column.cast(Float)).order_by(column).limit(2).offset(low)
    ).all()
    upper = found[1] if len(found) > 1 else found[0]
    return float(found[0] + (rank - low) * (upper - found[0]))


def histogram_percentiles(
    counts: dict[int, int], width: float, fractions: Sequence[float]
) -> tuple[int, list[float | None]]:
    """As :func:`percentiles`, of values given as how many fell in each bucket
    (bucket ``k``: the value ``k × width``)."""
    total = sum(counts.values())
    if total == 0:
        return 0, [None] * len(fractions)
    ordered = sorted((k, n) for k, n in counts.items() if n)

    def at(rank: int) -> float:
        seen = 0
        for bucket, n in ordered:
            seen += n
            if rank < seen:
                return bucket * width
        return ordered[-1][0] * width

    out: list[float | None] = []
    for fraction in fractions:
        rank = fraction * (total - 1)
        low = math.floor(rank)
        value, upper = at(low), at(min(low + 1, total - 1))
        out.append(float(value + (rank - low) * (upper - value)))
    return total, out
