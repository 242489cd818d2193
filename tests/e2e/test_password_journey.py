"""Account basics in a browser (issue 23, item 6): an officer changes her password with her
second factor and signs in again; later she forgets it and resets it by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts import twofactor
from tests.e2e.conftest import PASSWORD, axe_violations, device_code, login, person
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

CHANGED = "a brand new passphrase 2026"


@pytest.fixture(autouse=True)
def _tasks_run_at_once():
    """The reset e-mail is sent by a task after commit (no worker here): run it at once."""
    from hrdcase.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


RESET = "the passphrase after the reset 99"
NEW = re.compile(r"^New password(?! again)")


def _sign_in(page, user, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_an_officer_changes_then_resets_her_password(new_page, settings):
    settings.SITE_URL = ""  # the link in the e-mail is followed on the live server
    officer = person(OrganisationFactory(name="Embassy of Testland"), email="ana@test.example")
    recovery = twofactor.new_recovery_codes(officer)
    page = new_page()
    login(page, officer)

    page.get_by_role("navigation", name="Main").get_by_text("Account", exact=True).click()
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Change your password").click()
    assert axe_violations(page) == []
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("Code").fill(recovery[0])
    page.get_by_label(NEW).fill(CHANGED)
    page.get_by_label("New password again").fill(CHANGED)
    page.get_by_role("button", name="Change the password").click()
    expect(page.locator("main")).to_contain_text("This is not your current password.")

    # The code was not spent on the wrong password: the same recovery code works now.
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("Code").fill(recovery[0])
    page.get_by_label(NEW).fill(CHANGED)
    page.get_by_label("New password again").fill(CHANGED)
    page.get_by_role("button", name="Change the password").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert "every session and API token is ended" in page.content()

    _sign_in(page, officer, CHANGED)
    page.locator("input[name=code]").fill(recovery[1])
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_text("Account", exact=True).click()
    page.get_by_role("button", name="Log out").click()

    # Forgotten: the reset link by e-mail.
    page.get_by_role("link", name="Forgot your password?").click()
    assert axe_violations(page) == []
    page.get_by_label("Email").fill(officer.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("main")).to_contain_text("Check your e-mail")
    link = re.search(r"(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_label(NEW).fill(RESET)
    page.get_by_label("New password again").fill(RESET)
    page.get_by_role("button", name="Set the password").click()
    expect(page.locator("main")).to_contain_text("Password changed")
    page.goto(link)  # once only
    assert "This link does not work" in page.content()

    # The reset did not skip the second factor.
    _sign_in(page, officer, RESET)
    page.wait_for_url(re.compile(r"/accounts/verify/"))
    page.locator("input[name=code]").fill(device_code(officer))
    page.locator("form:has(input[name=code]) button[type=submit]").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
