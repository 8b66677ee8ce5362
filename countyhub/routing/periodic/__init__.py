"""The cycle planner: a periodic vehicle routing problem (PVRP).

Over a cycle of ``days`` days, every client (a village service point) must be
visited on the days of exactly one of its allowed *combinations* of visit days
(for the county's two-day default: day 0, day 1, or both), and every day is
routed with the same fleet. :func:`plan_cycle` chooses a combination per client
and routes each day so that the cycle's total distance is least.

:mod:`.problem` holds the cycle to plan (:class:`PeriodicClient`,
:class:`PeriodicProblem`), :mod:`.search` the large-neighbourhood search
(:func:`plan_cycle`, with its private steps: the working state, insertion, day
routing, the starting plans and the final check), :mod:`.result` what it
returns (:class:`DayPlan`, :class:`CycleSolution`).

Units are the caller's: distances and route durations in one unit (travel time
equals distance, as in Cordeau's instances), demand in parcels. Coordinates and
matrices may be fractional; PyVRP works on integers, so they are scaled by
:attr:`PeriodicProblem.precision` for the solver and the result is measured on
the unscaled values.

Pure: numpy and :func:`countyhub.routing.vrp.solve` only; no database.
"""

from countyhub.routing.periodic.problem import PeriodicClient as PeriodicClient
from countyhub.routing.periodic.problem import PeriodicProblem as PeriodicProblem
from countyhub.routing.periodic.result import CycleSolution as CycleSolution
from countyhub.routing.periodic.result import DayPlan as DayPlan
from countyhub.routing.periodic.search import plan_cycle as plan_cycle

__all__ = [
    "CycleSolution",
    "DayPlan",
    "PeriodicClient",
    "PeriodicProblem",
    "plan_cycle",
]
