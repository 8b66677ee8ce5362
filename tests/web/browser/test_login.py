"""Logging in and out in a real browser, as every role; a wrong password; a form
sent without its CSRF token."""

from __future__ import annotations

from sqlalchemy import create_engine, select

from countyhub.platform.accounts.roles import Role
from countyhub.platform.models import User
from tests.web.browser.conftest import Visit

ROLES = ("admin", "dispatcher", "analyst", "clerk-zto")


def operator(site_database: str) -> str:
    """The username of the first point operator."""
    engine = create_engine(site_database)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                select(User.username)
                .where(User.role_code == Role.POINT_OPERATOR)
                .order_by(User.username)
            )
    finally:
        engine.dispose()


def test_every_role_logs_in_and_out(visit: Visit, site_database: str):
    """Each role lands on its start page with a logout button in the header;
    logging out brings the login page back, with no one logged in."""
    for username in (*ROLES, operator(site_database)):
        visit.log_in(username)
        visit.page.wait_for_load_state()
        assert "/login" not in visit.page.url, f"{username} stayed on the login page"
        logout = visit.page.locator("header form [type=submit]")
        assert logout.is_visible(), f"{username}: no logout button"
        visit.check(f"start page of {username}")
        logout.click()
        visit.page.wait_for_url("**/login")
        assert not visit.page.locator("header form [type=submit]").count()
    visit.check("login page")


def test_a_wrong_password_is_said_beside_the_field(visit: Visit):
    """The form comes back with the name kept and the message by the password."""
    visit.log_in("clerk-zto", "not the password")
    problem = visit.page.locator("#password-problem")
    assert problem.is_visible() and problem.inner_text()
    assert visit.page.input_value("#username") == "clerk-zto"
    visit.check("wrong password")


def test_a_form_without_its_token_is_refused(visit: Visit):
    """The login form sent without its CSRF token: the 400 page, nobody logged in."""
    visit.go("/login")
    visit.page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
    visit.page.fill("#username", "admin")
    visit.page.fill("#password", "countyhub-demo")
    with visit.page.expect_navigation() as navigation:
        visit.page.click("form.form [type=submit]")
    assert navigation.value.status == 400
    assert not visit.page.locator("header form [type=submit]").count()
    visit.check("form without its token")
