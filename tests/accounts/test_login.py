"""Logging in: password, then a second factor; lockout; deactivated accounts."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import IdleSessionMiddleware
from hrdcase.models import AuditEvent
from tests.factories import TEST_PASSWORD
from tests.queries import get_counting

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _login(client, email, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_it_sends_a_user_without_device_to_enrolment_when_2fa_is_required(client, officer):
    response = _login(client, officer.email)
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:enrol"))


def test_it_refuses_the_api_to_a_session_without_second_factor(client, officer):
    _login(client, officer.email)
    response = client.get(reverse("api:me"))
    assert response.status_code == 403
    assert "Two-factor" in response.json()["detail"]


def _wait_out_throttle(device) -> None:
    """django-otp makes the next try wait after a wrong code (1 s, then doubling); clear the
    failure as if the user had waited, rather than sleeping in the test."""
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()


def test_it_enrols_an_authenticator_and_shows_recovery_codes_once(client, officer):
    _login(client, officer.email)
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    assert b"<svg" in page.content  # QR code drawn by the server, no third-party image
    device = TOTPDevice.objects.get(user=officer, confirmed=False)

    wrong = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert "does not match" in wrong.content.decode()
    _wait_out_throttle(device)

    response = client.post(reverse("accounts:enrol"), {"code": _code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="2fa.enrol", actor=officer).exists()


def test_it_asks_an_enrolled_user_for_a_code_after_the_password(client, officer):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    _login(client, officer.email)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:verify"))

    bad = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert "not valid" in bad.content.decode()
    assert AuditEvent.objects.filter(action="2fa.failed").exists()
    _wait_out_throttle(device)

    good = client.post(reverse("accounts:verify"), {"code": _code(device), "next": "/"})
    assert good.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_it_accepts_a_recovery_code_once(client, officer):
    from accounts.twofactor import new_recovery_codes

    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    codes = new_recovery_codes(officer)
    _login(client, officer.email)
    typed = codes[0].replace("-", "").upper()
    assert client.post(reverse("accounts:verify"), {"code": typed}).status_code == 302
    assert client.get(reverse("home")).status_code == 200

    client.post(reverse("accounts:logout"))
    _login(client, officer.email)
    reused = client.post(reverse("accounts:verify"), {"code": codes[0]})
    assert reused.status_code == 200
    assert "not valid" in reused.content.decode()


def test_it_lets_a_user_in_with_password_only_when_2fa_is_optional(client, officer, settings):
    settings.HRDCASE_REQUIRE_2FA = False
    _login(client, officer.email)
    assert client.get(reverse("home")).status_code == 200


def test_it_locks_out_after_repeated_failures_and_audits_it(client, officer, settings):
    failures = [
        _login(client, officer.email, "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # the form comes back with its error until the limit, the last failure locks the account
    assert [r.status_code for r in failures] == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = _login(client, officer.email)  # even the right password is refused now
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 1
    assert AuditEvent.objects.filter(action="auth.lockout").exists()


def test_it_refuses_a_deactivated_user(client, officer):
    officer.is_active = False
    officer.save()
    response = _login(client, officer.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_audits_a_successful_login(client, officer, settings):
    settings.HRDCASE_REQUIRE_2FA = False
    _login(client, officer.email.upper())  # the email is case-insensitive
    assert AuditEvent.objects.filter(action="auth.login", actor=officer).exists()


def test_it_expires_an_idle_session(officer_client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    response = officer_client.get(reverse("home"))
    assert response.status_code == 200
    session = officer_client.session
    session.set_expiry(-1)  # as if the last request were more than 30 minutes ago
    session.save()
    assert officer_client.get(reverse("home")).status_code == 302


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_it_does_not_write_the_session_on_each_page(officer_client):
    """Renewed at most once a minute: a page view right after login is no write."""
    before = _expiry(officer_client)
    page = get_counting(officer_client, reverse("home"), contains="Welcome")
    assert not [
        sql
        for sql in page.queries
        if "django_session" in sql.split(" SET")[0] and sql.startswith("UPDATE")
    ]
    assert _expiry(officer_client) == before


def test_it_renews_the_idle_expiry_of_an_active_session(officer_client):
    session = officer_client.session
    session[IdleSessionMiddleware.KEY] -= IdleSessionMiddleware.RENEW_EVERY  # renewed a minute ago
    session.save()
    # ... with ten minutes left
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=10)
    )
    assert officer_client.get(reverse("home")).status_code == 200
    left = _expiry(officer_client) - timezone.now()
    assert datetime.timedelta(minutes=29) < left <= datetime.timedelta(minutes=30)


def test_the_menu_badge_polling_does_not_keep_the_session_alive(officer_client):
    home = officer_client.get(reverse("home")).content.decode()
    assert (
        """hx-trigger="every 30s" hx-swap="outerHTML" hx-headers='{"X-Idle-Poll": "1"}'""" in home
    )
    # A minute after the last renewal, the poll does not renew the session.
    session = officer_client.session
    session[IdleSessionMiddleware.KEY] -= IdleSessionMiddleware.RENEW_EVERY
    session.save()
    before = _expiry(officer_client)
    poll = officer_client.get(reverse("alerts:unread_count"), headers={"X-Idle-Poll": "1"})
    assert poll.status_code == 200
    assert _expiry(officer_client) == before


def test_a_short_idle_time_is_renewed_more_often(officer_client, settings):
    settings.SESSION_COOKIE_AGE = 60  # HRDCASE_SESSION_IDLE_MINUTES=1: renewed every 6 s
    session = officer_client.session
    session[IdleSessionMiddleware.KEY] -= 7
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=20)
    )
    assert officer_client.get(reverse("home")).status_code == 200
    assert _expiry(officer_client) - timezone.now() > datetime.timedelta(seconds=50)


def test_it_sets_secure_headers_and_a_strict_csp(officer_client):
    response = officer_client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "http" not in csp  # no third-party origin anywhere in the policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def _session_after_password(client, user) -> str:
    _login(client, user.email)
    return client.session.session_key


def _old_session_is_dead(key: str) -> bool:
    """A browser still holding the pre-verification cookie (a fixated or sniffed session id)
    must not be signed in."""
    from django.conf import settings
    from django.test import Client

    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = key
    return (
        stale.get(reverse("home")).status_code == 302
        and not Session.objects.filter(session_key=key).exists()
    )


def test_it_rotates_the_session_key_when_the_code_is_verified(client, officer):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    before = _session_after_password(client, officer)
    assert client.post(reverse("accounts:verify"), {"code": _code(device)}).status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200  # the new key is verified
    assert _old_session_is_dead(before)


def test_it_rotates_the_session_key_when_a_recovery_code_is_used(client, officer):
    from accounts.twofactor import new_recovery_codes

    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    codes = new_recovery_codes(officer)
    before = _session_after_password(client, officer)
    assert client.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200
    assert _old_session_is_dead(before)


def test_it_rotates_the_session_key_when_an_authenticator_is_enrolled(client, officer):
    before = _session_after_password(client, officer)
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert client.post(reverse("accounts:enrol"), {"code": _code(device)}).status_code == 200
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200
    assert _old_session_is_dead(before)
