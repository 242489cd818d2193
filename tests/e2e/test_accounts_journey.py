"""An organisation admin invites a colleague, who accepts, logs in and enrols 2FA."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role
from tests.e2e.conftest import axe_violations, login, totp_now
from tests.factories import OrganisationFactory, UserFactory

PASSWORD = "a long passphrase for the tests 2026"
pytestmark = pytest.mark.django_db(transaction=True)


def _admin_with_device():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = UserFactory(
        organisation=OrganisationFactory(name="Embassy of Testland"), role=Role.ADMIN
    )
    admin.set_password(PASSWORD)
    admin.save()
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    return admin


def test_it_lets_an_admin_invite_a_user_who_enrols_two_factor(new_page):
    admin = _admin_with_device()
    page = new_page()
    login(page, admin, PASSWORD)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Users").click()
    page.get_by_label("Email").fill("new.officer@testland.example")
    page.get_by_label("Full name").fill("Nadia Officer")
    page.get_by_label("Role").select_option("officer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("cell", name="new.officer@testland.example")).to_be_visible()
    assert axe_violations(page) == []

    # The invitee follows the e-mailed link in a browser of their own.
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    invitee = new_page()
    invitee.goto("/accounts/" + link.split("/accounts/", 1)[1])
    invitee.get_by_label(re.compile(r"^Password(?! again)")).fill(PASSWORD)
    invitee.get_by_label("Password again").fill(PASSWORD)
    invitee.get_by_role("button", name="Create my account").click()
    expect(invitee.locator("main")).to_contain_text("Your account is ready")

    invitee.get_by_label("Email").fill("new.officer@testland.example")
    invitee.get_by_label("Password").fill(PASSWORD)
    invitee.get_by_role("button", name="Log in").click()
    invitee.wait_for_url(re.compile(r"/accounts/two-factor/"))
    assert axe_violations(invitee) == []
    secret = invitee.locator("code.secret").inner_text()
    invitee.get_by_role("textbox", name="Code").fill(totp_now(secret))
    invitee.get_by_role("button", name="Confirm").click()

    # Enrolled: recovery codes are shown once, then the menu is theirs.
    expect(invitee.get_by_role("navigation", name="Main")).to_be_visible()
    invitee.wait_for_load_state()
    assert "Nadia Officer" in invitee.content() or "recovery" in invitee.content().lower()


def test_it_refuses_a_wrong_second_factor_code(new_page):
    admin = _admin_with_device()
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("textbox", name="Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    assert "/accounts/verify/" in page.url
    expect(page.get_by_text("This code is not valid")).to_be_visible()
    # Until the second factor, the menu offers nothing but logging out.
    menu = page.get_by_role("navigation", name="Main")
    assert menu.get_by_role("link").count() == 0
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()
    assert "Embassy of Testland" not in page.content()
