"""A depot named the way a person names it: by its code, or by its id."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.county.reference import find_depot
from countyhub.platform.errors import NotFound
from countyhub.platform.models import Courier, Depot, User


def test_a_depot_is_found_by_code_or_id(
    session: Session, admin: User, zto_depot: Depot
):
    """``TG-ZTO`` and its id both give the depot."""
    assert find_depot(session, admin, "TG-ZTO") is zto_depot
    assert find_depot(session, admin, str(zto_depot.id)) is zto_depot


def test_a_code_that_looks_like_an_id_is_a_code_first(
    session: Session, admin: User, zto_depot: Depot
):
    """A depot coded like another's id is the one meant by that text."""
    courier = session.get(Courier, zto_depot.courier_id)
    coded = Depot(courier=courier, code=str(zto_depot.id), name="numbered", address="")
    session.add(coded)
    session.flush()
    assert find_depot(session, admin, str(zto_depot.id)) is coded


@pytest.mark.parametrize("key", ["TG-NONE", "999999", "99999999999", "١٢", "a\0b"])
def test_an_unknown_depot_is_not_found_and_named(
    session: Session, admin: User, key: str
):
    """NotFound naming the key: also for ids out of range, non-ASCII digits, NUL."""
    with pytest.raises(NotFound, match="no depot with code or id"):
        find_depot(session, admin, key)
