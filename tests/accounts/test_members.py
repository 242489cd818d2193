"""Organisation admins manage their own users, in the web UI and the API, and nobody else's."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_invites_a_user_who_then_chooses_a_password(
    admin_client_org, admin_user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after commit
        response = admin_client_org.post(
            reverse("accounts:users"),
            {"email": "New.Person@A.example", "full_name": "New Person", "role": "officer"},
        )
    assert response.status_code == 200
    assert "Invitation sent" in response.content.decode()
    invited = User.objects.get(email="new.person@a.example")
    assert invited.organisation == admin_user.organisation
    assert not invited.is_active
    assert invited.groups.filter(pk=admin_user.organisation.group_id).exists()
    assert len(mail.outbox) == 1
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/invitation/" in w)
    path = link.split("://", 1)[1].split("/", 1)[1]

    weak = client.post("/" + path, {"password1": "short", "password2": "short"})
    assert weak.status_code == 200
    assert "too short" in weak.content.decode()

    strong = "a-long-unguessable-passphrase-77"
    done = client.post("/" + path, {"password1": strong, "password2": strong})
    assert done.status_code == 302
    invited.refresh_from_db()
    assert invited.is_active and invited.check_password(strong)
    assert client.get("/" + path).status_code == 404  # the link works once
    assert AuditEvent.objects.filter(action="user.invite", target_id=str(invited.pk)).exists()


def test_it_refuses_an_invitation_for_an_address_already_registered(admin_client_org, outsider):
    response = admin_client_org.post(
        reverse("accounts:users"), {"email": outsider.email, "role": "officer"}
    )
    assert "cannot be invited" in response.content.decode()
    assert User.objects.filter(email=outsider.email).count() == 1


def test_it_changes_a_role_and_audits_it(admin_client_org, officer):
    response = admin_client_org.post(
        reverse("accounts:user_edit", args=[officer.pk]), {"action": "role", "role": "viewer"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == Role.VIEWER
    event = AuditEvent.objects.get(action="user.role_change")
    assert event.data == {"from": "officer", "to": "viewer"}


def test_it_deactivates_a_user_who_is_logged_out_at_once(admin_client_org, officer):
    officer_client = verified_client(officer)
    assert officer_client.get(reverse("home")).status_code == 200
    response = admin_client_org.post(
        reverse("accounts:user_edit", args=[officer.pk]), {"action": "deactivate"}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert officer_client.get(reverse("home")).status_code == 302


def test_it_keeps_the_last_admin(admin_client_org, admin_user):
    response = admin_client_org.post(
        reverse("accounts:user_edit", args=[admin_user.pk]), {"action": "role", "role": "viewer"}
    )
    assert response.status_code == 200
    assert "last administrator" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


def test_it_hides_other_organisations_users_from_an_admin(admin_client_org, outsider):
    url = reverse("accounts:user_edit", args=[outsider.pk])
    assert admin_client_org.get(url).status_code == 404
    assert admin_client_org.post(url, {"action": "deactivate"}).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active
    listing = admin_client_org.get(reverse("accounts:users")).content.decode()
    assert outsider.email not in listing


def test_it_refuses_user_management_to_officers_and_viewers(officer_client, viewer_client, viewer):
    assert officer_client.get(reverse("accounts:users")).status_code == 403
    assert (
        viewer_client.post(
            reverse("accounts:user_edit", args=[viewer.pk]), {"action": "role", "role": "admin"}
        ).status_code
        == 403
    )
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER


# --- the same rules through the API --------------------------------------------------------


def test_api_lists_only_own_organisation(admin_client_org, officer, outsider):
    response = admin_client_org.get(reverse("api:member-list"))
    assert response.status_code == 200
    emails = {row["email"] for row in response.json()["results"]}
    assert officer.email in emails
    assert outsider.email not in emails


def test_api_invites_changes_role_and_deactivates(admin_client_org, officer):
    created = admin_client_org.post(
        reverse("api:member-list"),
        {"email": "api.invite@a.example", "role": "viewer"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["invitation_pending"] is True

    changed = admin_client_org.patch(
        reverse("api:member-detail", args=[officer.pk]),
        {"role": "admin"},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["role"] == "admin"

    gone = admin_client_org.post(reverse("api:member-deactivate", args=[officer.pk]))
    assert gone.status_code == 200
    assert gone.json()["is_active"] is False


def test_api_rejects_bad_input_naming_the_field(admin_client_org, officer):
    bad_role = admin_client_org.patch(
        reverse("api:member-detail", args=[officer.pk]),
        {"role": "emperor"},
        content_type="application/json",
    )
    assert bad_role.status_code == 400
    assert "role" in bad_role.json()
    bad_email = admin_client_org.post(
        reverse("api:member-list"),
        {"email": "not-an-email", "role": "officer"},
        content_type="application/json",
    )
    assert bad_email.status_code == 400
    assert "email" in bad_email.json()
    assert not User.objects.filter(email="not-an-email").exists()
    officer.refresh_from_db()
    assert officer.role == Role.OFFICER


def test_api_answers_404_for_another_organisations_user(admin_client_org, outsider):
    for method, name in [("get", "api:member-detail"), ("post", "api:member-deactivate")]:
        response = getattr(admin_client_org, method)(reverse(name, args=[outsider.pk]))
        assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


def test_api_refuses_viewers(viewer_client, viewer):
    assert viewer_client.get(reverse("api:member-list")).status_code == 403
    other = UserFactory(organisation=viewer.organisation)
    response = viewer_client.post(reverse("api:member-deactivate", args=[other.pk]))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.is_active


def test_staff_moving_a_user_to_another_organisation_moves_their_access(officer, other_org, org):
    from knox.models import AuthToken

    from accounts.services import token_create

    staff = UserFactory(organisation=None, role=Role.VIEWER, is_staff=True, is_superuser=True)
    token_create(user=officer)
    old_session = verified_client(officer)
    client = verified_client(staff)
    form = (
        client.get(reverse("admin:accounts_user_change", args=[officer.pk]))
        .context["adminform"]
        .form
    )
    data = {
        **{k: v for k, v in form.initial.items() if v is not None and k != "password"},
        "organisation": other_org.pk,
        "role": Role.VIEWER,
    }
    response = client.post(reverse("admin:accounts_user_change", args=[officer.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert list(officer.groups.all()) == [other_org.group]
    assert not AuthToken.objects.filter(user=officer).exists()
    assert old_session.get(reverse("home")).status_code == 302  # logged out everywhere
    moved = AuditEvent.objects.get(action="user.organisation_change")
    assert moved.data == {"from": str(org.pk), "to": str(other_org.pk)}
    assert AuditEvent.objects.get(action="user.role_change").data == {
        "from": Role.OFFICER,
        "to": Role.VIEWER,
    }
