"""The one inbox: categories (alerts, decisions, shared entries, coordination, reminders),
read/unread, mark one / mark all read per category, pagination, the menu's one badge, and the
API the same (filters, read, read-all); an unknown category is refused with a word."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.urls import reverse

from alerts.kinds import KINDS, Category, category_of, override
from alerts.models import Notification
from alerts.selectors.notifications import inbox_for, unread_by_category, unread_count
from alerts.services.notify import notify
from tests.alerts.factories import post_json, raise_alert
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("alerts:notifications")

#: one kind of each category, and what its line says
ONE_OF_EACH = {
    "follow_up": "Logbook follow-up due: Ceiba",
    "share": "Case Ceiba shared with your organisation: feedback",
    "coordination_request": "Coordination request on case Ceiba from Voces",
    "visa_referral": "Visa referral to decide: Ceiba",
    "alert_acknowledged": "Urgent alert on Ceiba acknowledged",
}


@pytest.fixture
def inbox(officer):
    """The officer's inbox: one line of five kinds (four categories), all unread."""
    for kind, subject in ONE_OF_EACH.items():
        notify(recipients=[officer], kind=kind, subject=subject, dedupe_key=f"t.{kind}")
    return officer


def _subjects(response) -> set[str]:
    return {n.subject for n in response.context["notifications"]}


def test_every_kind_has_one_category_and_every_category_a_kind():
    assert {k.category for k in KINDS.values()} == set(Category)
    assert category_of("alert") == "alerts" and category_of("nothing-known") is None
    urgent = {kind.kind for kind in KINDS.values() if kind.urgent}
    assert urgent == {"alert", "alert_escalation", "alert_reminder"}


def test_it_filters_by_category_and_counts_the_unread_per_category(inbox):
    client = verified_client(inbox)
    page = client.get(INBOX)
    assert _subjects(page) == set(ONE_OF_EACH.values())
    body = page.content.decode()
    for label in ["Alerts", "Decisions", "Shared entries", "Coordination", "Reminders"]:
        assert label in body
    expected = {
        "reminders": {ONE_OF_EACH["follow_up"]},
        "coordination": {ONE_OF_EACH["share"], ONE_OF_EACH["coordination_request"]},
        "decisions": {ONE_OF_EACH["visa_referral"]},
        "shared_entries": set(),  # a partner's entry: tests/logbooks/test_inbox.py
        "alerts": {ONE_OF_EACH["alert_acknowledged"]},
    }
    for category, subjects in expected.items():
        response = client.get(INBOX, {"category": category})
        assert _subjects(response) == subjects, category
        assert response.context["unread"] == len(subjects)
    assert unread_by_category(inbox) == {
        "all": 5,
        "alerts": 1,
        "decisions": 1,
        "shared_entries": 0,
        "coordination": 2,
        "reminders": 1,
    }


def test_read_and_unread_filters_and_marking_one_read(inbox):
    client = verified_client(inbox)
    share = Notification.objects.for_recipient(inbox).get(kind="share")
    response = client.post(reverse("alerts:notification_read", args=[share.pk]), {"next": INBOX})
    assert response.url == INBOX
    assert ONE_OF_EACH["share"] not in _subjects(client.get(INBOX, {"unread": "1"}))
    unread_coordination = client.get(INBOX, {"category": "coordination", "unread": "1"})
    assert _subjects(unread_coordination) == {ONE_OF_EACH["coordination_request"]}
    assert unread_count(inbox) == 4


def test_opening_a_line_reads_it_and_follows_its_link(officer):
    notify(
        recipients=[officer],
        kind="share",
        subject="Case Ceiba shared with your organisation: full access",
        dedupe_key="open",
        url="/cases/",
    )
    note = Notification.objects.for_recipient(officer).get()
    client = verified_client(officer)
    body = client.get(INBOX).content.decode()
    assert reverse("alerts:notification_read", args=[note.pk]) in body  # unread: a button
    response = client.post(reverse("alerts:notification_read", args=[note.pk]), {"open": "1"})
    assert response.url == "/cases/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'href="/cases/"' in client.get(INBOX).content.decode()  # read: a plain link


def test_mark_all_read_reads_the_category_shown_only(inbox):
    client = verified_client(inbox)
    response = client.post(
        reverse("alerts:notifications_read_all"),
        {"category": "coordination", "next": INBOX + "?category=coordination"},
        follow=True,
    )
    assert "2 notification(s) marked as read." in response.content.decode()
    assert unread_by_category(inbox)["coordination"] == 0
    assert unread_count(inbox) == 3
    client.post(reverse("alerts:notifications_read_all"))
    assert unread_count(inbox) == 0


def test_an_unknown_category_is_refused_with_a_word(inbox):
    client = verified_client(inbox)
    response = client.get(INBOX, {"category": "gossip"})
    assert response.status_code == 400
    assert "Unknown category gossip" in response.content.decode()
    assert not response.context["notifications"]
    refused = client.post(reverse("alerts:notifications_read_all"), {"category": "gossip"})
    assert refused.status_code == 400
    assert unread_count(inbox) == 5  # nothing marked
    api = client.get(reverse("api:notification-list"), {"category": "gossip"})
    assert api.status_code == 400 and "category" in api.json()
    api = post_json(client, reverse("api:notification-read-all") + "?category=gossip")
    assert api.status_code == 400 and "category" in api.json()


def test_the_inbox_is_cut_into_pages_that_keep_the_filter(officer):
    for n in range(55):
        notify(recipients=[officer], kind="follow_up", subject=f"Due {n}", dedupe_key=f"p{n}")
    client = verified_client(officer)
    first = client.get(INBOX, {"category": "reminders"})
    assert len(first.context["notifications"]) == 50
    assert "category=reminders&amp;page=2" in first.content.decode() or (
        "category=reminders&page=2" in first.content.decode()
    )
    second = client.get(INBOX, {"category": "reminders", "page": "2"})
    assert len(second.context["notifications"]) == 5


def test_the_api_filters_by_category_and_read_state_and_reads_a_category(inbox):
    client = verified_client(inbox)
    url = reverse("api:notification-list")
    rows = client.get(url, {"category": "coordination"}).json()["results"]
    assert {row["subject"] for row in rows} == {
        ONE_OF_EACH["share"],
        ONE_OF_EACH["coordination_request"],
    }
    assert {row["category"] for row in rows} == {"coordination"}
    answer = post_json(client, reverse("api:notification-read-all") + "?category=coordination")
    assert answer.json() == {"marked_read": 2}
    assert client.get(url, {"unread": "true"}).json()["count"] == 3
    one = Notification.objects.for_recipient(inbox).get(kind="follow_up")
    read = post_json(client, reverse("api:notification-read", args=[one.pk])).json()
    assert read["read_at"] and read["category"] == "reminders"
    assert client.get(url, {"unread": "true"}).json()["count"] == 2


def test_the_menu_has_one_inbox_badge_counting_every_category(inbox, case):
    raise_alert(case, UserFactory(organisation=case.organisation, role="officer"))
    client = verified_client(inbox)
    page = client.get(INBOX)
    labels = [item["label"] for item in page.context["nav"]["items"]]
    assert "Inbox" in labels and "Updates" not in labels and "Notifications" not in labels
    badge = client.get(reverse("alerts:unread_count")).content.decode()
    assert ">6<" in badge


def test_the_inbox_links_to_the_e_mail_preferences(inbox):
    body = verified_client(inbox).get(INBOX).content.decode()
    assert reverse("alerts:preferences") in body


def test_a_line_whose_object_is_no_longer_readable_leaves_the_inbox(officer):
    """The registry of readable sources: a kind whose object the user may not open now is
    hidden, counted nowhere, and its line answers 404."""
    notify(
        recipients=[officer],
        kind="shared_entry",
        subject="Shared entry on Ceiba: Call",
        dedupe_key="gone",
        source_id="00000000-0000-0000-0000-000000000001",
    )
    note = Notification.objects.for_recipient(officer).get()
    with override(readable_sources={"shared_entry": lambda user: Q(pk__in=[])}):
        assert not inbox_for(officer).exists()
        assert unread_count(officer) == 0 and unread_by_category(officer)["all"] == 0
        client = verified_client(officer)
        assert client.post(reverse("alerts:notification_read", args=[note.pk])).status_code == 404
    with override(readable_sources={}):
        assert inbox_for(officer).get() == note


def test_every_kind_the_code_notifies_has_a_category():
    """Every ``notify(kind=...)``, due item and referral kind written in the apps is in
    ``alerts.kinds``: a new kind gets its filter and its line on the preferences page."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    callers = {"notify", "DueItem", "ReferralKind", "_notify_split"}
    found = set()
    for app in ["alerts", "cases", "logbooks", "relocation", "work", "accounts", "dashboards"]:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in callers:
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
    assert {"alert", "share", "coordination_request", "visa_referral", "follow_up"} <= found
    assert found - set(KINDS) == set()
