"""Personal data is masked except for the point operator handing the parcel over."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from countyhub.platform.intake.registration import register_parcel
from countyhub.platform.models import Parcel, User
from countyhub.platform.parcels.registry import view_parcel
from countyhub.platform.privacy import mask_name, mask_phone
from tests.platform.intake.test_registration import zto


def test_masks():
    """Names keep their first character, phones their first 3 and last 4 digits."""
    assert mask_name("张三丰") == "张**"
    assert mask_phone("13812345678") == "138****5678"


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_a_masked_phone_never_shows_the_middle(phone: str):
    """The middle four digits of a mobile number never appear."""
    assert mask_phone(phone)[3:7] == "****"


def test_views_by_role(
    session: Session, admin: User, analyst: User, zto_clerk: User, point_operator: User
):
    """Admin, analyst and clerk see masked data; the parcel's point operator whole."""
    address = (
        point_operator.service_point.village.township.name
        + point_operator.service_point.village.name
    )
    out = register_parcel(session, admin, zto(address=address))
    parcel = session.get(Parcel, out.parcel_id)
    assert parcel.service_point_id == point_operator.service_point_id
    for user in (admin, analyst, zto_clerk):
        view = view_parcel(user, parcel)
        assert view.recipient_phone == "138****5678" and view.recipient_name == "张*"
    whole = view_parcel(point_operator, parcel)
    assert whole.recipient_phone == "13812345678"
