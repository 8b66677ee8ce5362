"""Manifest files: upload and import reports."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "manifests",
    __name__,
    url_prefix="/api/v1",
    description="Manifest files: upload and import reports",
)
