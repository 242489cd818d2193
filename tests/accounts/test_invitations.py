"""Invitation links end with the account: deactivating an invited member revokes the link,
and following a revoked link says so and activates nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from accounts import services
from accounts.models import Invitation, Role, User
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "a-long-unguessable-passphrase-77"


def _invite(admin_user, email="invited@a.example", role=Role.ADMIN) -> tuple[User, str]:
    user, link = services.user_invite(
        organisation=admin_user.organisation, email=email, role=role, acting_user=admin_user
    )
    return user, "/" + link.split("://", 1)[1].split("/", 1)[1]


def _accept(client: Client, path: str):
    return client.post(path, {"password1": STRONG, "password2": STRONG})


def _assert_link_revoked(client: Client, path: str, invited: User) -> None:
    page = client.get(path)
    assert page.status_code == 410
    assert "cancelled" in page.content.decode()
    refused = _accept(client, path)
    assert refused.status_code == 410
    assert "cancelled" in refused.content.decode()
    invited.refresh_from_db()
    assert not invited.is_active
    assert not invited.has_usable_password()
    assert (
        client.post(
            reverse("accounts:login"), {"username": invited.email, "password": STRONG}
        ).status_code
        == 200
    )  # the form again: no account to sign in to
    assert "_auth_user_id" not in client.session


def test_deactivating_an_invited_member_revokes_the_link(admin_client_org, admin_user, client):
    invited, path = _invite(admin_user)
    assert client.get(path).status_code == 200  # the link works before
    response = admin_client_org.post(
        reverse("accounts:user_edit", args=[invited.pk]), {"action": "deactivate"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(user=invited)
    assert invitation.revoked_at is not None
    _assert_link_revoked(client, path, invited)
    event = AuditEvent.objects.get(action="user.deactivate", target_id=str(invited.pk))
    assert event.data == {"invitations_revoked": 1}


def test_deactivating_through_the_api_revokes_the_link(admin_client_org, admin_user, client):
    invited, path = _invite(admin_user)
    response = admin_client_org.post(reverse("api:member-deactivate", args=[invited.pk]))
    assert response.status_code == 200
    assert response.json()["invitation_pending"] is False
    _assert_link_revoked(client, path, invited)


def test_a_link_revoked_while_the_form_is_open_is_refused(admin_user, client):
    """Deactivated between showing the form and posting it: the service re-checks."""
    invited, path = _invite(admin_user)
    invitation = services.invitation_for_token(path.rstrip("/").rsplit("/", 1)[1])
    assert invitation is not None
    services.user_deactivate(user=invited, acting_user=admin_user)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, password=STRONG)
    assert error.value.code == "revoked"
    invited.refresh_from_db()
    assert not invited.is_active


def test_the_members_page_shows_the_invitation_cancelled(admin_client_org, admin_user):
    invited, _path = _invite(admin_user)
    edit = admin_client_org.get(reverse("accounts:user_edit", args=[invited.pk]))
    assert "Cancel the invitation" in edit.content.decode()
    admin_client_org.post(
        reverse("accounts:user_edit", args=[invited.pk]), {"action": "deactivate"}
    )
    listing = admin_client_org.get(reverse("accounts:users")).content.decode()
    assert f"The invitation of {invited} is cancelled" in listing
    row = listing.split(f">{invited.email}</a>", 1)[1].split("</tr>", 1)[0]
    assert "invitation cancelled" in row
    edit = admin_client_org.get(reverse("accounts:user_edit", args=[invited.pk])).content.decode()
    assert "invitation cancelled" in edit
    assert "Cancel the invitation" not in edit


def test_an_expired_or_used_link_still_answers_404(admin_user, client):
    _invited, path = _invite(admin_user)
    assert _accept(client, path).status_code == 302
    used = client.get(path)
    assert used.status_code == 404
    assert "cancelled" not in used.content.decode()


def test_staff_deactivating_a_user_in_the_admin_ends_their_sessions_and_tokens(officer):
    """Reactivated later (say, once a stolen laptop is found), the account must not bring
    back the sessions and tokens that were alive when it was deactivated."""
    services.token_create(user=officer)
    old_session = verified_client(officer)
    staff = UserFactory(organisation=None, role=Role.VIEWER, is_staff=True, is_superuser=True)
    client = verified_client(staff)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    del data["is_active"]  # the box unticked
    assert client.post(url, data).status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert not AuthToken.objects.filter(user=officer).exists()
    assert AuditEvent.objects.filter(action="user.deactivate", target_id=str(officer.pk)).exists()
    officer.is_active = True  # reactivated by staff later
    officer.save(update_fields=["is_active"])
    assert old_session.get(reverse("home")).status_code == 302


def test_a_cancelled_invitation_can_be_sent_again(admin_user, client):
    """Inviting the same address again replaces the cancelled link with a fresh one."""
    invited, old_path = _invite(admin_user, role=Role.ADMIN)
    services.user_deactivate(user=invited, acting_user=admin_user)
    again, new_path = _invite(admin_user, role=Role.VIEWER)
    assert again.pk == invited.pk and again.role == Role.VIEWER
    assert client.get(old_path).status_code == 410
    assert _accept(client, new_path).status_code == 302
    again.refresh_from_db()
    assert again.is_active and again.role == Role.VIEWER


def test_an_address_of_another_organisation_still_cannot_be_invited(admin_user):
    elsewhere = UserFactory(is_active=False)
    elsewhere.set_unusable_password()
    elsewhere.save()
    with pytest.raises(ValidationError) as error:
        _invite(admin_user, email=elsewhere.email)
    assert "cannot be invited" in str(error.value)
