"""Every role in its lane: a point registers at its own point, a clerk its courier.

A batch or a file with one item outside the actor's lane is refused whole, before
anything is written, with the rule and the rows named.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, InvalidInput
from countyhub.platform.intake.manifests import import_manifest
from countyhub.platform.intake.registration import register_parcel, register_parcels
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import (
    ImportProblem,
    ManifestImport,
    Parcel,
    ParcelEvent,
    ServicePoint,
    User,
)

FARM = "浙江省杭州市西湖区文三路1号"  # where a farm parcel goes
ZTO_NUMBERS = ("73610555582883", "75352218881013", "78673256637951")


def outbound(waybill: str = ZTO_NUMBERS[0], point: str | None = None) -> ParcelInput:
    return ParcelInput(
        waybill=waybill,
        address=FARM,
        courier="ZTO",
        direction="outbound",
        service_point=point,
    )


def written(session: Session) -> tuple[int, ...]:
    """Rows in every table a registration or an import writes."""
    tables = (Parcel, ParcelEvent, ManifestImport, ImportProblem)
    return tuple(
        session.scalar(select(func.count()).select_from(t)) or 0 for t in tables
    )


@pytest.fixture
def other_point(session: Session, point_operator: User) -> ServicePoint:
    """A service point that is not the operator's."""
    return session.scalar(
        select(ServicePoint)
        .where(ServicePoint.id != point_operator.service_point_id)
        .order_by(ServicePoint.code)
    )


def test_a_point_registers_at_its_own_point_named_or_not(
    session: Session, point_operator: User
):
    """Naming its own point, or none, registers the parcel at the operator's point."""
    own = point_operator.service_point.code
    items = [outbound(ZTO_NUMBERS[0], own), outbound(ZTO_NUMBERS[1], None)]
    outcomes = register_parcels(session, point_operator, items)
    assert [o.result for o in outcomes] == ["new", "new"]
    points = {session.get(Parcel, o.parcel_id).service_point_id for o in outcomes}
    assert points == {point_operator.service_point_id}


def test_another_point_is_forbidden_and_nothing_written(
    session: Session, point_operator: User, other_point: ServicePoint
):
    """One parcel at another point: Forbidden naming the rule, nothing written."""
    before = written(session)
    with pytest.raises(Forbidden, match="at its own service point") as raised:
        register_parcel(session, point_operator, outbound(point=other_point.code))
    assert "row" not in str(raised.value)  # one parcel: no rows to name
    assert written(session) == before


def test_a_batch_with_one_row_at_another_point_is_refused_whole(
    session: Session, point_operator: User, other_point: ServicePoint
):
    """The good rows of a batch are not written when one row is outside the lane."""
    before = written(session)
    items = [
        outbound(ZTO_NUMBERS[0]),
        outbound(ZTO_NUMBERS[1], other_point.code),
        outbound(ZTO_NUMBERS[2]),
    ]
    with pytest.raises(Forbidden, match=r"at its own service point .* \(row 2\)"):
        register_parcels(session, point_operator, items)
    assert written(session) == before


def test_a_point_registers_no_inbound_parcel_in_a_batch(
    session: Session, point_operator: User
):
    """An inbound item among outbound ones refuses the batch, naming its row."""
    before = written(session)
    inbound = dataclasses.replace(outbound(ZTO_NUMBERS[1]), direction="inbound")
    with pytest.raises(Forbidden, match=r"inbound ones come from the depots \(row 2\)"):
        register_parcels(session, point_operator, [outbound(), inbound])
    assert written(session) == before


def test_refusal_names_each_rule_with_its_rows(
    session: Session, point_operator: User, other_point: ServicePoint
):
    """Two broken rules are both named, each with the rows that broke it."""
    inbound = dataclasses.replace(outbound(ZTO_NUMBERS[0]), direction="inbound")
    items = [inbound, outbound(ZTO_NUMBERS[1], other_point.code), inbound]
    with pytest.raises(Forbidden) as raised:
        register_parcels(session, point_operator, items)
    message = str(raised.value)
    assert "(rows 1, 3)" in message and "(row 2)" in message
    assert message.endswith("nothing was registered")


def test_an_unknown_point_code_is_invalid_for_a_dispatcher(
    session: Session, dispatcher: User
):
    """A dispatcher may name any point, but an unknown code is invalid input."""
    with pytest.raises(InvalidInput, match="no service point has the code 999"):
        register_parcel(session, dispatcher, outbound(point="999"))


def test_a_dispatcher_registers_at_any_point(
    session: Session, dispatcher: User, other_point: ServicePoint
):
    """The dispatcher has no lane: an outbound parcel at any point is registered."""
    out = register_parcel(session, dispatcher, outbound(point=other_point.code))
    assert session.get(Parcel, out.parcel_id).service_point_id == other_point.id


def test_a_point_operator_without_a_point_registers_nothing(
    session: Session, point_operator: User
):
    """An operator whose account has no service point is refused."""
    point_operator.service_point_id = None
    point_operator.service_point = None
    with pytest.raises(Forbidden, match="this account has none"):
        register_parcel(session, point_operator, outbound())


# -- manifests ------------------------------------------------------------------

HEADER = ["运单号", "快递公司", "收件人", "电话", "地址"]
ROWS = [
    ["73610555582883", "中通", "张三", "13812345678", "铜鼓县大塅镇浒村村委会三组"],
    ["YT1676021696729", "圆通", "李四", "13912345678", "棋坪镇棋坪村"],
    ["75352218881013", "中通", "王五", "13712345678", "江西省宜春市铜鼓县三都镇东浒村"],
]


def manifest(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return text.getvalue().encode("gb18030")


class Unseekable(io.RawIOBase):
    """An upload stream that can only be read forward."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize("atomic", [False, True])
def test_a_clerks_file_naming_another_courier_writes_nothing(
    session: Session, zto_clerk: User, tmp_path: Path, atomic: bool
):
    """A 中通 clerk's file with one 圆通 row is refused whole: no import, no parcel."""
    path = tmp_path / "清单.csv"
    path.write_bytes(manifest(ROWS))
    before = written(session)
    with pytest.raises(Forbidden, match=r"not 圆通速递's \(row 3\)"):
        import_manifest(session, zto_clerk, path, atomic=atomic)
    assert written(session) == before


@pytest.mark.parametrize("stream", [io.BytesIO, Unseekable])
def test_a_clerks_stream_is_checked_then_imported(
    session: Session, zto_clerk: User, stream: type
):
    """An upload stream, seekable or not, is read for the lane, then imported."""
    before = written(session)
    with pytest.raises(Forbidden):
        import_manifest(session, zto_clerk, stream(manifest(ROWS)), commit=False)
    assert written(session) == before
    good = [ROWS[0], ROWS[2]]
    report = import_manifest(session, zto_clerk, stream(manifest(good)), commit=False)
    assert (report.rows, report.counts["new"]) == (2, 2)


def test_a_clerk_names_no_other_courier_for_the_file(
    session: Session, zto_clerk: User, tmp_path: Path
):
    """A 中通 clerk naming 圆通 for the whole file is outside its lane."""
    path = tmp_path / "清单.csv"
    path.write_bytes(manifest([ROWS[1]]))
    before = written(session)
    with pytest.raises(Forbidden, match="works for ZTO, not YTO"):
        import_manifest(session, zto_clerk, path, courier="YTO", commit=False)
    assert written(session) == before


def test_a_point_operator_imports_no_manifest(
    session: Session, point_operator: User, tmp_path: Path
):
    """Manifests are the depots' (and the centre's): a point operator is refused."""
    path = tmp_path / "清单.csv"
    path.write_bytes(manifest([ROWS[0]]))
    before = written(session)
    with pytest.raises(Forbidden, match="imports manifests"):
        import_manifest(session, point_operator, path, commit=False)
    assert written(session) == before


def test_a_dispatchers_file_may_name_every_courier(
    session: Session, dispatcher: User, tmp_path: Path
):
    """The dispatcher has no lane: a file of several couriers is imported."""
    path = tmp_path / "清单.csv"
    path.write_bytes(manifest(ROWS))
    report = import_manifest(session, dispatcher, path, commit=False)
    assert report.counts["new"] == 3


def test_a_point_cannot_amend_a_parcel_outside_its_lane_by_resending(
    session: Session, admin: User, point_operator: User
):
    """Re-sending the waybill of an inbound parcel refuses; the parcel is unchanged."""
    first = register_parcel(
        session, admin, dataclasses.replace(outbound(), direction="inbound")
    )
    before = written(session)
    parcel = session.get(Parcel, first.parcel_id)
    place = (parcel.address, parcel.service_point_id)
    with pytest.raises(Forbidden, match="a point operator cannot change"):
        register_parcel(session, point_operator, outbound())
    session.refresh(parcel)
    assert (parcel.address, parcel.service_point_id) == place
    assert written(session) == before


def test_a_point_resends_its_own_outbound_parcel(
    session: Session, point_operator: User
):
    """The operator's own outbound parcel sent again is recognised as known."""
    first = register_parcel(session, point_operator, outbound())
    again = register_parcel(session, point_operator, outbound())
    assert (again.result, again.parcel_id) == ("known", first.parcel_id)
