"""Coverage of villages, poverty villages, townships and points."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from countyhub.platform.models import PointVisit, ServicePoint, User, Village
from countyhub.platform.stats.coverage import Share, coverage
from countyhub.platform.stats.period import StatsQuery, stats_query
from tests.platform.stats.conftest import DADUAN, HUCUN, NOW, XIHU, History

VILLAGES = 90  # kind=village in the default county's villages.csv
POINTS = 108
CHENGBEI = "360926100003"  # 城北社区居委会


def test_villages_served(session: Session, analyst: User, october: StatsQuery):
    """浒村 and 西湖 are in the visit log; 上庄 only had a parcel arrive."""
    figures = coverage(session, analyst, october)
    assert figures.villages == Share(3, VILLAGES, 3 / VILLAGES)
    assert figures.townships == Share(3, 9, 3 / 9)
    assert (figures.points_active, figures.points_total) == (3, POINTS)


def test_poverty_not_declared_is_not_zero(
    session: Session, analyst: User, october: StatsQuery
):
    """No village of the county has the flag: the figure is not declared."""
    figures = coverage(session, analyst, october)
    assert figures.poverty_declared is False
    assert figures.poverty_villages is None


def test_poverty_villages(session: Session, analyst: User, october: StatsQuery):
    """Two poverty villages, 浒村 (served) and 小水 (not); 西湖 declared not poor."""
    flag = {HUCUN: True, "360926100201": True, XIHU: False}
    for code, poor in flag.items():
        session.execute(
            update(Village).where(Village.code == code).values(poverty=poor)
        )
    figures = coverage(session, analyst, october)
    assert figures.poverty_declared is True
    assert figures.poverty_villages == Share(1, 2, 0.5)


def test_declared_without_poverty_villages(
    session: Session, analyst: User, october: StatsQuery
):
    """A county that declared only non-poor villages has none to cover."""
    session.execute(update(Village).where(Village.code == XIHU).values(poverty=False))
    figures = coverage(session, analyst, october)
    assert figures.poverty_villages == Share(0, 0, None)


def test_communities_do_not_count(session: Session, analyst: User, october: StatsQuery):
    """A community (居委会) visited is no administrative village served."""
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == CHENGBEI))
    assert point.village.kind == "community"
    session.add(PointVisit(service_point_id=point.id, visited_on=dt.date(2026, 10, 9)))
    session.flush()
    assert coverage(session, analyst, october).villages == Share(3, VILLAGES, 3 / 90)


def test_a_township(session: Session, analyst: User, history: History):
    """大塅镇: 13 administrative villages, one served; 14 points, one active."""
    query = stats_query(session, month="2026-10", township=DADUAN, now=NOW)
    figures = coverage(session, analyst, query)
    assert figures.villages == Share(1, 13, 1 / 13)
    assert figures.townships == Share(1, 1, 1.0)
    assert (figures.points_active, figures.points_total) == (1, 14)


def test_another_month_served_nothing(
    session: Session, analyst: User, history: History
):
    """In September only 浒村's visit of the 30th counts."""
    query = stats_query(session, month="2026-09", now=NOW)
    assert coverage(session, analyst, query).villages.count == 1
