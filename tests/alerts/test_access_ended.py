"""What alerts stop when access ends short of a deactivation (the review of 2026-12-07):

- a member moved to another organisation hears nothing more of the old one's cases, and
  neither does the new one's webhook; what was queued for them there is not sent;
- a share that ends (revoked, or lowered) takes with it what was queued for the partner about
  the case and its access no longer covers;
- a step naming a network the organisation has left fires for nobody;
- a closed case's alerts chase nobody.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role, User
from accounts.services import user_staff_saved
from alerts.models import Alert, ChannelDelivery, Notification
from alerts.services.alerts import alert_escalate_due
from alerts.services.channels import webhook_save
from alerts.services.dispatch import delivery_send, notification_send
from alerts.services.policy import escalation_step_add
from alerts.services.sweep import escalate
from cases.services.case import case_close
from cases.services.sharing import share_revoke
from tests.alerts.channel_servers import webhook_receiver
from tests.alerts.factories import partner_with, raise_alert
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
    share_case,
)

pytestmark = pytest.mark.django_db

SECRET = "a-long-random-signing-secret"


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    with webhook_receiver(SECRET) as server:
        yield server


def _webhook(organisation, receiver):
    admin = UserFactory(organisation=organisation, role=Role.ADMIN)
    webhook_save(
        organisation=organisation,
        url=f"{receiver.url}/hook",
        secret=SECRET,
        kinds=["alert"],
        active=True,
        acting_user=admin,
    )


def _move(user, to):
    """What platform staff do in the Django admin."""
    previous = user.organisation_id
    user.organisation = to
    user.save()
    staff = UserFactory(organisation=None, role=Role.ADMIN, is_staff=True)
    user_staff_saved(
        user=user, previous_organisation_id=previous, previous_role=user.role, acting_user=staff
    )


def _send_everything():
    for row in Notification.objects.unscoped().filter(status="pending"):
        notification_send(notification_id=row.pk)
    for row in ChannelDelivery.objects.unscoped().filter(status="pending"):
        delivery_send(delivery_id=row.pk)


@pytest.fixture
def moved(org, officer):
    """The case's lead officer, moved to embassy B (a rotation)."""
    embassy_b = OrganisationFactory(name="Embassy B")
    lead = UserFactory(organisation=org, role=Role.OFFICER, email="lead@a.example")
    case = CaseFactory(organisation=org, pseudonym="Ceiba", lead_officer=lead)
    return case, lead, embassy_b


# --- a member moved to another organisation ---------------------------------------------------


def test_a_lead_officer_moved_away_hears_nothing_more_of_the_old_cases(
    moved, officer, admin_user, receiver
):
    case, lead, embassy_b = moved
    _webhook(embassy_b, receiver)
    _move(lead, embassy_b)
    raise_alert(case, officer)
    assert not Notification.objects.unscoped().filter(recipient=lead).exists()
    assert not ChannelDelivery.objects.unscoped().filter(organisation=embassy_b).exists()
    _send_everything()
    assert "lead@a.example" not in {address for message in mail.outbox for address in message.to}
    assert receiver.accepted == []
    # the owner's members still are told
    assert Notification.objects.unscoped().filter(recipient=admin_user, kind="alert").exists()


def test_what_was_queued_for_a_moved_member_is_not_sent_nor_kept_in_their_inbox(moved, officer):
    case, lead, embassy_b = moved
    raise_alert(case, officer)
    queued = Notification.objects.unscoped().get(recipient=lead, kind="alert")
    assert queued.status == "pending"
    _move(lead, embassy_b)
    queued.refresh_from_db()
    assert (queued.status, queued.last_error) == (
        "skipped",
        "recipient moved to another organisation",
    )
    _send_everything()
    assert "lead@a.example" not in {address for message in mail.outbox for address in message.to}
    inbox = verified_client(lead).get(reverse("alerts:notifications")).content.decode()
    assert "Ceiba" not in inbox


def test_the_send_checks_the_recipients_organisation_again(moved, officer):
    """A move the signal did not see (a row read before it, a script): the claim checks."""
    case, lead, embassy_b = moved
    raise_alert(case, officer)
    queued = Notification.objects.unscoped().get(recipient=lead, kind="alert")
    User.objects.filter(pk=lead.pk).update(organisation=embassy_b)
    assert notification_send(notification_id=queued.pk) is False
    queued.refresh_from_db()
    assert (queued.status, queued.last_error) == (
        "skipped",
        "recipient moved to another organisation",
    )
    assert mail.outbox == []


def test_acts_for_is_an_active_member_of_that_organisation_now():
    """``User.acts_for``: the one test of "may still be told of this organisation's cases"."""
    embassy_a, embassy_b = OrganisationFactory(), OrganisationFactory()
    officer = UserFactory(organisation=embassy_a, role=Role.OFFICER)
    assert officer.acts_for(embassy_a.pk)
    officer.organisation = embassy_b
    assert not officer.acts_for(embassy_a.pk)
    assert not officer.acts_for(None)
    officer.organisation, officer.is_active = embassy_a, False
    assert not officer.acts_for(embassy_a.pk)


# --- a share that ends ------------------------------------------------------------------------


def test_what_was_queued_for_a_partner_whose_share_was_revoked_is_not_sent(case, officer, receiver):
    partner, partner_officer, _viewer = partner_with(case, "full", acting_user=officer)
    _webhook(partner, receiver)
    raise_alert(case, officer)
    queued = Notification.objects.unscoped().get(recipient=partner_officer, kind="alert")
    assert ChannelDelivery.objects.unscoped().filter(organisation=partner).exists()
    share = case.shares.get(partner=partner, status="active")
    share_revoke(share=share, acting_user=officer)
    queued.refresh_from_db()
    assert (queued.status, queued.last_error) == ("skipped", "the share of the case ended")
    _send_everything()
    to_the_partner = [m.subject for m in mail.outbox if partner_officer.email in m.to]
    assert len(to_the_partner) == 1 and "access to case" in to_the_partner[0]
    assert receiver.accepted == []
    # what the partner is told instead: its access ended (no case link, no alert)
    ended = Notification.objects.unscoped().get(recipient=partner_officer, kind="share")
    assert "access to case" in ended.subject and ended.status == "sent"


def test_a_share_lowered_to_feedback_stops_the_alerts_and_keeps_the_rest(case, officer):
    partner, partner_officer, _viewer = partner_with(case, "full", acting_user=officer)
    raise_alert(case, officer)
    share_case(case, partner, "feedback", acting_user=officer)
    rows = {
        row.kind: (row.status, row.last_error)
        for row in Notification.objects.unscoped().filter(recipient=partner_officer)
    }
    assert rows["alert"] == ("skipped", "the share of the case ended")
    # "your access changed: feedback" links to the case, which feedback still opens
    assert rows["share"] == ("pending", "")


def test_a_share_raised_to_full_keeps_what_was_queued(case, officer):
    partner = OrganisationFactory(kind=Organisation.Kind.NGO)
    partner_officer = UserFactory(organisation=partner, role=Role.OFFICER)
    share_case(case, partner, "feedback", acting_user=officer)
    shared = Notification.objects.unscoped().get(recipient=partner_officer, kind="share")
    share_case(case, partner, "full", acting_user=officer)
    shared.refresh_from_db()
    assert shared.status == "pending"


# --- escalation -------------------------------------------------------------------------------


@pytest.mark.parametrize("left", [True, False], ids=["left", "still a member"])
def test_a_step_naming_a_network_reaches_its_coordinators_only_while_a_member(
    org, admin_user, officer, case, left
):
    secretariat = OrganisationFactory(name="Network secretariat")
    coordinator = UserFactory(organisation=secretariat, role=Role.COORDINATOR)
    network = NetworkFactory(members=[org, secretariat])
    escalation_step_add(
        organisation=org,
        after_minutes=5,
        target="network_coordinators",
        network=network,
        acting_user=admin_user,
    )
    if left:
        network.members.remove(org)
    alert = Alert.objects.unscoped().get(pk=raise_alert(case, officer).pk)
    alert_escalate_due(alert=alert, now=timezone.now() + datetime.timedelta(minutes=10))
    told = Notification.objects.unscoped().filter(recipient=coordinator).exists()
    assert told is not left


def test_a_closed_cases_alerts_chase_nobody(org, admin_user, officer, case):
    partner_with(case, "full", acting_user=officer)
    escalation_step_add(
        organisation=org, after_minutes=5, target="role", role=Role.ADMIN, acting_user=admin_user
    )
    raise_alert(case, officer)
    open_case = CaseFactory(organisation=org, lead_officer=officer)
    raise_alert(open_case, officer)
    case_close(case=case, reason="relocated", acting_user=admin_user)
    before = set(Notification.objects.unscoped().values_list("pk", flat=True))
    later = timezone.now() + datetime.timedelta(hours=3)
    escalate(later)
    new = Notification.objects.unscoped().exclude(pk__in=before)
    assert new.exists()  # the open case's alert is still chased
    assert not new.filter(alert__case=case).exists()
    assert Alert.objects.unscoped().get(case=case).status == "raised"  # the owner resolves it
