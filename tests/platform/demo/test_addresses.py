"""Tests for countyhub.platform.demo.addresses: samples resolve as their style says."""

from __future__ import annotations

import random

import pytest

from countyhub.platform.county.addresses import load_resolver_from_dir, read_places
from countyhub.platform.county.gazetteer import default_county_dir
from countyhub.platform.demo.addresses import (
    RESOLVABLE_STYLES,
    STYLES,
    UNRESOLVABLE_STYLES,
    sample_address,
)

DATA = default_county_dir()
RESOLVER = load_resolver_from_dir(DATA)
PLACES = read_places(DATA)


@pytest.mark.parametrize("style", [s for s in RESOLVABLE_STYLES if s != "village"])
def test_resolvable_sample_styles_resolve_to_their_place(style: str) -> None:
    """Every village's sample addresses of a resolvable style come back to it."""
    rng = random.Random(style)
    for place in PLACES:
        for _ in range(5):
            address = sample_address(rng, place, style=style)
            assert RESOLVER.resolve(address).village_code == place.code, address


def test_village_only_samples_never_resolve_wrongly() -> None:
    """A bare village name resolves to it or is ambiguous, never to another place."""
    rng = random.Random(1)
    for place in PLACES:
        for _ in range(5):
            r = RESOLVER.resolve(sample_address(rng, place, style="village"))
            assert r.village_code in (place.code, None)
            assert r.resolved or r.method == "ambiguous"


@pytest.mark.parametrize("style", UNRESOLVABLE_STYLES)
def test_unresolvable_sample_styles_do_not_resolve(style: str) -> None:
    """Township-only, typo'd and other-county samples are never resolved."""
    rng = random.Random(style)
    for place in PLACES:
        for _ in range(5):
            address = sample_address(rng, place, style=style)
            r = RESOLVER.resolve(address)
            assert r.village_code is None, address
            assert r.reason


def test_mixed_samples_have_a_few_percent_unresolvable() -> None:
    """The default mix resolves about 97 % of addresses, none to a wrong village."""
    rng = random.Random(7)
    picks = [rng.choice(PLACES) for _ in range(4000)]
    results = [(p, RESOLVER.resolve(sample_address(rng, p))) for p in picks]
    assert not [r for p, r in results if r.resolved and r.village_code != p.code]
    rate = sum(r.resolved for _, r in results) / len(results)
    assert 0.94 < rate < 0.995


def test_style_aliases() -> None:
    """'bare' writes the village alone; 'unresolvable' never resolves."""
    rng = random.Random(3)
    for place in PLACES:
        r = RESOLVER.resolve(sample_address(rng, place, style="bare"))
        assert r.village_code in (place.code, None)
        bad = sample_address(rng, place, style="unresolvable")
        assert RESOLVER.resolve(bad).village_code is None, bad


def test_unknown_style_is_refused() -> None:
    """A misspelt style name raises ValueError naming the styles."""
    assert "mixed" in STYLES
    with pytest.raises(ValueError, match="one of"):
        sample_address(random.Random(0), PLACES[0], style="fancy")
