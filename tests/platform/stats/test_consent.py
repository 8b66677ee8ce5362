"""Consent: hand-overs with the villager's consent on file, and without."""

from __future__ import annotations

from sqlalchemy.orm import Session

from countyhub.platform.models import User
from countyhub.platform.stats.consent import ConsentKind, consent
from countyhub.platform.stats.period import StatsQuery, stats_query
from tests.platform.stats.conftest import NOW, WENQUAN, History


def test_consent_by_kind(session: Session, analyst: User, october: StatsQuery):
    """Five hand-overs with consent (three picked up), P11's without."""
    figures = consent(session, analyst, october)
    assert (figures.handovers, figures.with_consent, figures.without_consent) == (
        6,
        5,
        1,
    )
    assert figures.by_kind == (
        ConsentKind("picked_up", 3),
        ConsentKind("consented_station", 1),
        ConsentKind("agreed_method", 1),
    )


def test_a_township(session: Session, analyst: User, history: History):
    """温泉镇 had only P11, without consent."""
    query = stats_query(session, month="2026-10", township=WENQUAN, now=NOW)
    figures = consent(session, analyst, query)
    assert (figures.handovers, figures.with_consent, figures.without_consent) == (
        1,
        0,
        1,
    )
