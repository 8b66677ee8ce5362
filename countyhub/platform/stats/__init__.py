"""Figures from the parcel events, the visit log and the plans.

A figure is asked for with a :class:`~countyhub.platform.stats.period.StatsQuery`
(a period of local days, optionally a township) and answered as a frozen
dataclass: ``volumes``, ``service`` (service level), ``cadence``, ``coverage``,
``fleet``, ``consent`` and ``statements`` (the couriers' 对账单), each a module of
its own; ``overview`` counts what the platform holds, for the start page.  Every
figure is computed in SQL from the raw rows, never stored beside them.
"""
