"""Partners' shared entries in the one inbox (alerts' notifications, category "shared
entries"): unread markers, read when opened / all read, the menu's one badge, the old
"Updates" address leading there, fixed query counts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from alerts.models import Notification
from alerts.selectors.notifications import unread_count
from tests.conftest import verified_client
from tests.logbooks.factories import followed_case, log
from tests.queries import get_counting

pytestmark = pytest.mark.django_db

SHARED = reverse("alerts:notifications") + "?category=shared_entries"


@pytest.fixture
def followed(db):
    return followed_case()


def _badge(client) -> str:
    """The menu's one inbox badge, as the user reads it on Home."""
    body = client.get(reverse("home"), follow=True).content.decode()
    assert 'id="logbooks-unread"' not in body  # no second badge
    return re.search(r'id="notification-count"[^>]*>([^<]*)<', body).group(1)


def _shared_unread(user) -> int:
    return unread_count(user, category="shared_entries")


def test_it_marks_an_entry_read_when_opened(followed):
    """The full partner (an NGO) has the owner's shared entry unread; opening it reads it."""
    ngo = followed.full
    assert _shared_unread(ngo) == 1
    client = verified_client(ngo)
    body = client.get(SHARED).content.decode()
    assert 'class="notification unread"' in body
    assert followed.case.pseudonym in body
    client.get(reverse("logbooks:entry_detail", args=[followed.entries["owner_shared"].pk]))
    assert _shared_unread(ngo) == 0
    assert 'class="notification unread"' not in client.get(SHARED).content.decode()


def test_opening_the_line_reads_it_and_leads_to_the_entry(followed):
    ngo = followed.full
    note = Notification.objects.for_recipient(ngo).get(kind="shared_entry")
    response = verified_client(ngo).post(
        reverse("alerts:notification_read", args=[note.pk]), {"open": "1"}
    )
    entry = followed.entries["owner_shared"]
    assert response.url == reverse("logbooks:entry_detail", args=[entry.pk])
    assert _shared_unread(ngo) == 0


def test_the_summary_never_reaches_the_inbox_line_nor_the_e_mail(followed):
    """The line names the pseudonym and the kind of entry: the text may be taken back later."""
    body = verified_client(followed.full).get(SHARED).content.decode()
    assert "Shared entry on" in body
    from tests.logbooks.factories import TEXTS

    assert TEXTS["owner_shared"] not in body
    note = Notification.objects.for_recipient(followed.full).get(kind="shared_entry")
    assert note.status == Notification.Status.SKIPPED  # no e-mail unless asked for


def test_a_correction_replaces_the_unread_line_of_the_earlier_version(followed):
    ngo = followed.full
    entry = followed.entries["owner_shared"]
    from logbooks.services.entries import entry_correct

    entry_correct(
        entry=entry,
        acting_user=followed.owner,
        kind="note",
        summary="Hearing moved to Monday.",
        visibility="shared",
    )
    assert _shared_unread(ngo) == 1
    assert "Shared entry corrected on" in verified_client(ngo).get(SHARED).content.decode()


def test_reading_is_per_user(followed):
    from accounts.models import Role
    from tests.factories import UserFactory

    # a colleague who joined later: the notification went to the members of the day
    colleague = UserFactory(organisation=followed.full.organisation, role=Role.VIEWER)
    log(followed.case, followed.owner, "shared", summary="Another update")
    verified_client(followed.full).post(reverse("logbooks:inbox_read_all"))
    assert _shared_unread(followed.full) == 0
    assert _shared_unread(colleague) == 1


def test_the_old_updates_address_leads_to_the_inbox_on_shared_entries(followed):
    client = verified_client(followed.full)
    assert client.get(reverse("logbooks:inbox")).url == SHARED
    assert client.get(reverse("logbooks:inbox") + "?unread=1").url == SHARED + "&unread=1"
    response = client.post(reverse("logbooks:inbox_read_all"))
    assert response.url == SHARED
    assert _shared_unread(followed.full) == 0


def test_mark_all_read_over_the_api(followed):
    client = verified_client(followed.owner)
    assert client.get("/api/v1/inbox/?unread=1").json()["count"] == 1  # the NGO's shared entry
    assert client.post("/api/v1/inbox/read-all/").json() == {"marked_read": 1}
    assert client.get("/api/v1/inbox/?unread=1").json()["count"] == 0
    notes = client.get("/api/v1/notifications/?category=shared_entries").json()
    assert [row["read_at"] is not None for row in notes["results"]] == [True]


def test_the_menu_shows_the_one_inbox_badge(followed):
    assert _badge(verified_client(followed.owner)) == "1"


def test_the_menu_badge_stops_counting_at_99_plus(followed):
    """The badge is on every page: it counts up to 100 unread and shows "99+" from there,
    while the inbox itself keeps the exact figure."""
    ngo = followed.full  # one unread entry already (the owner's shared one)
    for i in range(98):
        log(followed.case, followed.owner, "shared", summary=f"update {i}")
    client = verified_client(ngo)
    assert _badge(client) == "99"
    for i in range(3):
        log(followed.case, followed.owner, "shared", summary=f"more {i}")
    assert _badge(client) == "99+"
    assert unread_count(ngo) == 102
    assert unread_count(ngo, up_to=100) == 100


def test_the_badge_shows_a_new_entry_and_the_users_own_reads_at_once(
    followed, django_capture_on_commit_callbacks, badge_cache
):
    """The badge is cached per user (it is on every page); a new notification to the user and
    what the user reads show at once."""
    ngo = followed.full
    client = verified_client(ngo)
    assert _badge(client) == "1"
    with django_capture_on_commit_callbacks(execute=True):
        newer = log(followed.case, followed.owner, "shared", summary="Hearing moved to Monday.")
    assert _badge(client) == "2"
    with django_capture_on_commit_callbacks(execute=True):  # the read is committed
        client.get(reverse("logbooks:entry_detail", args=[newer.pk]))
    assert _badge(client) == "1"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("logbooks:inbox_read_all"))
    assert _badge(client) == ""


def test_the_inbox_costs_a_fixed_number_of_queries(followed):
    client = verified_client(followed.full)
    client.get(SHARED)
    few = get_counting(client, SHARED, contains="Shared entry on")
    for i in range(12):
        log(followed.case, followed.owner, "shared", summary=f"update {i}")
        log(followed.case, followed.feedback, "shared", summary=f"fb {i}")
    response = get_counting(
        client,
        SHARED,
        queries=len(few.queries),
        contains=f"Shared entry on {followed.case.pseudonym}",
    )
    assert response.content.decode().count('class="notification unread"') == 25


def test_the_api_inbox_costs_a_fixed_number_of_queries(followed):
    client = verified_client(followed.full)
    client.get("/api/v1/inbox/")
    few = get_counting(client, "/api/v1/inbox/", contains='"results":')
    for i in range(10):
        log(followed.case, followed.owner, "shared", summary=f"update {i}")
    get_counting(client, "/api/v1/inbox/", queries=len(few.queries), contains="update 9")


def test_the_inbox_is_empty_for_a_relocation_partner(followed):
    client = verified_client(followed.relocation)
    assert "No updates from partners yet." in client.get(SHARED).content.decode()
    assert _shared_unread(followed.relocation) == 0
    assert not Notification.objects.for_recipient(followed.relocation).exists()


def _unread_entries(user) -> list:
    """The unread shared entries as Home and the API's ``inbox/?unread=1`` read them (from
    the user's unread lines), checked against the entries' own rule (``inbox_for``: the
    entries a user sees, with an unread notification): one set, one order."""
    from logbooks.selectors.inbox import inbox_for, unread_entries

    from_lines = [entry.pk for entry in unread_entries(user)]
    assert from_lines == [entry.pk for entry in inbox_for(user).filter(is_unread=True)]
    if user.is_active:
        listed = verified_client(user).get("/api/v1/inbox/?unread=1").json()["results"]
        assert [row["id"] for row in listed] == [str(pk) for pk in from_lines]
        assert all(row["is_unread"] for row in listed)
    return from_lines


def test_the_unread_entries_follow_corrections_reads_and_ended_shares(followed):
    from cases.models import CaseShare
    from cases.services.sharing import share_revoke
    from logbooks.services.entries import entry_correct

    owner_shared = followed.entries["owner_shared"]
    full_shared = followed.entries["full_shared"]
    assert _unread_entries(followed.feedback) == [full_shared.pk, owner_shared.pk]
    assert _unread_entries(followed.full) == [owner_shared.pk]  # never its own entry
    assert _unread_entries(followed.owner) == [full_shared.pk]
    for nobody in (followed.relocation, followed.stranger):
        assert _unread_entries(nobody) == []

    def correct(entry, visibility):
        return entry_correct(
            entry=entry,
            acting_user=followed.owner,
            kind="note",
            summary="Hearing moved to Monday.",
            visibility=visibility,
        )

    corrected = correct(owner_shared, "shared")  # the line now names the latest version
    assert _unread_entries(followed.full) == [corrected.pk]
    correct(corrected, "internal")  # taken back: nothing left to read
    assert _unread_entries(followed.full) == []
    assert _unread_entries(followed.feedback) == [full_shared.pk]

    verified_client(followed.owner).get(
        reverse("logbooks:entry_detail", args=[full_shared.pk])
    )  # read by opening it
    assert _unread_entries(followed.owner) == []

    share = CaseShare.objects.owned_by(followed.case.organisation).get(
        partner=followed.feedback.organisation
    )
    share_revoke(share=share, acting_user=followed.owner)
    assert _unread_entries(followed.feedback) == []  # the line stays, the entry is gone
    assert Notification.objects.for_recipient(followed.feedback).filter(read_at=None).exists()


def test_a_deactivated_member_has_no_unread_entries(followed):
    followed.feedback.is_active = False
    followed.feedback.save(update_fields=["is_active"])
    assert _unread_entries(followed.feedback) == []
