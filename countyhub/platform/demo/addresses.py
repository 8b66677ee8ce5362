"""Realistic delivery addresses for demo data and benchmarks.

:func:`sample_address` writes a village's address the ways senders do — with or
without province, prefecture and county, the township full or short, any form
of the village name, a 组/号 tail, stray separators and full-width digits — and,
at a small rate, the ways that must not resolve: a township alone, a typo'd
village (a homophone), or a place in a neighbouring county. The resolvable
styles come back to their place through
:class:`~countyhub.platform.county.addresses.AddressResolver`.
"""

from __future__ import annotations

import random

from countyhub.platform.county.names import (
    TOWNSHIP_SUFFIXES,
    strip_suffix,
    village_forms,
)
from countyhub.platform.county.resolver import Place

RESOLVABLE_STYLES = ("full", "county", "township", "short", "village", "messy", "seat")
UNRESOLVABLE_STYLES = ("township_only", "typo", "other_county")
STYLES = (*RESOLVABLE_STYLES, *UNRESOLVABLE_STYLES, "mixed", "bare", "unresolvable")
_STYLE_WEIGHTS = (15, 20, 25, 15, 10, 10, 5)
_NUMERALS = "一二三四五六七八九十"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_HOMOPHONES = dict(
    zip(
        "浒塅溪坪山源田桥湖坑洲港峰庄星丰水南北东西林场农",
        "许断汐平杉原甜乔胡炕州岗锋桩兴封税难被冬希临厂浓",
        strict=True,
    )
)
_OTHER_COUNTIES = (  # Tonggu's neighbours, with one real town each
    ("江西省宜春市", "万载县", "株潭镇"),
    ("江西省宜春市", "宜丰县", "天宝乡"),
    ("江西省九江市", "修水县", "黄沙镇"),
    ("湖南省长沙市", "浏阳市", "大围山镇"),
    ("湖南省岳阳市", "平江县", "长寿镇"),
)


def sample_address(
    rng: random.Random,
    place: Place,
    *,
    style: str = "mixed",
    prefix: tuple[str, str, str] = ("江西省", "宜春市", "铜鼓县"),
    unresolvable_rate: float = 0.03,
) -> str:
    """A realistic delivery address of ``place`` for demo data.

    Styles that resolve to the place: ``full`` (江西省宜春市铜鼓县大塅镇浒村村委会3组),
    ``county`` (铜鼓县大塅镇浒村村), ``township`` (大塅镇浒村), ``short`` (大塅浒村),
    ``village`` (浒村村委会; ambiguous for names shared with a township),
    ``messy`` (random prefix parts, separators, full-width digits) and ``seat``
    (大塅镇集镇, for a township's only community; otherwise as ``township``).
    Styles that must not resolve: ``township_only``, ``typo`` (a homophone in
    the village name), ``other_county`` (a neighbouring county). ``mixed``
    draws an unresolvable style with probability ``unresolvable_rate``, a
    resolvable one otherwise. ``bare`` is another name for ``village``, and
    ``unresolvable`` draws one of the unresolvable styles.
    """
    style = _pick_style(rng, style, unresolvable_rate)
    short, forms = village_forms(place.name)
    town = place.township_name
    town_short = strip_suffix(town, TOWNSHIP_SUFFIXES)
    tail = _tail(rng)
    province, prefecture, county = prefix
    if style == "full":
        return f"{province}{prefecture}{county}{town}{place.name}{tail}"
    if style == "county":
        return f"{county}{town}{rng.choice(forms)}{tail}"
    if style == "township":
        return f"{town}{rng.choice(forms)}{tail}"
    if style == "short":
        return f"{town_short}{rng.choice(forms)}{tail}"
    if style == "village":
        return f"{rng.choice(forms)}{tail}"
    if style == "messy":
        return _messy(
            rng, prefix, rng.choice((town, town_short)), rng.choice(forms), tail
        )
    if style == "seat":
        if "集镇" not in place.name:
            return f"{town}{rng.choice(forms)}{tail}"
        return f"{county}{town}{rng.choice(('集镇', '街上'))}{tail}"
    if style == "township_only":
        return f"{county}{town}{tail}"
    return _misspelt(rng, style, town, short, forms) + tail


def _pick_style(rng: random.Random, style: str, unresolvable_rate: float) -> str:
    """The style to write: 'bare', 'unresolvable' and 'mixed' made concrete."""
    if style == "bare":
        return "village"
    if style == "unresolvable":
        return rng.choice(UNRESOLVABLE_STYLES)
    if style != "mixed":
        return style
    if rng.random() < unresolvable_rate:
        return rng.choice(UNRESOLVABLE_STYLES)
    return rng.choices(RESOLVABLE_STYLES, weights=_STYLE_WEIGHTS)[0]


def _misspelt(
    rng: random.Random, style: str, town: str, short: str, forms: tuple[str, ...]
) -> str:
    """A village written with a typo, or placed in a neighbouring county."""
    suffix = forms[1][len(short) :] if len(forms) > 1 else ""
    if "集镇" in short:  # keep 集镇 out: after a township it names the seat
        short, suffix = short.replace("集镇", ""), "居委会"
    if style == "typo":
        return f"{town}{_typo(rng, short)}{suffix}"
    if style == "other_county":
        where, other, other_town = rng.choice(_OTHER_COUNTIES)
        return f"{where}{other}{other_town}{short}村"
    raise ValueError(f"unknown address style {style!r}; one of {', '.join(STYLES)}")


def _tail(rng: random.Random) -> str:
    group, number = rng.randint(1, 12), rng.randint(1, 60)
    numeral = _NUMERALS[group - 1] if group <= 10 else f"十{_NUMERALS[group - 11]}"
    return rng.choice(
        (
            "",
            f"{numeral}组",
            f"{group}组{number}号",
            f"{numeral}组{number}号",
            f"{number}号",
        )
    )


def _messy(
    rng: random.Random, prefix: tuple[str, ...], town: str, village: str, tail: str
) -> str:
    parts = [p if rng.random() < 0.5 else p[:2] for p in prefix if rng.random() < 0.5]
    parts += [town, village]
    if tail:
        parts.append(tail.translate(_FULL_WIDTH) if rng.random() < 0.5 else tail)
    seps = ("", " ", "，", ",", "　", "、", " - ")
    text = "".join(p + rng.choice(seps) for p in parts).strip()
    return ("地址：" + text) if rng.random() < 0.2 else text


def _typo(rng: random.Random, short: str) -> str:
    spots = [i for i, c in enumerate(short) if c in _HOMOPHONES]
    if not spots:
        return short[1:]
    i = rng.choice(spots)
    return short[:i] + _HOMOPHONES[short[i]] + short[i + 1 :]
