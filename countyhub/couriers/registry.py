"""The ten couriers of 铜鼓县 and the ways a clerk writes their names.

Each `Courier` carries its 快递鸟 (KDNiao) shipper code as ``code`` (source D of
``shared/data/couriers.md``), the kuaidi100 pinyin code, the names and aliases seen in
manifests, and the waybill-number rules that `countyhub.couriers.waybill` applies:
``strict`` holds the current-format rule of source A (BF-zh/Courier-Validation),
``permissive`` the legacy-tolerant rules of source B (the Hive UDF
``UDFLogisticNoValid``) plus the documented extras (SF's old 12-digit numbers),
``s10`` marks the courier that carries UPU S10 numbers (source C) and
``detect_hints`` adds distinctive legacy forms used only to *suggest* a courier.
Source E (YunExpress ``YT`` + 16 digits) is why 圆通's rules stop at 13 digits after
``YT``. The patterns are written for `re.fullmatch` on a normalised number (upper
case, no spaces or hyphens) and are compiled with `re.ASCII`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["COURIERS", "Courier", "UnknownCourier", "find_courier"]


@dataclass(frozen=True, slots=True)
class Courier:
    """One express courier of the county.

    Attributes
    ----------
    code : str
        快递鸟 shipper code (source D), e.g. ``"ZTO"``; the key used everywhere else.
    name : str
        Full Chinese brand name, e.g. ``"中通快递"``.
    short_name : str
        The name a clerk says, e.g. ``"中通"``.
    aliases : tuple of str
        Further spellings accepted by `find_courier` (case and width do not matter).
    kuaidi100 : str
        kuaidi100 company code (pinyin), for an aggregator adapter.
    strict : tuple of str
        Current-format regexes (source A); empty when A has no rule.
    permissive : tuple of str
        Legacy-tolerant regexes (source B and documented extras).
    shape : str
        The expected number shape in words, with an example, for messages.
    detect_hints : tuple of str, default ()
        Distinctive non-strict regexes used only by `detect_couriers`.
    s10 : bool, default False
        Whether the courier carries UPU S10 numbers (2 letters, 9 digits, 2 letters).
    """

    code: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    kuaidi100: str
    strict: tuple[str, ...] = field(repr=False)
    permissive: tuple[str, ...] = field(repr=False)
    shape: str = field(repr=False)
    detect_hints: tuple[str, ...] = field(default=(), repr=False)
    s10: bool = False


COURIERS: tuple[Courier, ...] = (
    Courier(
        code="ZTO",
        name="中通快递",
        short_name="中通",
        aliases=("中通", "中通速递", "ZTO Express", "zhongtong"),
        kuaidi100="zhongtong",
        strict=(r"7[3-68]\d{12}",),
        permissive=(
            r"\d{14}",
            r"(?:5711|2008|2009|2010|2013)\d{8}",
            r"(?:91|92|93|94|95|98|36|68|39|50|53|37)\d{10}",
            r"4\d{11}",
            r"90\d{10}",
            r"120\d{9}",
            r"780\d{9}",
            r"881\d{9}",
            r"88[25]\d{9}",
            r"5[456]\d{10}",
            r"960\d{9}",
            r"66[56]\d{9}",
            r"6[34]\d{10}",
            r"72\d{10}",
            r"2[1-9]\d{10}",
        ),
        shape="14 digits starting 73, 74, 75, 76 or 78 (e.g. 73610555582883)",
    ),
    Courier(
        code="YTO",
        name="圆通速递",
        short_name="圆通",
        aliases=("圆通", "圆通快递", "YTO Express", "yuantong"),
        kuaidi100="yuantong",
        strict=(r"YT\d{13}",),
        permissive=(
            r"[A-Z0-9]{2}\d{10,13}",
            r"[A-Z0-9]{2}\d{8}",
            r"[6-9]\d{17}",
            r"DD[89]\d{15}",
            r"Y\d{12}",
        ),
        shape="YT + 13 digits (e.g. YT8962646785389)",
    ),
    Courier(
        code="STO",
        name="申通快递",
        short_name="申通",
        aliases=("申通", "申通速递", "STO Express", "shentong"),
        kuaidi100="shentong",
        strict=(r"(?:77|43)\d{12,15}",),
        permissive=(
            r"773\d{9,13}",
            r"77\d{13}",
            r"88\d{13}",
            r"99\d{13}",
            r"(?:268|888|588|688|368|468|568|668|768|868|968)\d{9,13}",
            r"(?:11|22|40)\d{10}",
            r"STO\d{10}",
            r"33\d{11}",
            r"4\d{12}",
            r"55\d{11}",
            r"66\d{11}",
        ),
        shape="14 to 17 digits starting 77 or 43 (e.g. 773277027280336)",
    ),
    Courier(
        code="YD",
        name="韵达快递",
        short_name="韵达",
        aliases=("韵达", "韵达速递", "Yunda", "Yunda Express", "yunda"),
        kuaidi100="yunda",
        strict=(r"[34]\d{14}", r"5\d{12}"),
        permissive=(r"\d{15}", r"\d{13}"),
        shape=(
            "15 digits starting 3 or 4, or 13 digits starting 5 (e.g. 463431409940372)"
        ),
    ),
    Courier(
        code="HTKY",
        name="百世快递",
        short_name="百世",
        aliases=(
            "百世",
            "百世汇通",
            "汇通",
            "汇通快递",
            "百世汇通快递",
            "BEST Express",
            "huitongkuaidi",
            "baishi",
        ),
        kuaidi100="huitongkuaidi",
        strict=(),
        permissive=(
            r"JT\d{12,13}",
            r"[ABDE]\d{12}",
            r"BXA\d{10}",
            r"K8\d{11}",
            r"02\d{11}",
            r"000\d{10}",
            r"C0000\d{8}",
            r"(?:2[1-9]|3\d|61|63)\d{10}",
            r"5\d{13,14}",
            r"[67]\d{13}",
            r"58\d{14}",
        ),
        shape=(
            "an old 百世 number such as A, B, D or E + 12 digits, BXA + 10 digits or "
            "14 digits starting 5, 6 or 7 (e.g. A079612651105); new parcels carry "
            "极兔 JT numbers"
        ),
        detect_hints=(r"BXA\d{10}", r"[ABDE]\d{12}", r"K8\d{11}", r"C0000\d{8}"),
    ),
    Courier(
        code="JTSD",
        name="极兔速递",
        short_name="极兔",
        aliases=("极兔", "极兔快递", "J&T", "J&T Express", "jtexpress", "jitu"),
        kuaidi100="jtexpress",
        strict=(r"JT\d{13}",),
        permissive=(r"JT\d{12,13}",),
        shape="JT + 13 digits (e.g. JT5261988016578)",
    ),
    Courier(
        code="SF",
        name="顺丰速运",
        short_name="顺丰",
        aliases=("顺丰", "顺丰快递", "SF Express", "shunfeng"),
        kuaidi100="shunfeng",
        strict=(r"SF[A-Z0-9]\d{12}",),
        # B accepts almost anything; its comment says old waybills were 12 digits.
        permissive=(r"[A-Za-z0-9-]{4,35}", r"\d{12}"),
        shape="SF + 1 letter or digit + 12 digits (e.g. SF1385628716739)",
    ),
    Courier(
        code="EMS",
        name="中国邮政EMS",
        short_name="邮政",
        aliases=(
            "YZPY",
            "邮政",
            "中国邮政",
            "邮政EMS",
            "EMS快递",
            "邮政快递包裹",
            "邮政包裹",
            "中国邮政速递物流",
            "China Post",
            "youzhengguonei",
            "youzheng",
        ),
        kuaidi100="ems",
        strict=(r"[981]\d{12}", r"P[A-Z]\d{11}"),
        # B's 邮政快递包裹 letter shape [GAKQPH]{2}\d{9}… is inside the S10 shape.
        permissive=(
            r"[A-Z]{2}\d{9}[A-Z]{2}",
            r"(?:10|11|12)\d{11}",
            r"(?:50|51|52)\d{11}",
            r"(?:95|97|98|99)\d{11}",
            r"\d{13}",
            r"(?:99|96|98)\d{11}",
        ),
        shape=(
            "13 digits starting 1, 8 or 9 (e.g. 1207119765021), "
            "P + letter + 11 digits, or a UPU S10 number (e.g. EA630595242CN)"
        ),
        s10=True,
    ),
    Courier(
        code="JD",
        name="京东快递",
        short_name="京东",
        aliases=("京东", "京东物流", "JD Logistics", "jingdong"),
        kuaidi100="jd",
        strict=(r"JD[A-Z0-9]{2}\d{11}",),
        permissive=(r"JD[XK]\d{12}", r"JDV[A-Z]\d{11}"),
        shape="JD + 2 letters or digits + 11 digits (e.g. JDX024407261700)",
    ),
    Courier(
        code="DBL",
        name="德邦快递",
        short_name="德邦",
        aliases=("德邦", "德邦物流", "Deppon", "debangwuliu", "debangkuaidi", "debang"),
        kuaidi100="debangwuliu",
        strict=(r"DPK\d{12}",),
        permissive=(r"DPK\d{11,}[-\d]+", r"\d{8,10}", r"\d{15,}[-\d]+"),
        shape=(
            "DPK + 12 digits (e.g. DPK202252612836), or 8 to 10 digits (old 德邦物流)"
        ),
    ),
)


def _key(text: str) -> str:
    """Fold width, case and whitespace so that ``"Ｚｔｏ "`` and ``"zto"`` meet."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _names(courier: Courier) -> Iterable[str]:
    """Every spelling of ``courier`` that `find_courier` accepts."""
    yield from (courier.code, courier.name, courier.short_name, courier.kuaidi100)
    yield from courier.aliases


def _build_index(couriers: Iterable[Courier]) -> dict[str, Courier]:
    """Map each folded spelling to its courier; a spelling shared by two is a bug."""
    index: dict[str, Courier] = {}
    for courier in couriers:
        for spelling in _names(courier):
            other = index.setdefault(_key(spelling), courier)
            if other is not courier:
                msg = f"{spelling!r} names both {other.code} and {courier.code}"
                raise ValueError(msg)
    return index


_INDEX = _build_index(COURIERS)


class UnknownCourier(ValueError):
    """The text names none of the county's couriers.

    Attributes
    ----------
    text : str
        The text as given.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        codes = ", ".join(courier.code for courier in COURIERS)
        super().__init__(
            f"unknown courier {text!r}: use one of the codes {codes} "
            "or a courier name such as 中通快递"
        )


def find_courier(text: str) -> Courier:
    """Resolve a courier code, name or alias as written in a manifest.

    Parameters
    ----------
    text : str
        A 快递鸟 code (``"ZTO"``), a name (``"中通快递"``, ``"中通"``), a kuaidi100
        code or an alias (``"J&T"``, ``"百世汇通"``). Case, full-width characters
        and whitespace (outer and inner) are ignored.

    Returns
    -------
    Courier
        The courier so named.

    Raises
    ------
    UnknownCourier
        If the text names none of the couriers; the message lists the codes.
    """
    courier = _INDEX.get(_key(text))
    if courier is None:
        raise UnknownCourier(text)
    return courier
