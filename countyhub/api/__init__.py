"""The REST API under ``/api/v1``: flask-smorest blueprints, OpenAPI 3.1, problem+json.

Thin: each view parses with a marshmallow schema, calls one platform service and
dumps its result.  The interactive docs are served from this machine (the
swagger-ui assets of the ``swagger-ui-bundle`` package), never from a CDN.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from flask import Flask, send_from_directory
from flask_smorest import Api
from marshmallow import validate
from swagger_ui_bundle import swagger_ui_path
from werkzeug.routing import IntegerConverter, Map

from countyhub.api import (
    audit,
    errors,
    health,
    idempotency,
    limits,
    manifests,
    parcels,
    plans,
    public,
    reference,
    reports,
    stats,
    text,
    track,
    users,
)
from countyhub.edge import csrf
from countyhub.edge import limits as edge_limits
from countyhub.platform.schema_rules import ChangesSomething, Pattern

API_CONFIG = {
    "API_TITLE": "countyhub",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/api/v1/docs/assets/",
}
SPEC = {
    "info": {
        "description": "The county's shared logistics platform: parcels of "
        "every courier, their steps, public tracking."
    },
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
    # The messages countyhub sends out (province reports, courier notices) are
    # described here as each is built; none is sent yet.
    "webhooks": {},
}


class CountyApi(Api):  # type: ignore[misc]
    """flask-smorest's Api, documenting errors as problem+json."""

    ERROR_SCHEMA = errors.ProblemSchema

    def _register_responses(self) -> None:
        """The error responses flask-smorest documents (one per status, and the
        operations' ``default``) as served: problem+json, not JSON."""
        json_type, self.DEFAULT_RESPONSE_CONTENT_TYPE = (
            self.DEFAULT_RESPONSE_CONTENT_TYPE,
            errors.PROBLEM_TYPE,
        )
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = json_type

    def _init_spec(self, **kwargs: Any) -> None:
        plugins = [*(kwargs.pop("extra_plugins", None) or ()), _PatchBodies()]
        super()._init_spec(extra_plugins=plugins, **kwargs)
        self.ma_plugin.converter.add_attribute_function(_rules_apispec_misses)


class _PatchBodies(BasePlugin):  # type: ignore[misc]
    """A PATCH body names a field at least (``ChangesSomething``): the document
    says so."""

    def schema_helper(self, name: str, definition: Any, **kwargs: Any) -> Any:
        schema = kwargs.get("schema")
        kind = schema if isinstance(schema, type) else type(schema)
        return {"minProperties": 1} if issubclass(kind, ChangesSomething) else None


def _rules_apispec_misses(
    _converter: Any, field: Any, ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """What apispec leaves out of a field's schema: the patterns of the rules
    that are not Regexps (``schema_rules.Pattern``), and an open end of a Range."""
    patterns = [rule.pattern for rule in field.validators if isinstance(rule, Pattern)]
    if patterns and "pattern" not in ret:
        ret["pattern"] = patterns.pop(0)
    if patterns:
        ret.setdefault("allOf", []).extend({"pattern": p} for p in patterns)
    for rule in field.validators:
        if isinstance(rule, validate.Range):
            for end, inclusive, key in (
                (rule.min, rule.min_inclusive, "minimum"),
                (rule.max, rule.max_inclusive, "maximum"),
            ):
                if end is not None and not inclusive and key in ret:
                    ret["exclusive" + key.title()] = ret.pop(key)
    return {}


class BoundedInt(IntegerConverter):
    """Ids in paths: 1 to 2**31 - 1, the range of the id columns; others are 404."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Mount the API on ``app``."""
    app.url_map.converters["int"] = BoundedInt
    app.url_map.converters["day"] = plans.DayConverter
    app.url_map.converters["code"] = plans.CodeConverter
    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    text.init_app(app)
    api = CountyApi(app, spec_kwargs=SPEC)
    api.register_converter(plans.DayConverter, plans.day_param)
    api.register_converter(plans.CodeConverter, plans.code_param)
    blueprints = (
        health.blp,
        parcels.blp,
        parcels.scans_blp,
        track.blp,
        reference.blp,
        users.blp,
        manifests.blp,
        plans.blp,
        audit.blp,
        stats.blp,
        reports.blp,
        public.blp,
    )
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    for blueprint in blueprints:
        csrf.exempt(app, blueprint)  # JSON with a key or a SameSite=Lax cookie
    public_budgets = {edge_limits.TRACKING: track.blp, "disclosure": public.blp}
    login = (users.blp, "users.LoginSession")
    limits.init_app(app, blueprints[1:], public_budgets, login)
    errors.init_app(app)
    idempotency.init_app(app)  # before edge.transaction's: it must see the commit
    app.add_url_rule(
        "/api/v1/docs/assets/<path:name>",
        "swagger_assets",
        lambda name: send_from_directory(swagger_ui_path, name),
    )
