"""Per-courier statements (对账单) and the fee they are priced at."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.config import Settings
from countyhub.platform.errors import BadSetting
from countyhub.platform.models import User
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.statements import CourierStatement, statements
from tests.platform.stats.conftest import DADUAN, NOW, History


def test_each_courier_delivered_returned_collected(
    session: Session, analyst: User, october: StatsQuery
):
    """ZTO: P1 P6 P7 P9 P11 handed over, P3 P4 returned, O1 collected; YTO: P2, O2."""
    figures = statements(session, analyst, october, fee=Decimal("0.85"))
    lines = {line.courier: line for line in figures.couriers}
    assert lines["ZTO"] == CourierStatement(
        "ZTO", lines["ZTO"].name, 5, 2, 1, 8, Decimal("0.85"), Decimal("6.80")
    )
    assert lines["YTO"] == CourierStatement(
        "YTO", lines["YTO"].name, 1, 0, 1, 2, Decimal("0.85"), Decimal("1.70")
    )
    others = [line for code, line in lines.items() if code not in ("ZTO", "YTO")]
    assert others and all(line.parcels == 0 for line in others)
    assert all(line.amount == Decimal("0.00") for line in others)
    assert (figures.parcels, figures.amount) == (10, Decimal("8.50"))
    assert [line.courier for line in figures.couriers] == sorted(lines)


def test_amounts_are_to_the_fen(session: Session, analyst: User, history: History):
    """A township's statement; the amount is a Decimal with two places."""
    query = stats_query(session, month="2026-10", township=DADUAN, now=NOW)
    figures = statements(session, analyst, query, fee=Decimal("1.05"))
    lines = {line.courier: line for line in figures.couriers}
    # 大塅镇: ZTO P1 P6 P9 delivered, O1 collected; YTO P2 delivered, O2 collected
    assert (lines["ZTO"].parcels, lines["ZTO"].amount) == (4, Decimal("4.20"))
    assert (lines["YTO"].parcels, lines["YTO"].amount) == (2, Decimal("2.10"))
    assert str(figures.amount) == "6.30"


def test_the_fee_setting():
    """COUNTYHUB_FEE_PER_PARCEL is yuan to the fen; unset, 0.00."""
    assert Settings.from_env({}).fee_per_parcel == Decimal("0.00")
    read = Settings.from_env({"COUNTYHUB_FEE_PER_PARCEL": " 0.8 "}).fee_per_parcel
    assert str(read) == "0.80"


@pytest.mark.parametrize("raw", ["cheap", "-1", "0.001", "NaN", "Infinity", "1000.01"])
def test_a_bad_fee_names_the_setting(raw: str):
    """A fee that is no amount, negative, finer than a fen or absurd is refused."""
    with pytest.raises(BadSetting, match="COUNTYHUB_FEE_PER_PARCEL"):
        Settings.from_env({"COUNTYHUB_FEE_PER_PARCEL": raw})
