"""The vocabularies of a day's plan: its states and what became of a stop's parcels.

Stored as their values (``plan.status``, ``plan_stop_parcel.outcome``).
"""

from __future__ import annotations

from enum import StrEnum


class PlanState(StrEnum):
    """A plan is made as a draft, published when its parcels are loaded, and done
    when every stop is recorded."""

    DRAFT = "draft"
    PUBLISHED = "published"
    DONE = "done"


class StopOutcome(StrEnum):
    """What became of a parcel to drop or to collect at a stop."""

    DELIVERED = "delivered"
    NOT_DELIVERED = "not_delivered"
    COLLECTED = "collected"
    NOT_COLLECTED = "not_collected"
