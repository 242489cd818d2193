"""The login lockout (django-axes) counts failures per account, whatever case the e-mail is
typed in: login is case-insensitive, so the lockout must be too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


def _login(client, email: str, password: str = TEST_PASSWORD, url: str = LOGIN):
    return client.post(url, {"username": email, "password": password})


def _lock(client, email: str, limit: int, url: str = LOGIN) -> None:
    for _ in range(limit):
        _login(client, email, "wrong-password", url=url)
    assert _login(client, email, url=url).status_code == 429


@pytest.mark.parametrize("variant", ["OFFICER@A.EXAMPLE", "Officer@A.Example", "officer@A.example"])
def test_it_keeps_the_account_locked_whatever_the_case_of_the_email(
    client, officer, settings, variant
):
    _lock(client, officer.email, settings.AXES_FAILURE_LIMIT)
    refused = _login(client, variant)  # the right password, the address in another case
    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_locks_the_account_when_failures_are_spread_over_case_variants(
    client, officer, settings
):
    variants = ["officer@a.example", "OFFICER@A.EXAMPLE", "Officer@A.Example", "oFFICER@a.EXAMPLE"]
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, variants[i % len(variants)], "wrong-password")
    assert _login(client, "officer@a.example").status_code == 429


def test_it_keeps_the_account_locked_with_surrounding_spaces(client, officer, settings):
    _lock(client, officer.email, settings.AXES_FAILURE_LIMIT)
    assert _login(client, f"  {officer.email.upper()} ").status_code == 429


def test_it_locks_the_django_admin_login_the_same_way(client, settings):
    from tests.factories import UserFactory

    UserFactory(email="staff@platform.example", organisation=None, is_staff=True)
    _lock(client, "staff@platform.example", settings.AXES_FAILURE_LIMIT, url=ADMIN_LOGIN)
    assert _login(client, "STAFF@Platform.example", url=ADMIN_LOGIN).status_code == 429


def test_a_success_clears_the_failures_typed_in_another_case(client, officer, settings):
    """AXES_RESET_ON_SUCCESS resets the account's failures, whatever case they were typed in."""
    settings.HRDCASE_REQUIRE_2FA = False
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, officer.email.upper(), "wrong-password")
    assert _login(client, officer.email).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, officer.email.upper(), "wrong-password")
    # not locked: the success restarted the count of the account, not of one spelling
    assert _login(client, officer.email.upper()).status_code == 302


@pytest.mark.postgresql
def test_it_keeps_the_account_locked_for_a_look_alike_letter_postgresql_folds(
    client, officer, settings
):
    """PostgreSQL's UPPER folds the dotless i (U+0131) into I, so "off\\u0131cer@" reaches the
    officer's account: it must meet the officer's lockout too."""
    _lock(client, officer.email, settings.AXES_FAILURE_LIMIT)
    assert _login(client, "off\u0131cer@a.example").status_code == 429
