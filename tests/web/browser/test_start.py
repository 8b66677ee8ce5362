"""The start page in a real browser: the county's figures, on a desktop and a phone."""

from __future__ import annotations

import pytest

from tests.web.browser.conftest import Visit, axe_violations


def test_the_start_page_shows_the_county(visit: Visit):
    """The start page names the county and counts its service points."""
    assert visit.go("/").status == 200
    assert "铜鼓县" in visit.page.title() + visit.page.inner_text("h1")
    assert int(visit.page.inner_text("#points")) > 0
    visit.check("start page")


def test_the_checks_catch_what_they_look_for(visit: Visit):
    """A page with an image without text and a too-wide block fails both checks."""
    visit.page.set_content(
        '<html lang="en"><title>t</title><main><img src="x.png">'
        '<div style="width:900px">wide</div></main></html>'
    )
    assert any(v.startswith("image-alt") for v in axe_violations(visit.page))
    with pytest.raises(AssertionError, match="scrolls sideways"):
        visit.check("a bad page")
