"""A yes/no query parameter of the API (hrdcase.api.query_flag) means what it says: the
schema documents ``unread`` as a boolean, and ``?unread=false`` listed only the unread ones."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Notification
from alerts.services.notify import notify
from tests.conftest import verified_client
from tests.logbooks.factories import followed_case

pytestmark = pytest.mark.django_db


def test_unread_false_lists_the_read_notifications_too(officer):
    for subject in ("one", "two"):
        notify(
            recipients=[officer],
            kind="reminder",
            subject=subject,
            dedupe_key=f"test:{subject}",
            email=False,
        )
    Notification.objects.for_recipient(officer).filter(subject="one").update(read_at=timezone.now())
    client = verified_client(officer)
    url = reverse("api:notification-list")
    assert client.get(url, {"unread": "false"}).json()["count"] == 2
    assert client.get(url, {"unread": "true"}).json()["count"] == 1
    assert client.get(url, {"unread": "1"}).json()["count"] == 1
    assert client.get(url).json()["count"] == 2
    response = client.get(url, {"unread": "sometimes"})
    assert response.status_code == 400
    assert list(response.json()) == ["unread"]


def test_unread_false_lists_the_whole_inbox():
    followed = followed_case()
    client = verified_client(followed.owner)
    assert client.get("/api/v1/inbox/", {"unread": "1"}).json()["count"] == 1
    client.post("/api/v1/inbox/read-all/")
    assert client.get("/api/v1/inbox/", {"unread": "true"}).json()["count"] == 0
    assert client.get("/api/v1/inbox/", {"unread": "false"}).json()["count"] == 1
    response = client.get("/api/v1/inbox/", {"unread": "maybe"})
    assert response.status_code == 400
    assert list(response.json()) == ["unread"]
