"""Reference data: couriers, depots, townships, villages, service points, vehicles."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "reference",
    __name__,
    url_prefix="/api/v1",
    description="Couriers, depots, townships, villages, service points, vehicles",
)
