"""Deactivating an organisation locks its members out at once: no sign-in (password, second
factor, token, surviving session), no reads, no writes; pending invitations are revoked; the
rest of the platform is told through the ``organisation_deactivated`` signal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts import services
from accounts.models import Invitation, Organisation, Role
from accounts.signals import organisation_deactivated
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import TEST_PASSWORD, UserFactory
from tests.testapp.models import Note

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


@pytest.fixture
def staff(db):
    return UserFactory(
        email="staff@platform.example",
        organisation=None,
        role=Role.VIEWER,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def staff_client(staff):
    return verified_client(staff)


def _token(user) -> Client:
    _instance, key = services.token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _login(client, email, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def _invite_link(admin_user) -> str:
    _user, link = services.user_invite(
        organisation=admin_user.organisation,
        email="newcomer@a.example",
        role=Role.OFFICER,
        acting_user=admin_user,
    )
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _deactivated_without_the_service(org) -> None:
    """The flag alone (a shell, a data fix): the sign-in rules must hold without the
    clean-up the service does."""
    Organisation.objects.filter(pk=org.pk).update(is_active=False)


# --- the service ---------------------------------------------------------------------------


def test_it_ends_every_members_sessions_tokens_and_invitations(org, officer, admin_user, staff):
    officer_browser = verified_client(officer)
    admin_browser = verified_client(admin_user)
    officer_api = _token(officer)
    link = _invite_link(admin_user)
    assert officer_browser.get(reverse("cases:list")).status_code == 200
    assert officer_api.get(reverse("api:case-list")).status_code == 200

    services.organisation_deactivate(organisation=org, acting_user=staff)

    org.refresh_from_db()
    assert not org.is_active
    for browser in (officer_browser, admin_browser):
        response = browser.get(reverse("cases:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    assert officer_browser.post(reverse("cases:create"), {}).status_code == 302
    assert officer_api.get(reverse("api:case-list")).status_code == 401
    assert officer_api.get(reverse("api:me")).status_code == 401
    assert not AuthToken.objects.filter(user__organisation=org).exists()
    assert Client().get(link).status_code == 410
    event = AuditEvent.objects.get(action="organisation.deactivate")
    assert event.actor_id == staff.pk
    assert event.target_id == str(org.pk)
    assert event.data == {"members_signed_out": 3, "tokens_revoked": 1, "invitations_revoked": 1}


def test_it_leaves_other_organisations_alone(org, outsider, staff):
    outsider_browser = verified_client(outsider)
    outsider_api = _token(outsider)
    services.organisation_deactivate(organisation=org, acting_user=staff)
    assert outsider_browser.get(reverse("cases:list")).status_code == 200
    assert outsider_api.get(reverse("api:me")).status_code == 200


def test_it_tells_the_platform_inside_the_transaction(org, staff):
    received = []

    def receiver(sender, organisation, acting_user, **kwargs):
        received.append(
            (sender, organisation.pk, organisation.is_active, acting_user, kwargs.keys())
        )
        # inside the deactivation's transaction: a receiver's writes commit or roll back
        # with it
        assert transaction.get_connection().in_atomic_block

    organisation_deactivated.connect(receiver)
    try:
        services.organisation_deactivate(organisation=org, acting_user=staff)
        services.organisation_deactivate(organisation=org, acting_user=staff)  # again: no-op
    finally:
        organisation_deactivated.disconnect(receiver)
    assert len(received) == 1
    sender, pk, is_active, acting_user, extra = received[0]
    assert (sender, pk, is_active, acting_user) == (Organisation, org.pk, False, staff)
    assert set(extra) == {"signal"}
    assert AuditEvent.objects.filter(action="organisation.deactivate").count() == 1


def test_a_failing_receiver_rolls_the_deactivation_back(org, officer, staff):
    browser = verified_client(officer)

    def receiver(**kwargs):
        raise RuntimeError("the shares could not be ended")

    organisation_deactivated.connect(receiver)
    try:
        with pytest.raises(RuntimeError):
            services.organisation_deactivate(organisation=org, acting_user=staff)
    finally:
        organisation_deactivated.disconnect(receiver)
    org.refresh_from_db()
    assert org.is_active
    assert browser.get(reverse("cases:list")).status_code == 200


def test_only_platform_staff_may_deactivate_an_organisation(org, admin_user, outsider):
    for user in (admin_user, outsider):
        with pytest.raises(PermissionDenied):
            services.organisation_deactivate(organisation=org, acting_user=user)
        with pytest.raises(PermissionDenied):
            services.organisation_reactivate(organisation=org, acting_user=user)
    org.refresh_from_db()
    assert org.is_active
    assert not AuditEvent.objects.filter(action="organisation.deactivate").exists()


def test_reactivation_lets_members_sign_in_again_without_old_sessions_or_links(
    org, officer, admin_user, staff
):
    old_browser = verified_client(officer)
    link = _invite_link(admin_user)
    services.organisation_deactivate(organisation=org, acting_user=staff)
    services.organisation_reactivate(organisation=org, acting_user=staff)
    org.refresh_from_db()
    assert org.is_active
    assert old_browser.get(reverse("home")).status_code == 302  # ended, not suspended
    assert Client().get(link).status_code == 410  # a cancelled link stays cancelled
    fresh = Client()
    assert _login(fresh, officer.email).status_code == 302
    device = TOTPDevice.objects.get(user=officer)
    assert fresh.post(reverse("accounts:verify"), {"code": _code(device)}).status_code == 302
    assert fresh.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="organisation.reactivate").exists()


def test_no_new_invitation_or_token_in_a_deactivated_organisation(org, admin_user, officer):
    _deactivated_without_the_service(org)
    org.refresh_from_db()
    admin_user.organisation = org
    with pytest.raises(PermissionDenied):
        services.user_invite(
            organisation=org, email="x@a.example", role=Role.OFFICER, acting_user=admin_user
        )
    officer.organisation = org
    with pytest.raises(ValidationError, match="deactivated"):
        services.token_create(user=officer)
    assert not Invitation.objects.exists()
    assert not AuthToken.objects.exists()


# --- signing in ---------------------------------------------------------------------------


def test_a_member_cannot_sign_in_and_is_told_why(org, officer, client):
    _deactivated_without_the_service(org)
    response = _login(client, officer.email)
    assert response.status_code == 200
    assert "access to hrdcase is suspended" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_gets_the_usual_answer(org, officer, client):
    """Only the account's holder learns that the organisation is suspended."""
    _deactivated_without_the_service(org)
    response = _login(client, officer.email, "not-the-password")
    page = response.content.decode()
    assert "suspended" not in page
    assert "Please enter a correct" in page


def test_a_session_between_password_and_second_factor_ends(org, officer, client):
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    assert _login(client, officer.email).status_code == 302
    _deactivated_without_the_service(org)
    page = client.get(reverse("accounts:verify"))
    assert page.status_code == 302
    assert page["Location"].startswith(LOGIN)
    client.post(reverse("accounts:verify"), {"code": _code(device)})
    assert client.get(reverse("home")).status_code == 302


def test_a_surviving_session_and_token_are_refused(org, officer):
    browser = verified_client(officer)
    api = _token(officer)
    _deactivated_without_the_service(org)
    assert browser.get(reverse("home")).status_code == 302
    assert browser.get(reverse("api:me")).status_code in (401, 403)
    assert api.get(reverse("api:me")).status_code == 401


def test_a_member_sees_no_tenant_rows(org, officer):
    Note.objects.create(organisation=org, title="Meeting with the lawyer")
    assert Note.objects.visible_to(officer).count() == 1
    officer.organisation.is_active = False  # as loaded with the user at sign-in
    assert list(Note.objects.visible_to(officer)) == []


def test_platform_staff_without_an_organisation_still_sign_in(staff, client, settings):
    settings.HRDCASE_REQUIRE_2FA = False
    assert _login(client, staff.email).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


# --- the Django admin ----------------------------------------------------------------------


def _change_form_data(staff_client, org) -> dict:
    url = reverse("admin:accounts_organisation_change", args=[org.pk])
    form = staff_client.get(url).context["adminform"].form
    return {k: v for k, v in form.initial.items() if v is not None}


def test_unticking_active_in_the_admin_deactivates_through_the_service(org, officer, staff_client):
    browser = verified_client(officer)
    data = _change_form_data(staff_client, org)
    del data["is_active"]  # the box unticked
    data["name"] = "Embassy A (closed)"
    url = reverse("admin:accounts_organisation_change", args=[org.pk])
    assert staff_client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert not org.is_active
    assert org.name == "Embassy A (closed)"
    assert browser.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="organisation.deactivate").count() == 1

    data["is_active"] = "on"
    assert staff_client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.is_active
    assert AuditEvent.objects.filter(action="organisation.reactivate").count() == 1


def test_saving_an_active_organisation_unchanged_deactivates_nothing(org, officer, staff_client):
    browser = verified_client(officer)
    data = _change_form_data(staff_client, org)
    data["is_active"] = "on"
    url = reverse("admin:accounts_organisation_change", args=[org.pk])
    assert staff_client.post(url, data).status_code == 302
    assert browser.get(reverse("home")).status_code == 200
    assert not AuditEvent.objects.filter(action__startswith="organisation.").exists()


def test_the_admin_actions_deactivate_and_reactivate(org, other_org, officer, staff_client):
    browser = verified_client(officer)
    changelist = reverse("admin:accounts_organisation_changelist")
    response = staff_client.post(
        changelist,
        {"action": "deactivate_organisations", "_selected_action": [org.pk, other_org.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 organisations deactivated" in response.content.decode()
    assert not Organisation.objects.filter(is_active=True).exists()
    assert browser.get(reverse("home")).status_code == 302
    response = staff_client.post(
        changelist,
        {"action": "reactivate_organisations", "_selected_action": [org.pk]},
        follow=True,
    )
    assert "1 organisation reactivated" in response.content.decode()
    org.refresh_from_db()
    assert org.is_active
