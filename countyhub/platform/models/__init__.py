"""The data model, one module per area, every table registered here.

SQLAlchemy 2 typed mappings.  The schema is created and changed only by the Alembic
migrations in ``countyhub/platform/migrations``; ``countyhub db check`` proves that
these classes and the migrations agree.  Coordinates are WGS84 decimal degrees.

Importing this package registers every table on ``Base.metadata`` (Alembic's
``env.py`` relies on it), and its names are the model's one public face: the
services import their tables from here.
"""

from countyhub.platform.models.accounts import ApiKey, RoleLabel, User, UserSession
from countyhub.platform.models.audit import AuditEntry
from countyhub.platform.models.county import (
    County,
    Courier,
    Depot,
    ServicePoint,
    Township,
    Village,
)
from countyhub.platform.models.idempotency import IdempotencyKey
from countyhub.platform.models.intake import ImportProblem, ManifestImport
from countyhub.platform.models.parcels import Parcel, ParcelEvent, PickupTry
from countyhub.platform.models.plans import (
    Plan,
    PlanPin,
    PlanRun,
    PlanStop,
    PlanStopParcel,
    PointVisit,
    RouteCycle,
    Vehicle,
)
from countyhub.platform.models.reports import Report, ReportAttempt, ReportOutbox
from countyhub.platform.models.stats import StatsDay, StatsGap, StatsRefresh

__all__ = [
    "ApiKey",
    "AuditEntry",
    "County",
    "Courier",
    "Depot",
    "IdempotencyKey",
    "ImportProblem",
    "ManifestImport",
    "Parcel",
    "ParcelEvent",
    "PickupTry",
    "Plan",
    "PlanPin",
    "PlanRun",
    "PlanStop",
    "PlanStopParcel",
    "PointVisit",
    "Report",
    "ReportAttempt",
    "ReportOutbox",
    "RoleLabel",
    "RouteCycle",
    "ServicePoint",
    "StatsDay",
    "StatsGap",
    "StatsRefresh",
    "Township",
    "User",
    "UserSession",
    "Vehicle",
    "Village",
]
