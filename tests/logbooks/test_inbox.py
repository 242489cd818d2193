"""The "updates on cases I shared" inbox: other organisations' shared entries, unread
markers, mark read on open / all read, menu badge, fixed query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from logbooks.selectors.inbox import inbox_unread_count
from tests.conftest import verified_client
from tests.logbooks.factories import followed_case, log
from tests.queries import get_counting

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(db):
    return followed_case()


def test_it_marks_an_entry_read_when_opened(followed):
    """The full partner (an NGO) has the owner's shared entry unread; opening it reads it."""
    ngo = followed.full
    assert inbox_unread_count(ngo) == 1
    client = verified_client(ngo)
    body = client.get(reverse("logbooks:inbox")).content.decode()
    assert 'class="unread"' in body
    client.get(reverse("logbooks:entry_detail", args=[followed.entries["owner_shared"].pk]))
    assert inbox_unread_count(ngo) == 0
    assert 'class="unread"' not in client.get(reverse("logbooks:inbox")).content.decode()


def test_reading_is_per_user(followed):
    from accounts.models import Role
    from tests.factories import UserFactory

    colleague = UserFactory(organisation=followed.full.organisation, role=Role.VIEWER)
    verified_client(followed.full).post(reverse("logbooks:inbox_read_all"))
    assert inbox_unread_count(followed.full) == 0
    assert inbox_unread_count(colleague) == 1


def test_mark_all_read_over_the_api(followed):
    client = verified_client(followed.owner)
    assert client.get("/api/v1/inbox/?unread=1").json()["count"] == 1  # the NGO's shared entry
    assert client.post("/api/v1/inbox/read-all/").json() == {"marked_read": 1}
    assert client.get("/api/v1/inbox/?unread=1").json()["count"] == 0


def test_the_menu_shows_the_unread_badge(followed):
    body = verified_client(followed.owner).get(reverse("home"), follow=True).content.decode()
    assert 'id="logbooks-unread">1<' in body


def test_the_menu_badge_stops_counting_at_99_plus(followed):
    """The badge is on every page: it counts up to 100 unread and shows "99+" from there,
    while the inbox itself keeps the exact figure."""
    ngo = followed.full  # one unread entry already (the owner's shared one)
    for i in range(98):
        log(followed.case, followed.owner, "shared", summary=f"update {i}")
    client = verified_client(ngo)
    assert 'id="logbooks-unread">99<' in client.get(reverse("home"), follow=True).content.decode()
    for i in range(3):
        log(followed.case, followed.owner, "shared", summary=f"more {i}")
    body = client.get(reverse("home"), follow=True).content.decode()
    assert 'id="logbooks-unread">99+<' in body
    assert inbox_unread_count(ngo) == 102
    assert inbox_unread_count(ngo, up_to=100) == 100


@pytest.fixture
def badge_cache(settings):
    """The production badge cache (the test settings compute badges on every request)."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "badges": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
    }
    caches["badges"].clear()
    return caches["badges"]


def test_the_badge_is_kept_30_seconds_but_the_users_own_reads_show_at_once(
    followed, django_capture_on_commit_callbacks, badge_cache
):
    """The badge is computed at most every 30 s per user (it is on every page): a partner's
    new entry shows once that time is over; what the user reads leaves it at once."""
    ngo = followed.full
    client = verified_client(ngo)
    home = reverse("home")
    assert 'id="logbooks-unread">1<' in client.get(home, follow=True).content.decode()
    newer = log(followed.case, followed.owner, "shared", summary="Hearing moved to Monday.")
    assert 'id="logbooks-unread">1<' in client.get(home, follow=True).content.decode()
    badge_cache.clear()  # 30 seconds later
    assert 'id="logbooks-unread">2<' in client.get(home, follow=True).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the read is committed
        client.get(reverse("logbooks:entry_detail", args=[newer.pk]))
    assert 'id="logbooks-unread">1<' in client.get(home, follow=True).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("logbooks:inbox_read_all"))
    assert 'id="logbooks-unread"><' in client.get(home, follow=True).content.decode()


def test_the_inbox_costs_a_fixed_number_of_queries(followed):
    client = verified_client(followed.full)
    url = reverse("logbooks:inbox")
    client.get(url)
    few = get_counting(client, url, contains="Updates on cases I shared or follow")
    for i in range(12):
        log(followed.case, followed.owner, "shared", summary=f"update {i}")
        log(followed.case, followed.feedback, "shared", summary=f"fb {i}")
    response = get_counting(
        client, url, queries=len(few.queries), contains=f"{followed.case.pseudonym} — "
    )
    assert response.content.decode().count('class="unread"') == 25


def test_the_api_inbox_costs_a_fixed_number_of_queries(followed):
    client = verified_client(followed.full)
    client.get("/api/v1/inbox/")
    few = get_counting(client, "/api/v1/inbox/", contains='"results":')
    for i in range(10):
        log(followed.case, followed.owner, "shared", summary=f"update {i}")
    get_counting(client, "/api/v1/inbox/", queries=len(few.queries), contains="update 9")


def test_the_inbox_is_empty_for_a_relocation_partner(followed):
    client = verified_client(followed.relocation)
    assert "No updates from partners yet." in client.get(reverse("logbooks:inbox")).content.decode()
    assert inbox_unread_count(followed.relocation) == 0
