"""Raising, acknowledging and resolving alerts: who is told, who may act, what is written."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from alerts.models import Alert, Notification
from alerts.selectors import alerts_for
from alerts.services.alerts import alert_acknowledge, alert_raise, alert_resolve
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent
from tests.alerts.factories import partner_with, raise_alert
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _recipients(alert) -> set:
    return set(alert.notifications.values_list("recipient__email", flat=True))


def test_it_notifies_the_owner_and_full_partners_only(case, officer, admin_user, viewer, outsider):
    colleague = UserFactory(organisation=case.organisation, role=Role.OFFICER)
    _full, full_officer, full_viewer = partner_with(case, "full", acting_user=officer)
    _feedback, feedback_officer, _ = partner_with(case, "feedback", acting_user=officer)

    alert = raise_alert(case, colleague)

    assert _recipients(alert) == {officer.email, admin_user.email, full_officer.email}
    assert alert.status == Alert.Status.RAISED
    assert alert.next_escalation_at is not None and alert.renotify_at is not None
    for user in (viewer, outsider, full_viewer, feedback_officer, colleague):
        assert user.email not in _recipients(alert)


def test_it_sends_emails_with_pseudonym_and_link_but_no_identity_or_message(
    case, officer, admin_user, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        raise_alert(case, admin_user, message="Held at the 5th precinct, lawyer refused.")
    assert [m.to for m in mail.outbox] == [[officer.email]]
    email = mail.outbox[0]
    text = email.subject + email.body
    assert case.pseudonym in email.subject
    assert "/alerts/" in email.body
    assert "precinct" not in text
    assert case.defender.legal_name not in text
    assert Notification.objects.for_recipient(officer).get().status == "sent"


def test_it_records_the_alert_encrypted_and_audited(case, officer):
    alert = raise_alert(case, officer, message="Raid on the office at dawn.")
    raw = Alert.objects.unscoped().filter(pk=alert.pk).values_list("message", flat=True).get()
    assert "Raid" not in raw
    assert Alert.objects.unscoped().get(pk=alert.pk).message == "Raid on the office at dawn."
    assert AuditEvent.objects.filter(action="alert.raise", target_id=str(alert.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"message": "   "}, "message"),
        ({"kind": "kidnapped"}, "kind"),
        ({"kind": "missed_check_in"}, "kind"),
        ({"severity": "apocalyptic"}, "severity"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(case, officer, fields, field):
    values = {"kind": "detained", "severity": "high", "message": "Detained."} | fields
    with pytest.raises(ValidationError) as error:
        alert_raise(case=case, acting_user=officer, **values)
    assert field in error.value.message_dict
    assert not Alert.objects.unscoped().exists()
    assert not Notification.objects.unscoped().exists()


def test_it_refuses_an_alert_on_a_closed_case(org, officer):
    case = CaseFactory(
        organisation=org, status="closed", closed_on="2026-03-05", closing_reason="other"
    )
    with pytest.raises(ValidationError) as error:
        raise_alert(case, officer)
    assert "closed" in str(error.value)
    assert not Alert.objects.unscoped().exists()


def test_it_refuses_an_alert_on_a_foreign_or_feedback_case(case, officer, outsider, viewer):
    _p, feedback_officer, _v = partner_with(case, "feedback", acting_user=officer)
    for user in (outsider, feedback_officer, viewer):
        with pytest.raises(PermissionDenied):
            raise_alert(case, user)
    assert not Alert.objects.unscoped().exists()


def test_a_full_partner_may_raise_and_acknowledge_but_not_resolve(case, officer, admin_user):
    _p, partner_officer, partner_viewer = partner_with(case, "full", acting_user=officer)
    alert = raise_alert(case, partner_officer)
    assert officer.email in _recipients(alert)
    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=alert, acting_user=partner_viewer)
    alert_acknowledge(alert=alert, acting_user=partner_officer)
    assert alert.acknowledged_by == partner_officer
    with pytest.raises(PermissionDenied):
        alert_resolve(alert=alert, acting_user=partner_officer, note="Released.")
    alert_resolve(alert=alert, acting_user=admin_user, note="Released.")
    assert alert.status == Alert.Status.RESOLVED


def test_it_records_time_to_acknowledge_and_stops_escalation(case, officer, admin_user):
    alert = raise_alert(case, officer)
    alert_acknowledge(alert=alert, acting_user=admin_user)
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    assert alert.seconds_to_acknowledge is not None and alert.seconds_to_acknowledge >= 0
    assert alert.next_escalation_at is None and alert.renotify_at is None
    assert AuditEvent.objects.filter(action="alert.acknowledge").exists()
    # the raiser hears of it in-app, no e-mail
    told = Notification.objects.for_recipient(officer).get(kind="alert_acknowledged")
    assert told.status == Notification.Status.SKIPPED
    with pytest.raises(StateConflict) as conflict:
        alert_acknowledge(alert=alert, acting_user=officer)
    assert conflict.value.allowed == ["resolve"]


def test_it_requires_a_note_to_resolve_and_refuses_twice(case, officer, viewer):
    alert = raise_alert(case, officer)
    with pytest.raises(ValidationError):
        alert_resolve(alert=alert, acting_user=officer, note=" ")
    with pytest.raises(PermissionDenied):
        alert_resolve(alert=alert, acting_user=viewer, note="ok")
    alert_resolve(alert=alert, acting_user=officer, note="Located, safe at home.")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED
    assert alert.acknowledged_at is not None  # resolving acknowledges too
    assert alert.resolution_note == "Located, safe at home."
    with pytest.raises(StateConflict):
        alert_resolve(alert=alert, acting_user=officer, note="again")
    assert AuditEvent.objects.filter(action="alert.resolve").count() == 1


def test_alerts_are_visible_to_owner_and_full_partner_only(case, officer, viewer, outsider):
    _f, full_officer, full_viewer = partner_with(case, "full", acting_user=officer)
    _fb, feedback_officer, _ = partner_with(case, "feedback", acting_user=officer)
    alert = raise_alert(case, officer)
    for user in (officer, viewer, full_officer, full_viewer):
        assert list(Alert.objects.visible_to(user)) == [alert]
    for user in (outsider, feedback_officer):
        assert not Alert.objects.visible_to(user).exists()


def test_the_status_filter_narrows_the_owners_and_the_full_partners_alerts(case, officer):
    """``alerts_for(status=...)`` narrows each half of the visible set (own alerts, alerts of
    cases held in full): the same alerts as filtering what the user sees."""
    _partner, partner_officer, _viewer = partner_with(case, "full", acting_user=officer)
    still_open = raise_alert(case, officer)
    resolved = raise_alert(case, officer, kind="raid")
    alert_resolve(alert=resolved, acting_user=officer, note="Released this morning.")
    other = raise_alert(CaseFactory(organisation=case.organisation), officer)  # not shared
    for user in (officer, partner_officer):
        seen = set(alerts_for(user).values_list("pk", flat=True))
        open_ = set(alerts_for(user, status="open").values_list("pk", flat=True))
        closed = set(alerts_for(user, status="resolved").values_list("pk", flat=True))
        assert still_open.pk in open_ and resolved.pk in closed
        assert open_ == seen - {resolved.pk} and closed == {resolved.pk}
        assert (other.pk in seen) == (user == officer)
