"""Alerts: raising, acknowledging and resolving them, on the service, the pages and the API;
who is told, who may act, what is written, and what the case page and the alert list show."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from alerts.models import Alert, Notification
from alerts.selectors.alerts import alerts_for
from alerts.services.alerts import alert_acknowledge, alert_raise, alert_resolve
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent
from tests.alerts.factories import partner_with, post_json, raise_alert
from tests.conftest import verified_client
from tests.factories import CaseFactory, UserFactory
from tests.queries import counting, get_counting

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


def test_it_refuses_an_alert_on_a_foreign_or_relocation_case(case, officer, outsider, viewer):
    # A feedback partner may raise one (issue 21: tests/alerts/test_partner_alerts.py).
    _p, relocation_officer, _v = partner_with(case, "relocation", acting_user=officer)
    _f, _fo, feedback_viewer = partner_with(case, "feedback", acting_user=officer)
    for user in (outsider, relocation_officer, viewer, feedback_viewer):
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


def test_it_raises_an_alert_through_the_api(case, officer_client, admin_user):
    response = post_json(
        officer_client,
        reverse("api:alert-list"),
        {"case": str(case.pk), "kind": "raid", "severity": "critical", "message": "Office raided."},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "raised" and body["message"] == "Office raided."
    assert body["pseudonym"] == case.pseudonym
    assert Notification.objects.for_recipient(admin_user).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"message": ""}, "message"),
        ({"kind": "kidnapped"}, "kind"),
        ({"case": str(uuid.uuid4())}, "case"),
        ({"case": "not-a-uuid"}, "case"),
    ],
)
def test_it_answers_400_to_bad_input_and_writes_nothing(case, officer_client, payload, field):
    data = {"case": str(case.pk), "kind": "raid", "severity": "high", "message": "x"} | payload
    response = post_json(officer_client, reverse("api:alert-list"), data)
    assert response.status_code == 400
    assert field in response.json()
    assert not Alert.objects.unscoped().exists()
    assert not Notification.objects.unscoped().exists()


def test_it_refuses_foreign_and_closed_cases(org, officer_client, other_org):
    foreign = CaseFactory(organisation=other_org)
    closed = CaseFactory(
        organisation=org, status="closed", closed_on="2026-03-05", closing_reason="other"
    )
    for case in (foreign, closed):
        response = post_json(
            officer_client,
            reverse("api:alert-list"),
            {"case": str(case.pk), "kind": "raid", "message": "x"},
        )
        assert response.status_code == 400 and "case" in response.json()
    assert not Alert.objects.unscoped().exists()


def test_viewers_read_but_do_not_write(case, officer, viewer_client):
    alert = raise_alert(case, officer)
    assert viewer_client.get(reverse("api:alert-detail", args=[alert.pk])).status_code == 200
    response = post_json(
        viewer_client,
        reverse("api:alert-list"),
        {"case": str(case.pk), "kind": "raid", "message": "x"},
    )
    assert response.status_code == 403
    assert (
        post_json(viewer_client, reverse("api:alert-acknowledge", args=[alert.pk])).status_code
        == 403
    )


def test_acknowledge_and_resolve_with_conflicts(case, officer, officer_client):
    alert = raise_alert(case, UserFactory(organisation=case.organisation, role="officer"))
    url = reverse("api:alert-acknowledge", args=[alert.pk])
    assert post_json(officer_client, url).json()["status"] == "acknowledged"
    response = post_json(officer_client, url)
    assert response.status_code == 409 and response.json()["allowed"] == ["resolve"]
    resolve = reverse("api:alert-resolve", args=[alert.pk])
    assert post_json(officer_client, resolve, {"note": ""}).status_code == 400
    assert post_json(officer_client, resolve, {"note": "Released."}).json()["status"] == "resolved"
    assert post_json(officer_client, resolve, {"note": "Again."}).status_code == 409


def test_a_full_partner_acknowledges_but_cannot_resolve(case, officer):
    _p, partner_officer, _v = partner_with(case, "full", acting_user=officer)
    alert = raise_alert(case, officer)
    client = verified_client(partner_officer)
    assert client.get(reverse("api:alert-list")).json()["count"] == 1
    assert post_json(client, reverse("api:alert-acknowledge", args=[alert.pk])).status_code == 200
    assert (
        post_json(client, reverse("api:alert-resolve", args=[alert.pk]), {"note": "ok"}).status_code
        == 403
    )


def test_the_list_is_scoped_and_has_a_fixed_query_count(
    org, officer, officer_client, outsider_client
):
    raise_alert(CaseFactory(organisation=org), officer)
    url = reverse("api:alert-list")
    one = get_counting(officer_client, url, max_queries=10, contains='"count":1,')
    for _ in range(4):
        raise_alert(CaseFactory(organisation=org), officer)
    five = get_counting(officer_client, url, queries=len(one.queries), contains='"count":5,')
    assert five.json()["count"] == 5  # and no N+1: the same queries as for one
    assert outsider_client.get(reverse("api:alert-list")).json()["count"] == 0


def test_the_case_page_shows_the_alert_button_to_writers_with_full_access(
    case, officer, officer_client, viewer_client
):
    page = officer_client.get(reverse("cases:detail", args=[case.pk]))
    assert b"Raise an urgent alert" in page.content
    assert reverse("alerts:raise", args=[case.pk]).encode() in page.content
    page = viewer_client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert b"Urgent alerts" in page.content and b"Raise an urgent alert" not in page.content
    # A feedback partner raises one too (issue 21), and sees only the alerts it raised.
    raise_alert(case, officer)
    _p, feedback_officer, _v = partner_with(case, "feedback", acting_user=officer)
    page = verified_client(feedback_officer).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and b"Raise an urgent alert" in page.content
    assert b"has raised no alert on this case" in page.content
    _r, relocation_officer, _v = partner_with(case, "relocation", acting_user=officer)
    page = verified_client(relocation_officer).get(reverse("cases:detail", args=[case.pk]))
    assert b"Urgent alerts" not in page.content


def test_it_raises_from_the_form_and_shows_the_alert(case, officer, officer_client, admin_user):
    response = officer_client.post(
        reverse("alerts:raise", args=[case.pk]),
        {"kind": "missing", "severity": "critical", "message": "No news since the march."},
    )
    alert = Alert.objects.visible_to(officer).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "alerts:detail", args=[alert.pk]
    )
    page = officer_client.get(response["Location"])
    assert b"No news since the march." in page.content
    assert [n.recipient for n in page.context["history"]] == [admin_user]  # history


def test_it_shows_form_errors_and_writes_nothing(case, officer_client):
    response = officer_client.post(
        reverse("alerts:raise", args=[case.pk]), {"kind": "nope", "severity": "high", "message": ""}
    )
    assert response.status_code == 400
    assert not Alert.objects.unscoped().exists()


def test_viewers_cannot_raise_acknowledge_or_resolve(case, officer, viewer_client):
    assert viewer_client.post(reverse("alerts:raise", args=[case.pk]), {}).status_code == 403
    alert = raise_alert(case, officer)
    assert viewer_client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 200
    assert viewer_client.post(reverse("alerts:acknowledge", args=[alert.pk])).status_code == 403
    assert (
        viewer_client.post(reverse("alerts:resolve", args=[alert.pk]), {"note": "x"}).status_code
        == 403
    )
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RAISED


def test_it_acknowledges_and_resolves_from_the_alert_page(case, officer, admin_client_org):
    alert = raise_alert(case, officer)
    page = admin_client_org.get(reverse("alerts:detail", args=[alert.pk]))
    assert b"Acknowledge" in page.content
    admin_client_org.post(reverse("alerts:acknowledge", args=[alert.pk]))
    response = admin_client_org.post(reverse("alerts:acknowledge", args=[alert.pk]), follow=True)
    assert b"already" in response.content
    response = admin_client_org.post(reverse("alerts:resolve", args=[alert.pk]), {"note": ""})
    assert response.status_code == 400
    admin_client_org.post(reverse("alerts:resolve", args=[alert.pk]), {"note": "Released."})
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RESOLVED


def test_the_alert_list_shows_open_first_with_a_fixed_number_of_queries(
    org, officer, officer_client
):
    first = raise_alert(CaseFactory(organisation=org), officer)
    for _ in range(4):
        raise_alert(CaseFactory(organisation=org), officer)
    from alerts.services.alerts import alert_resolve

    alert_resolve(alert=first, acting_user=officer, note="done")
    page = get_counting(
        officer_client,
        reverse("alerts:list") + "?status=all",
        max_queries=12,
        contains=first.case.pseudonym,
    )
    alerts = list(page.context["alerts"])
    assert len(alerts) == 5 and alerts[-1].pk == first.pk
    assert len(officer_client.get(reverse("alerts:list")).context["alerts"]) == 4


def test_the_alert_list_is_empty_for_another_organisation(case, officer, outsider_client):
    raise_alert(case, officer)
    page = outsider_client.get(reverse("alerts:list"))
    assert page.status_code == 200 and list(page.context["alerts"]) == []
    assert b"No open alert" in page.content


def test_opening_the_alert_reads_its_notifications(case, officer, admin_client_org, admin_user):
    alert = raise_alert(case, officer)
    admin_client_org.get(reverse("alerts:detail", args=[alert.pk]))
    assert not Notification.objects.for_recipient(admin_user).filter(read_at=None).exists()


def test_the_timeline_shows_alerts_to_full_level_viewers_only(case, officer, officer_client):
    raise_alert(case, officer)
    logbook = reverse("cases:section", args=[case.pk, "logbook"])
    page = officer_client.get(logbook)
    assert b"timeline-alert" in page.content
    _p, feedback_officer, _v = partner_with(case, "feedback", acting_user=officer)
    page = verified_client(feedback_officer).get(logbook)
    assert page.status_code == 200 and b"timeline-alert" not in page.content


def test_raising_costs_the_same_queries_for_two_recipients_or_eight(case, officer, admin_user):
    """A burst of alerts (issue 24) is as fast as one raise: no query per recipient (their
    rows, their organisations' time zones and the "sent to" line are read in bulk), and none
    read back or validated twice: 14 statements, 15 with PostgreSQL's audit chain lock."""
    raiser = UserFactory(organisation=case.organisation, role=Role.OFFICER)
    raise_alert(CaseFactory(organisation=case.organisation), raiser)  # caches warmed
    with counting(max_queries=15) as few:
        raise_alert(case, raiser)
    other = CaseFactory(organisation=case.organisation, lead_officer=officer)
    for n in range(6):
        UserFactory(organisation=case.organisation, role=Role.ADMIN, email=f"admin{n}@a.example")
    with counting(queries=len(few.sql)):
        alert = raise_alert(other, raiser)
    assert alert.notifications.count() == 8
