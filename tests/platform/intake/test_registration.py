"""Registering parcels: checks, address resolution, exactly-once and re-sends."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, IllegalTransition, InvalidInput
from countyhub.platform.intake.registration import register_parcel, register_parcels
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import Parcel, ParcelEvent, ServicePoint, User
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status

ADDRESS = "江西省宜春市铜鼓县大塅镇浒村村委会三组12号"


def zto(waybill: str = "73610555582883", **changes: object) -> ParcelInput:
    base = ParcelInput(
        waybill=waybill,
        address=ADDRESS,
        courier="ZTO",
        recipient_name="张三",
        recipient_phone="13812345678",
        weight_kg=1.2,
    )
    return dataclasses.replace(base, **changes)


def count_parcels(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Parcel))


def test_new_parcel_is_resolved_to_its_service_point(session: Session, admin: User):
    """A parcel with a full address is registered at its village's service point."""
    out = register_parcel(session, admin, zto())
    parcel = session.get(Parcel, out.parcel_id)
    assert out.result == "new"
    assert parcel.status == "registered"
    assert parcel.service_point.code == "360926105204"
    assert parcel.address_state == "resolved"
    events = session.scalars(
        select(ParcelEvent).where(ParcelEvent.parcel_id == parcel.id)
    )
    assert [e.to_status for e in events] == ["registered"]


def test_resend_with_same_details_is_known(session: Session, admin: User):
    """The same courier and waybill sent again is recognised, not duplicated."""
    before = count_parcels(session)
    first = register_parcel(session, admin, zto())
    again = register_parcel(session, admin, zto(waybill=" 7361-0555 582883 "))
    assert (first.result, again.result) == ("new", "known")
    assert again.parcel_id == first.parcel_id
    assert count_parcels(session) == before + 1


def test_resend_with_other_details_updates_a_registered_parcel(
    session: Session, admin: User
):
    """A re-send with new details updates the parcel while it is only registered."""
    first = register_parcel(session, admin, zto())
    again = register_parcel(session, admin, zto(weight_kg=2.5))
    parcel = session.get(Parcel, first.parcel_id)
    session.refresh(parcel)
    assert again.result == "updated"
    assert parcel.weight_kg == 2.5
    kinds = session.scalars(
        select(ParcelEvent.kind).where(ParcelEvent.parcel_id == parcel.id)
    ).all()
    assert kinds == ["registered", "amended"]


def test_resend_after_reception_is_a_conflict(session: Session, admin: User):
    """Once received, a re-send with other details is a conflict and changes nothing."""
    first = register_parcel(session, admin, zto())
    parcel = session.get(Parcel, first.parcel_id)
    record_scan(session, admin, parcel, Status.RECEIVED)
    again = register_parcels(session, admin, [zto(address="大塅镇大塅村")])[0]
    session.refresh(parcel)
    assert again.result == "conflict"
    assert parcel.address == ADDRESS
    assert "already received" in again.problems[0].reason


def test_unresolvable_address_is_kept_and_flagged(session: Session, admin: User):
    """An address naming no village is registered, flagged, never guessed."""
    out = register_parcel(session, admin, zto(address="江西省宜春市铜鼓县大塅镇"))
    parcel = session.get(Parcel, out.parcel_id)
    assert out.result == "new" and out.resolved is False
    assert parcel.service_point_id is None
    assert parcel.address_state == "unresolved"
    assert out.problems[0].severity == "warning"


def test_bad_waybill_is_rejected_with_a_reason(session: Session, admin: User):
    """A number that breaks the courier's rule is refused, naming the courier."""
    with pytest.raises(InvalidInput) as err:
        register_parcel(session, admin, zto(waybill="ABC"))
    assert "waybill" in err.value.problems


def test_batch_reports_each_item(session: Session, admin: User):
    """A batch gives one outcome per item; the good ones are registered."""
    items = [
        zto("73610555582883"),
        zto("bad!"),
        zto("75352218881013"),
        zto("73610555582883"),
    ]
    results = [o.result for o in register_parcels(session, admin, items)]
    assert results == ["new", "rejected", "new", "known"]


def test_the_same_parcel_twice_in_one_batch_with_new_details(
    session: Session, admin: User
):
    """The second copy in the same batch is handled as a re-send of the first."""
    items = [zto(), zto(weight_kg=3.0)]
    results = [o.result for o in register_parcels(session, admin, items)]
    assert results == ["new", "updated"]


def test_courier_named_by_row_must_match_the_depot(session: Session, zto_clerk: User):
    """A clerk of 中通 cannot register a row that names 圆通: the whole batch is
    refused, naming the rule and the row, and nothing is written."""
    before = count_parcels(session)
    batch = [zto(), zto(courier="圆通", waybill="YT1676021696729")]
    with pytest.raises(Forbidden, match=r"only 中通快递's parcels.*\(row 2\)"):
        register_parcels(session, zto_clerk, batch)
    assert count_parcels(session) == before


def test_clerk_registers_for_own_depot(session: Session, zto_clerk: User):
    """A depot clerk's parcels are recorded with the clerk's depot and courier."""
    out = register_parcel(session, zto_clerk, zto(courier=None))
    parcel = session.get(Parcel, out.parcel_id)
    assert parcel.depot_id == zto_clerk.depot_id
    assert parcel.courier.code == "ZTO"


def test_outbound_parcel_registered_at_a_point(session: Session, point_operator: User):
    """A point operator registers farm products going out from its own point."""
    item = zto(
        direction="outbound", address="浙江省杭州市西湖区文三路1号", service_point=None
    )
    out = register_parcel(session, point_operator, item)
    parcel = session.get(Parcel, out.parcel_id)
    assert parcel.direction == "outbound"
    assert parcel.service_point_id == point_operator.service_point_id
    assert parcel.address_state == "outbound"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("address", "  "),
        ("recipient_phone", "call me"),
        ("weight_kg", -1.0),
        ("pieces", 0),
        ("courier", "顺风车"),
    ],
)
def test_bad_fields_are_rejected_naming_the_field(
    session: Session, admin: User, field: str, value: object
):
    """Each bad field is reported with its column name and value."""
    out = register_parcels(session, admin, [zto(**{field: value})])[0]
    assert out.result == "rejected"
    assert field in {p.column for p in out.problems}


@pytest.mark.parametrize(
    ("changes", "column", "says"),
    [
        ({"recipient_name": "张" * 100_000}, "recipient_name", "at most 80"),
        ({"address": "大塅镇浒村" + "号" * 600}, "address", "at most 500"),
        (
            {"recipient_phone": "1" * 25},
            "recipient_phone",
            "3 to 20 characters, not 25",
        ),
        ({"recipient_phone": "12"}, "recipient_phone", "3 to 20 characters, not 2"),
        ({"recipient_phone": "138 1234 5678"}, "recipient_phone", "digits"),
    ],
)
def test_nothing_too_long_is_cut_to_fit(
    session: Session, admin: User, changes: dict[str, str], column: str, says: str
):
    """A value over its limit is refused with the limit, never cut and stored."""
    before = session.scalar(select(func.count(Parcel.id)))
    out = register_parcels(session, admin, [zto(**changes)])[0]
    assert out.result == "rejected"
    assert [p.column for p in out.problems] == [column]
    assert says in out.problems[0].reason
    assert session.scalar(select(func.count(Parcel.id))) == before


# -- product category (农产品上行) ----------------------------------------------------


def farm(waybill: str = "73610555582883", **changes: object) -> ParcelInput:
    """An outbound parcel of farm products, leaving the point operator's point."""
    return zto(
        waybill, direction="outbound", address="浙江省杭州市西湖区文三路1号", **changes
    )


@pytest.mark.parametrize("given", ["tea", "茶叶", " TEA ", "ｔｅａ"])
def test_an_outbound_parcel_keeps_its_category_as_a_code(
    session: Session, point_operator: User, given: str
):
    """A code or the Chinese label, in any case or width, is stored as the code."""
    out = register_parcel(session, point_operator, farm(category=given))
    assert session.get(Parcel, out.parcel_id).category == "tea"


def test_a_category_is_optional(session: Session, point_operator: User):
    """An outbound parcel without a category is registered with none."""
    out = register_parcel(session, point_operator, farm(category=""))
    assert session.get(Parcel, out.parcel_id).category is None


def test_an_inbound_parcel_with_a_category_is_refused(session: Session, admin: User):
    """Only outbound parcels carry a category: InvalidInput naming the field."""
    before = count_parcels(session)
    with pytest.raises(InvalidInput, match="only an outbound parcel") as caught:
        register_parcel(session, admin, zto(category="fruit"))
    assert set(caught.value.problems) == {"category"}
    assert count_parcels(session) == before


def test_an_unknown_category_is_refused_listing_the_codes(
    session: Session, point_operator: User
):
    """A category not on the list is InvalidInput naming the field and the codes."""
    with pytest.raises(InvalidInput, match=r"grain_oil \(粮油\)") as caught:
        register_parcel(session, point_operator, farm(category="香蕉"))
    assert set(caught.value.problems) == {"category"}


def test_a_resend_with_another_category_amends_then_conflicts(
    session: Session, dispatcher: User, point_operator: User
):
    """Like any other detail: another category amends a registered parcel and is a
    conflict, changing nothing, once the parcel has moved on."""
    first = register_parcel(session, point_operator, farm(category="fruit"))
    again = register_parcel(session, point_operator, farm(category="herbs"))
    parcel = session.get(Parcel, first.parcel_id)
    session.refresh(parcel)
    assert (again.result, parcel.category) == ("updated", "herbs")
    amended = session.scalar(
        select(ParcelEvent).where(
            ParcelEvent.parcel_id == parcel.id, ParcelEvent.kind == "amended"
        )
    )
    assert amended.details["fields"] == ["category"]
    record_scan(session, dispatcher, parcel, Status.COLLECTED)
    with pytest.raises(IllegalTransition):
        register_parcel(session, point_operator, farm(category="tea"))
    session.refresh(parcel)
    assert parcel.category == "herbs"


def test_a_batch_rejects_only_the_rows_with_a_bad_category(
    session: Session, dispatcher: User, point: ServicePoint
):
    """Each row's category is checked on its own; the others register."""
    numbers = ["73610555582883", "75352218881013", "78673256637951"]
    items = [
        farm(numbers[0], category="grain_oil", service_point=point.code),
        farm(numbers[1], category="durian", service_point=point.code),
        zto(numbers[2], category="vegetables"),
    ]
    outcomes = register_parcels(session, dispatcher, items)
    assert [o.result for o in outcomes] == ["new", "rejected", "rejected"]
    assert [p.column for o in outcomes[1:] for p in o.problems] == ["category"] * 2
    assert session.get(Parcel, outcomes[0].parcel_id).category == "grain_oil"
