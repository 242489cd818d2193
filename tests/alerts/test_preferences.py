"""Notification preferences: per user, which kinds reach them by e-mail (every notification
reaches the inbox); urgent alerts always do, whatever is stored; saved choices are audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alerts.forms.preferences import choosable_kinds
from alerts.models import Notification, NotificationPreference
from alerts.selectors.preferences import email_choices_of
from alerts.services.notify import notify
from alerts.services.preferences import notification_preferences_save
from hrdcase.models import AuditEvent
from tests.alerts.factories import raise_alert
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("alerts:preferences")


def _status(user, kind, key="k"):
    notify(recipients=[user], kind=kind, subject="Something happened", dedupe_key=key)
    return Notification.objects.for_recipient(user).get(dedupe_key=f"{key}:{user.pk}").status


def test_the_page_lists_every_kind_by_category_urgent_ones_always_on(officer):
    response = verified_client(officer).get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    for legend in ["Alerts", "Decisions", "Shared entries", "Coordination", "Reminders"]:
        assert f"<legend>{legend}</legend>" in body
    # an urgent kind: checked, disabled, said to be always by e-mail
    assert 'value="alert" checked disabled' in body
    assert "always by e-mail" in body
    # a partner's shared entry: off by default; a share: on by default
    assert 'value="shared_entry">' in body
    assert 'value="share" checked>' in body
    # reached from the account menu and from the inbox
    assert f'href="{PAGE}"' in body
    inbox = verified_client(officer).get(reverse("alerts:notifications")).content.decode()
    assert f'href="{PAGE}"' in inbox


def test_choices_are_saved_per_user_audited_and_shown_again(officer, admin_user):
    client = verified_client(officer)
    wanted = [kind for kind in choosable_kinds() if kind != "share"]  # shared_entry ticked
    response = client.post(PAGE, {"email": wanted}, follow=True)
    assert "Your e-mail preferences are saved." in response.content.decode()
    choices = email_choices_of(officer)
    assert choices["share"] is False and choices["shared_entry"] is True
    assert choices["alert"] is True  # urgent: always
    body = response.content.decode()
    assert 'value="share">' in body and 'value="shared_entry" checked>' in body
    event = AuditEvent.objects.get(action="alerts.notification_preferences")
    assert event.actor_id == officer.pk and event.data["email_off"] == ["share"]
    # the colleague's own choices are untouched
    assert email_choices_of(admin_user)["share"] is True
    assert not NotificationPreference.objects.filter(user=admin_user).exists()


def test_notify_honours_the_choices_and_always_e_mails_urgent_alerts(case, officer):
    assert _status(officer, "share", "a") == Notification.Status.PENDING  # default: e-mail
    assert _status(officer, "shared_entry", "b") == Notification.Status.SKIPPED  # default off
    verified_client(officer).post(PAGE, {"email": ["shared_entry"]})  # everything else off
    assert _status(officer, "share", "c") == Notification.Status.SKIPPED
    assert _status(officer, "follow_up", "d") == Notification.Status.SKIPPED
    assert _status(officer, "shared_entry", "e") == Notification.Status.PENDING
    # even a stored "no" (written by hand) does not stop an urgent alert's e-mail
    NotificationPreference.objects.filter(user=officer).update(
        email={"alert": False, "alert_escalation": False}
    )
    raise_alert(case, UserFactory(organisation=case.organisation, role="officer"))
    alert = Notification.objects.for_recipient(officer).get(kind="alert")
    assert alert.status == Notification.Status.PENDING
    assert _status(officer, "alert_escalation", "f") == Notification.Status.PENDING
    # a kind the table does not know is e-mailed; the caller's email=False always wins
    assert _status(officer, "something_new", "g") == Notification.Status.PENDING
    notify(recipients=[officer], kind="share", subject="x", dedupe_key="h", email=False)
    quiet = Notification.objects.for_recipient(officer).get(dedupe_key=f"h:{officer.pk}")
    assert quiet.status == Notification.Status.SKIPPED


def test_urgent_alerts_cannot_be_turned_off_however_it_is_sent(officer):
    client = verified_client(officer)
    forged = client.post(PAGE, {"email": ["alert"]})  # not a choice the form offers
    assert forged.status_code == 400
    assert not NotificationPreference.objects.filter(user=officer).exists()
    with pytest.raises(ValidationError) as refused:
        notification_preferences_save(user=officer, email={"alert": False}, acting_user=officer)
    assert "always reach you by e-mail" in str(refused.value)
    with pytest.raises(ValidationError):
        notification_preferences_save(user=officer, email={"gossip": True}, acting_user=officer)


def test_only_the_user_chooses_their_own_e_mail(officer, admin_user):
    with pytest.raises(ValidationError):
        notification_preferences_save(user=officer, email={"share": False}, acting_user=admin_user)
    assert email_choices_of(officer)["share"] is True


def test_a_viewer_chooses_too_and_platform_staff_have_no_page(viewer, db):
    client = verified_client(viewer)
    assert client.post(PAGE, {"email": []}).status_code == 302
    assert email_choices_of(viewer)["share"] is False
    staff = UserFactory(organisation=None, is_staff=True, role="")
    assert verified_client(staff).get(PAGE).status_code == 404
