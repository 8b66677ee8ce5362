"""The start page (what the platform holds now) and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template

from countyhub.edge.transaction import db_session
from countyhub.platform.stats.overview import overview

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index() -> str:
    """What is in the registry: the county, its points, couriers and parcels."""
    return render_template("home.html", o=overview(db_session()))
