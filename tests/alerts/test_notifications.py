"""The notification centre, on the pages and the API: each user reads and marks their own
notifications only; the menu's unread badge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alerts.models import Notification
from tests.alerts.factories import post_json, raise_alert
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.queries import get_counting

pytestmark = pytest.mark.django_db


def test_notifications_are_only_my_own(case, officer, admin_user):
    for _ in range(3):
        raise_alert(case, UserFactory(organisation=case.organisation, role="officer"))
    client = verified_client(officer)
    body = get_counting(
        client, reverse("api:notification-list"), max_queries=8, contains='"count":3,'
    ).json()
    assert body["count"] == 3
    ids = {row["id"] for row in body["results"]}
    assert ids == {
        str(pk) for pk in Notification.objects.for_recipient(officer).values_list("pk", flat=True)
    }
    theirs = Notification.objects.for_recipient(admin_user).first()
    assert post_json(client, reverse("api:notification-read", args=[theirs.pk])).status_code == 404
    mine = Notification.objects.for_recipient(officer).first()
    assert post_json(client, reverse("api:notification-read", args=[mine.pk])).json()["read_at"]
    assert client.get(reverse("api:notification-list") + "?unread=1").json()["count"] == 2
    assert post_json(client, reverse("api:notification-read-all")).json() == {"marked_read": 2}
    assert Notification.objects.for_recipient(admin_user).filter(read_at=None).count() == 3


def test_a_viewer_may_mark_own_notifications_read(case, officer, viewer):
    from alerts.services.notify import notify

    notify(recipients=[viewer], kind="follow_up", subject="Follow-up due", dedupe_key="t")
    client = verified_client(viewer)
    note = Notification.objects.for_recipient(viewer).get()
    assert post_json(client, reverse("api:notification-read", args=[note.pk])).status_code == 200
    assert post_json(client, reverse("api:notification-read-all")).status_code == 200


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


def test_a_key_written_meanwhile_by_another_caller_is_written_once(
    case, officer, admin_user, monkeypatch
):
    """Two callers telling of one event at once (two sweeps, a double submit): the second
    finds the keys free, then the first writes one of them. The second writes the others,
    returns only those, and its transaction goes on."""
    from alerts.services import notify as module

    real = module._not_told_yet

    def checked_then_raced(recipients, dedupe_key):
        fresh = real(recipients, dedupe_key)
        monkeypatch.setattr(module, "_not_told_yet", real)
        module.notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key=dedupe_key)
        return fresh

    monkeypatch.setattr(module, "_not_told_yet", checked_then_raced)
    created = module.notify(
        recipients=[officer, admin_user], kind="follow_up", subject="Due", dedupe_key="event"
    )
    assert [n.recipient_id for n in created] == [admin_user.pk]
    assert Notification.objects.for_recipient(officer).count() == 1
    assert Notification.objects.for_recipient(admin_user).count() == 1
