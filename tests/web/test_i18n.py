"""Languages: Chinese by default, English by a switch that sticks; a catalogue that
translates every message of the pages, compiled as committed."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from countyhub.platform.accounts.roles import Role
from countyhub.platform.parcels.statuses import LABELS_ZH, Direction, Status
from countyhub.web import labels
from tests.web.conftest import log_in

ROOT = Path(__file__).parents[2]
WEB = ROOT / "countyhub" / "web"
CATALOGUE = WEB / "translations" / "zh_Hans_CN" / "LC_MESSAGES"
PAGES = ["/", "/login", "/track", "/track?waybill=70000000000000", "/no-such-page"]


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = extract_from_dir(WEB, method_map, options_map, keywords=keywords)
    return {
        message if isinstance(message, str) else message[0]
        for *_, message, _c, _x in found
    }


def _catalogue():  # type: ignore[no-untyped-def]
    with (CATALOGUE / "messages.po").open("rb") as po:
        return read_po(po)


def test_every_message_of_the_pages_has_a_chinese_translation():
    """Each msgid in the templates and web modules is in the zh catalogue,
    translated and not fuzzy."""
    catalogue = _catalogue()
    extracted = _extracted()
    assert len(extracted) > 50
    missing = sorted(
        msgid
        for msgid in extracted
        if msgid not in catalogue
        or not all(_forms(catalogue[msgid].string))
        or catalogue[msgid].fuzzy
    )
    assert not missing, f"run scripts/i18n.sh and translate: {missing}"


def _forms(string: str | tuple[str, ...]) -> tuple[str, ...]:
    """A message's translations: its one string, or each plural form."""
    return string if isinstance(string, tuple) else (string,)


def test_the_compiled_catalogue_is_the_po_file():
    """The committed .mo holds exactly the .po's translations (recompile after
    editing: scripts/i18n.sh)."""
    with (CATALOGUE / "messages.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    written: dict[object, str] = {}
    for m in _catalogue():
        if not (m.id and m.string and not m.fuzzy):
            continue
        if m.pluralizable:  # compiled as (singular, form) -> each form
            written.update({(m.id[0], n): form for n, form in enumerate(m.string)})
        else:
            written[m.id] = m.string
    assert {k: v for k, v in compiled._catalog.items() if k} == written  # type: ignore[attr-defined]


def test_every_code_has_a_name(app: Flask):
    """Each role, status and direction of the platform has a translated name, and
    a status's Chinese name is the one the API gives (``status_zh``)."""
    with app.test_request_context("/"):
        assert all(labels.role_name(role) for role in Role)
        assert all(labels.direction_name(d) for d in Direction)
        assert {s: labels.status_name(s) for s in Status} == LABELS_ZH


def test_the_language_switch_sticks(client: FlaskClient):
    """English after the switch, on every later request, until switched back."""
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)
    switched = client.get("/lang/en?next=/track")
    assert switched.status_code == 302 and switched.headers["Location"] == "/track"
    cookie = switched.headers["Set-Cookie"]
    assert "lang=en" in cookie and "Max-Age=31536000" in cookie and "HttpOnly" in cookie
    for path in ("/", "/track", "/login"):
        page = client.get(path).get_data(as_text=True)
        assert '<html lang="en">' in page and "Track a parcel" in page
    client.get("/lang/zh-CN")
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", ""]
)
def test_the_switch_returns_to_this_site_only(client: FlaskClient, target: str):
    """Another site's address as ``next`` leads to the start page instead."""
    switched = client.get("/lang/en", query_string={"next": target})
    assert switched.headers["Location"] == "/"


def test_an_unknown_language_is_404(client: FlaskClient):
    """Only the languages there are: another code is the 404 page, no cookie."""
    refused = client.get("/lang/fr")
    assert refused.status_code == 404 and "Set-Cookie" not in refused.headers


@pytest.mark.parametrize(("lang", "html"), [("zh-CN", "zh-CN"), ("en", "en")])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_both_languages(
    client: FlaskClient, lang: str, html: str, path: str
):
    """Each page, logged in, in each language: its lang attribute, the header's
    link to the other language and the nav in that language."""
    log_in(client, "admin")
    client.set_cookie("lang", lang)
    page = client.get(path).get_data(as_text=True)
    assert f'<html lang="{html}">' in page
    other = "English" if lang == "zh-CN" else "中文"
    assert f">{other}</a>" in page
    assert ("查询包裹" if lang == "zh-CN" else "Track a parcel") in page
    assert ("退出登录" if lang == "zh-CN" else "Log out") in page
