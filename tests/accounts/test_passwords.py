"""Account basics (issue 23, item 6): changing one's password (with the second factor, axes
in force, every session and token ended), resetting it by e-mail, invitations defaulting to
the least privileged role, and error pages that say what happened and leak nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.views import defaults
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.models import Role
from accounts.services import token_create
from accounts.testing import verified_client
from hrdcase.models import AuditEvent
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-and-long-passphrase-77"
CHANGE = reverse("accounts:password_change")
RESET = reverse("accounts:password_reset")


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user, name="test")
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def _change(client, user, **overrides):
    body = {
        "old_password": TEST_PASSWORD,
        "code": _code(user),
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
        **overrides,
    }
    return client.post(CHANGE, body)


def _signed_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


# --- change ----------------------------------------------------------------------------------


def test_a_change_ends_every_session_and_token_and_is_audited(officer):
    client, elsewhere = verified_client(officer), verified_client(officer)
    token_create(user=officer)
    response = _change(client, officer)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert not _signed_in(client) and not _signed_in(elsewhere)
    assert not AuthToken.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="auth.password_change")
    assert event.data == {"tokens_revoked": 1}
    browser = Client()
    login = browser.post(
        reverse("accounts:login"), {"username": officer.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302  # then the second factor, as always
    assert browser.get(reverse("home"))["Location"].startswith(reverse("accounts:verify"))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"old_password": "not-my-password"}, "old_password"),
        ({"code": "000000"}, "code"),
        ({"new_password2": "something-else-entirely-9"}, "new_password2"),
        ({"new_password1": "short", "new_password2": "short"}, "new_password2"),
        ({"new_password1": "", "new_password2": ""}, "new_password1"),
    ],
)
def test_a_wrong_entry_is_named_and_changes_nothing(officer, overrides, field):
    client = verified_client(officer)
    response = _change(client, officer, **overrides)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    officer.refresh_from_db()
    assert officer.check_password(TEST_PASSWORD)
    assert _signed_in(client)


def test_guessing_the_current_password_locks_the_account_like_the_login(officer, settings):
    client = verified_client(officer)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _change(client, officer, old_password="a-guess")
    locked = _change(client, officer)  # now even the right password is refused
    assert locked.status_code in (400, 429)
    officer.refresh_from_db()
    assert officer.check_password(TEST_PASSWORD)
    login = Client().post(
        reverse("accounts:login"), {"username": officer.email, "password": TEST_PASSWORD}
    )
    assert login.status_code == 429


def test_the_profile_links_to_the_change_and_the_login_to_the_reset(officer):
    assert CHANGE in verified_client(officer).get(reverse("accounts:profile")).content.decode()
    assert RESET in Client().get(reverse("accounts:login")).content.decode()


# --- reset by e-mail -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _tasks_run_at_once():
    """The reset e-mail is sent by a task after commit: run it in the test."""
    from hrdcase.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def ask_reset(django_capture_on_commit_callbacks):
    def ask(client, email: str, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, **extra)

    return ask


def _reset_link(settings) -> str:
    body = mail.outbox[-1].body
    found = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", body)
    assert found, body
    return found.group(1)


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(officer, settings, ask_reset):
    settings.SITE_URL = "https://hrdcase.example"
    signed_in = verified_client(officer)
    token_create(user=officer)
    client = Client()
    sent = ask_reset(client, officer.email.upper())
    assert sent.status_code == 302 and sent["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [officer.email]
    assert "https://hrdcase.example/" in mail.outbox[0].body  # the configured address
    link = _reset_link(settings)

    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert not _signed_in(signed_in)
    assert not AuthToken.objects.filter(user=officer).exists()
    assert AuditEvent.objects.filter(action="auth.password_reset_request").count() == 1
    assert AuditEvent.objects.filter(action="auth.password_reset").count() == 1

    again = Client().get(link, follow=True)
    assert not again.context["validlink"]
    assert "does not work" in again.content.decode()


def test_a_reset_says_the_same_for_an_unknown_address_and_sends_nothing(db, ask_reset):
    response = ask_reset(Client(), "nobody@nowhere.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_reset_e_mails_are_limited_per_address(officer, ask_reset):
    client = Client()
    for _ in range(5):
        ask_reset(client, officer.email)
    assert len(mail.outbox) == 3


def test_no_reset_for_a_deactivated_account_or_organisation(officer, viewer, ask_reset):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    viewer.organisation.is_active = False
    viewer.organisation.save(update_fields=["is_active"])
    for user in (officer, viewer):
        ask_reset(Client(), user.email)
    assert mail.outbox == []


def test_a_bad_address_is_named(db, ask_reset):
    response = ask_reset(Client(), "not an address")
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


# --- invitations: the least privileged role by default ---------------------------------------


def test_the_invitation_form_offers_the_viewer_role_first_and_by_default(admin_user):
    page = verified_client(admin_user).get(reverse("accounts:users"))
    field = page.context["form"]["role"]
    assert field.value() == Role.VIEWER
    assert field.field.choices[0][0] == Role.VIEWER
    html = page.content.decode()
    assert re.search(r'<option value="viewer"[^>]*selected', html)


# --- error pages -----------------------------------------------------------------------------


def test_a_missing_page_is_branded_and_does_not_echo_the_address(officer):
    response = verified_client(officer).get("/cases/<script>nothing-here/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Nothing here" in html and "hrdcase" in html
    assert "nothing-here" not in html and "<script>" not in html


def test_the_api_keeps_its_json_404(officer):
    response = verified_client(officer).get("/api/v1/not-a-route/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_a_forbidden_page_is_branded(viewer):
    # A viewer is not an admin: the users page refuses with 403.
    response = verified_client(viewer).get(reverse("accounts:users"))
    assert response.status_code == 403
    assert "You may not do this" in response.content.decode()


def test_the_server_error_page_needs_no_context_and_says_nothing_of_the_error(rf):
    response = defaults.server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html and "Traceback" not in html


def test_an_expired_form_is_explained(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_a_bad_request_page_is_branded(rf):
    response = defaults.bad_request(rf.get("/"), Exception("secret detail"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "could not be understood" in html and "secret detail" not in html


def test_other_organisations_are_never_named_by_the_reset(db, ask_reset):
    # The page is the same for any address: one that exists in another organisation too.
    other = UserFactory(organisation=OrganisationFactory(), email="someone@else.example")
    known = ask_reset(Client(), other.email)
    unknown = ask_reset(Client(), "unknown@else.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_the_reset_page_answers_before_anything_is_looked_up_or_sent(officer, ask_reset):
    # Nothing runs in the request but queueing: the same work for any address.
    from tests.queries import counting

    with counting() as known:
        first = Client().post(RESET, {"email": officer.email})
    with counting() as unknown:
        second = Client().post(RESET, {"email": "nobody@nowhere.example"})
    assert first.status_code == second.status_code == 302
    assert len(known.sql) == len(unknown.sql)
    assert mail.outbox == []  # not sent by the request


def test_reset_requests_are_limited_per_client_address(officer, ask_reset):
    from accounts.views import RESET_REQUESTS_PER_IP

    client = Client()
    for _ in range(RESET_REQUESTS_PER_IP):
        ask_reset(client, "nobody@nowhere.example")
    response = ask_reset(client, officer.email)
    assert response.status_code == 302  # the same page
    assert mail.outbox == []
