"""The km a run drove, as the driver read it off the odometer or trip meter.

A run's planned distance is the planner's (``PlanRun.distance_m``); what the
vehicle drove is recorded after the run, one number per run in km, more than 0
and at most :data:`MAX_KM` (a county van's day; more is a misreading).  It comes
alone (:func:`countyhub.platform.plans.results.record_run_km`), with the stops'
results as a list of :class:`RunKm`, or in the ``km`` column of the results file
(:mod:`countyhub.platform.plans.results_file`).  This module holds what they
share: the bounds and how a written km is read; it imports nothing heavy, so the
file reader stays light.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_KM = 1000.0  # km a run may have driven
_UNIT = re.compile(r"\s*(?:km|公里|千米)$")  # written after the number


@dataclass(frozen=True, slots=True)
class RunKm:
    """The km one vehicle's run drove."""

    vehicle: str  # the vehicle's code
    km: float
    row: int | None = None  # row of a file, for messages


def km_problem(km: float) -> str | None:
    """Why ``km`` cannot be a run's km driven; None when it can."""
    if not math.isfinite(km):
        return "is not a number: write the km driven, e.g. 42.5"
    if not 0 < km <= MAX_KM:
        return f"{km:g} is out of bounds: more than 0 and at most {MAX_KM:g} km"
    return None


def read_km(text: str) -> float:
    """The km written in ``text`` ("42.5", "42.5 km", "42.5公里"); ValueError
    saying why when it is none."""
    try:
        km = float(_UNIT.sub("", text.strip().lower()))
    except ValueError:
        km = math.nan
    why = km_problem(km)
    if why is not None:
        raise ValueError(f"{text!r} {why}" if math.isnan(km) else why)
    return km
