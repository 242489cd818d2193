"""The alert pages: case panel, raise, detail, acknowledge/resolve, list, notification centre,
policy and check-ins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alerts.models import Alert, Notification
from alerts.services.sweep import sweep
from tests.alerts.factories import partner_with, raise_alert
from tests.conftest import verified_client
from tests.factories import CaseFactory, UserFactory
from tests.queries import get_counting

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_the_alert_button_to_writers_with_full_access(
    case, officer, officer_client, viewer_client
):
    page = officer_client.get(reverse("cases:detail", args=[case.pk]))
    assert b"Raise an urgent alert" in page.content
    assert reverse("alerts:raise", args=[case.pk]).encode() in page.content
    page = viewer_client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert b"Urgent alerts" in page.content and b"Raise an urgent alert" not in page.content
    _p, feedback_officer, _v = partner_with(case, "feedback", acting_user=officer)
    page = verified_client(feedback_officer).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and b"Urgent alerts" not in page.content


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


def test_the_notification_centre_lists_only_my_notifications(case, officer, admin_user, viewer):
    colleague = UserFactory(organisation=case.organisation, role="officer")
    raise_alert(case, colleague)
    client = verified_client(officer)
    page = client.get(reverse("alerts:notifications"))
    notes = list(page.context["notifications"])
    assert [n.recipient_id for n in notes] == [officer.pk]
    assert page.context["unread"] == 1
    # acknowledge straight from the notification
    assert reverse("alerts:acknowledge", args=[notes[0].alert_id]).encode() in page.content
    badge = client.get(reverse("alerts:unread_count"))
    assert b'id="notification-count"' in badge.content and b">1<" in badge.content
    assert b'hx-trigger="every 30s"' in badge.content
    # the menu carries the polling badge
    home = client.get(reverse("alerts:notifications"))
    assert b'hx-get="/alerts/notifications/unread-count/"' in home.content
    client.post(reverse("alerts:notification_read", args=[notes[0].pk]))
    assert client.get(reverse("alerts:unread_count")).content.count(b">1<") == 0
    # another user's notification is not mine to mark
    other = Notification.objects.for_recipient(admin_user).get()
    assert client.post(reverse("alerts:notification_read", args=[other.pk])).status_code == 404
    verified_client(admin_user).post(reverse("alerts:notifications_read_all"))
    assert not Notification.objects.for_recipient(admin_user).filter(read_at=None).exists()
    assert verified_client(viewer).get(reverse("alerts:notifications")).context["unread"] == 0


def test_the_unread_badge_stops_polling_and_reloads_the_page_when_logged_out(client):
    response = client.get(reverse("alerts:unread_count"), headers={"X-Idle-Poll": "1"})
    assert response.status_code == 286
    assert response["HX-Refresh"] == "true"  # the login page replaces the screen


def test_opening_the_alert_reads_its_notifications(case, officer, admin_client_org, admin_user):
    alert = raise_alert(case, officer)
    admin_client_org.get(reverse("alerts:detail", args=[alert.pk]))
    assert not Notification.objects.for_recipient(admin_user).filter(read_at=None).exists()


def test_admins_edit_the_policy_page(org, admin_client_org, officer_client):
    page = admin_client_org.get(reverse("alerts:policy"))
    assert b"15 min unacknowledged" in page.content
    response = admin_client_org.post(
        reverse("alerts:policy"), {"after_minutes": "-3", "target": "role", "role": "admin"}
    )
    assert response.status_code == 400
    response = admin_client_org.post(
        reverse("alerts:policy"), {"after_minutes": "15", "target": "role", "role": "officer"}
    )
    assert response.status_code == 400 and b"already fires after 15" in response.content
    response = admin_client_org.post(
        reverse("alerts:policy"), {"after_minutes": "5", "target": "role", "role": "officer"}
    )
    assert response.status_code == 302
    assert officer_client.get(reverse("alerts:policy")).status_code == 200
    assert officer_client.post(reverse("alerts:policy_reset")).status_code == 403
    steps = page.context["steps"]
    assert (
        officer_client.post(reverse("alerts:policy_step_remove", args=[steps[0].pk])).status_code
        == 403
    )
    admin_client_org.post(reverse("alerts:policy_step_remove", args=[steps[0].pk]))
    admin_client_org.post(reverse("alerts:policy_reset"))


def test_check_in_pages(case, officer, officer_client):
    url = reverse("alerts:check_ins", args=[case.pk])
    assert b"No check-in schedule" in officer_client.get(url).content
    response = officer_client.post(
        reverse("alerts:check_in_schedule", args=[case.pk]),
        {"interval_hours": "0", "grace_minutes": "30"},
    )
    assert response.status_code == 400
    officer_client.post(
        reverse("alerts:check_in_schedule", args=[case.pk]),
        {"interval_hours": "12", "grace_minutes": "30"},
    )
    assert b"every 12 hours" in officer_client.get(url).content
    officer_client.post(url, {"note": "Called from the bus."})
    assert b"Called from the bus." in officer_client.get(url).content
    officer_client.post(reverse("alerts:check_in_schedule_stop", args=[case.pk]))
    assert b"No check-in schedule" in officer_client.get(url).content


def test_the_timeline_shows_alerts_to_full_level_viewers_only(case, officer, officer_client):
    raise_alert(case, officer)
    page = officer_client.get(reverse("cases:detail", args=[case.pk]))
    assert b"timeline-alert" in page.content
    _p, feedback_officer, _v = partner_with(case, "feedback", acting_user=officer)
    page = verified_client(feedback_officer).get(reverse("cases:detail", args=[case.pk]))
    assert b"timeline-alert" not in page.content


def test_the_health_page_for_platform_staff(case, officer):
    raise_alert(case, officer)
    sweep()
    staff = UserFactory(is_staff=True, is_superuser=True, organisation=None)
    page = verified_client(staff).get(reverse("admin:alerts_pipelinestate_changelist"))
    assert page.status_code == 200
    assert b"Oldest pending" in page.content and b"Last sweep" in page.content
    assert case.pseudonym.encode() not in page.content


def test_the_notification_centre_has_a_fixed_number_of_queries(case, officer):
    from alerts.services.notify import notify

    client = verified_client(officer)
    url = reverse("alerts:notifications")
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due", dedupe_key="a")
    raise_alert(case, UserFactory(organisation=case.organisation, role="officer"))
    few = get_counting(client, url, contains="Follow-up due")
    for n in range(10):
        notify(recipients=[officer], kind="follow_up", subject="Follow-up due", dedupe_key=f"b{n}")
    page = get_counting(client, url, queries=len(few.queries), contains="Follow-up due")
    assert len(page.context["notifications"]) == 12
