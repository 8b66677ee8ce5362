"""The demo's parcels: synthetic names, phones and waybills, registered for real.

Inbound parcels are handed over by the depots and outbound ones (farm products,
with a product category) are registered at the points, through the same
registrar as real ones, at the time the demo's history says
(:mod:`countyhub.platform.demo.history` moves them along their life).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.couriers import s10_check_digit
from countyhub.platform.county.resolver import Place
from countyhub.platform.demo.addresses import sample_address
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import Outcome, ParcelInput, Result
from countyhub.platform.models import Depot, ServicePoint, Township, User, Village
from countyhub.platform.parcels.categories import Category

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅春生福林"
DESTINATIONS = [
    "浙江省杭州市西湖区文三路88号",
    "广东省广州市天河区体育西路12号",
    "上海市浦东新区张江路200号",
    "江西省南昌市红谷滩区丰和中大道9号",
    "湖南省长沙市岳麓区麓山南路3号",
    "北京市朝阳区建国路77号",
]
OUTBOUND_COURIERS = ("YTO", "ZTO", "JTSD", "EMS", "SF")
# What the hill villages send out, roughly by share (our guess, for the demo).
CATEGORY_WEIGHTS = {
    Category.FRUIT: 20,
    Category.VEGETABLES: 12,
    Category.TEA: 10,
    Category.GRAIN_OIL: 12,
    Category.MEAT_EGGS: 6,
    Category.AQUATIC: 2,
    Category.FUNGI: 10,
    Category.BEE_PRODUCTS: 8,
    Category.HERBS: 5,
    Category.PROCESSED: 8,
    Category.CRAFTS: 3,
    Category.OTHER: 4,
}


def waybill_for(code: str, rng: random.Random) -> str:
    """A synthetic waybill number that fits ``code``'s strict rule."""

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    if code == "EMS":
        serial = digits(8)
        letter = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return f"E{letter}{serial}{s10_check_digit(serial)}CN"
    return {
        "ZTO": lambda: "7" + rng.choice("34568") + digits(12),
        "YTO": lambda: "YT" + digits(13),
        "STO": lambda: "773" + digits(12),
        "YD": lambda: "31" + digits(13),
        "HTKY": lambda: "BXA" + digits(10),
        "JTSD": lambda: "JT" + digits(13),
        "SF": lambda: "SF" + digits(13),
        "JD": lambda: "JDX" + digits(12),
        "DBL": lambda: "DPK" + digits(12),
    }[code]()


def point_places(session: Session) -> list[Place]:
    """The villages that have a service point, as the address sampler takes them."""
    rows = session.execute(
        select(Village.code, Village.name, Township.code, Township.name)
        .join(Township)
        .join(ServicePoint)
        .order_by(Village.code)
    ).all()
    return [Place(*row) for row in rows]


def hand_over(
    session: Session,
    actor: User,
    rng: random.Random,
    depot: Depot,
    count: int,
    places: Sequence[Place],
    at: dt.datetime,
) -> list[Outcome]:
    """``count`` new inbound parcels handed over by ``depot`` at ``at``."""
    code = depot.courier.code
    items = [(i, _inbound(rng, code, places)) for i in range(count)]
    registrar = Registrar(session, actor, depot=depot, clock=lambda: at)
    return [o for o in registrar.register(items) if o.result == Result.NEW]


def send_out(
    session: Session,
    actor: User,
    rng: random.Random,
    points: Sequence[str],
    at: dt.datetime,
) -> list[Outcome]:
    """Farm products (农产品上行) registered at ``points`` at ``at``, one each."""
    categories, weights = zip(*CATEGORY_WEIGHTS.items(), strict=True)
    items = []
    for i, point in enumerate(points):
        code = rng.choice(OUTBOUND_COURIERS)
        parcel = ParcelInput(
            waybill=waybill_for(code, rng),
            courier=code,
            direction="outbound",
            service_point=point,
            address=rng.choice(DESTINATIONS),
            recipient_name=_name(rng),
            recipient_phone=_phone(rng),
            weight_kg=round(rng.uniform(1, 15), 1),
            category=rng.choices(categories, weights)[0].value,
        )
        items.append((i, parcel))
    outcomes = Registrar(session, actor, clock=lambda: at).register(items)
    return [o for o in outcomes if o.result == Result.NEW]


def _inbound(rng: random.Random, code: str, places: Sequence[Place]) -> ParcelInput:
    return ParcelInput(
        waybill=waybill_for(code, rng),
        address=sample_address(rng, rng.choice(places), style="mixed"),
        recipient_name=_name(rng),
        recipient_phone=_phone(rng),
        weight_kg=round(rng.lognormvariate(0.2, 0.8), 2) or 0.1,
        pieces=1,
    )


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9))
