"""The entry visibility rule, through every door: queryset, pages, API, inbox, export,
timeline and filters. Internal entries never leave their organisation; shared entries reach
exactly the owner and the full/feedback partners (never a relocation partner)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from logbooks.models import LogEntry
from tests.conftest import verified_client
from tests.logbooks.factories import EXPECTED, TEXTS, followed_case, log
from tests.queries import get_counting

pytestmark = pytest.mark.django_db

VIEWERS = list(EXPECTED)


@pytest.fixture
def followed(db):
    return followed_case()


def _user(followed, who):
    return getattr(followed, who)


def _texts_in(body: str) -> set[str]:
    return {key for key, text in TEXTS.items() if text in body}


@pytest.mark.parametrize("who", VIEWERS)
def test_it_applies_the_visibility_matrix_to_the_queryset(followed, who):
    visible = set(LogEntry.objects.visible_to(_user(followed, who)).values_list("pk", flat=True))
    expected = {followed.entries[key].pk for key in EXPECTED[who]}
    assert visible == expected


#: the case's pages that list entries: the logbook page, the Logbook section's timeline and
#: Overview's latest three entries (under the quick log).
CASE_PAGES = {
    "logbook page": lambda case: reverse("logbooks:case_logbook", args=[case.pk]),
    "case timeline": lambda case: reverse("cases:section", args=[case.pk, "logbook"]),
    "overview's latest entries": lambda case: reverse("cases:detail", args=[case.pk]),
}


@pytest.mark.parametrize("page", list(CASE_PAGES))
@pytest.mark.parametrize("who", VIEWERS)
def test_it_applies_the_matrix_to_each_case_page(followed, who, page):
    client = verified_client(_user(followed, who))
    response = client.get(CASE_PAGES[page](followed.case))
    if not EXPECTED[who]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert _texts_in(response.content.decode()) == EXPECTED[who]


@pytest.mark.parametrize("who", VIEWERS)
def test_it_applies_the_matrix_to_the_api(followed, who):
    client = verified_client(_user(followed, who))
    response = client.get(f"/api/v1/cases/{followed.case.pk}/entries/")
    if not EXPECTED[who]:
        assert response.status_code == 404
        return
    assert {row["summary"] for row in response.json()["results"]} == {
        TEXTS[key] for key in EXPECTED[who]
    }


@pytest.mark.parametrize("who", VIEWERS)
@pytest.mark.parametrize("entry", list(TEXTS))
def test_it_answers_404_for_an_entry_the_user_may_not_see(followed, who, entry):
    client = verified_client(_user(followed, who))
    pk = followed.entries[entry].pk
    page = client.get(reverse("logbooks:entry_detail", args=[pk]))
    api = client.get(f"/api/v1/entries/{pk}/")
    expected = 200 if entry in EXPECTED[who] else 404
    assert (page.status_code, api.status_code) == (expected, expected)


@pytest.mark.parametrize("who", VIEWERS)
def test_it_applies_the_matrix_to_the_inbox(followed, who):
    """The inbox holds other organisations' shared entries only: a line per entry the user
    may open, none for the others, even a line written by mistake (or before the rule
    changed) for an entry the user may not read."""
    from alerts.models import Notification
    from logbooks.services.inbox import shared_entry_notify

    user = _user(followed, who)
    for entry in followed.entries.values():  # every entry told again, to whoever is here now
        shared_entry_notify(entry)
    for key, entry in followed.entries.items():
        if key not in EXPECTED[who]:
            Notification.objects.create(
                organisation_id=user.organisation_id,
                recipient=user,
                kind="shared_entry",
                subject=f"Forged line {key}",
                url=reverse("logbooks:entry_detail", args=[entry.pk]),
                source_id=entry.pk,
                dedupe_key=f"forged:{key}:{user.pk}",
            )
    client = verified_client(user)
    page = client.get(reverse("logbooks:inbox"), follow=True)
    body = page.content.decode()
    org_of = {
        "owner_internal": followed.owner,
        "owner_shared": followed.owner,
        "full_internal": followed.full,
        "full_shared": followed.full,
        "feedback_internal": followed.feedback,
    }
    expected = {
        key
        for key in EXPECTED[who]
        if key.endswith("_shared") and org_of[key].organisation_id != user.organisation_id
    }
    lines = {n.source_id for n in page.context["notifications"]}
    assert lines == {followed.entries[key].pk for key in expected}
    assert not {key for key in TEXTS if str(followed.entries[key].pk) in body} - expected
    assert not _texts_in(body)  # a line names the pseudonym and the kind, never the text
    assert "Forged line" not in body
    api = client.get("/api/v1/inbox/").json()["results"]
    assert {row["summary"] for row in api} == {TEXTS[key] for key in expected}
    notes = client.get("/api/v1/notifications/?category=shared_entries").json()["results"]
    linked = {key for key in TEXTS for row in notes if str(followed.entries[key].pk) in row["url"]}
    assert linked == expected


@pytest.mark.parametrize("who", ["owner", "full", "feedback"])
def test_it_applies_the_matrix_to_the_csv_export(followed, who):
    client = verified_client(_user(followed, who))
    response = client.post(reverse("logbooks:export", args=[followed.case.pk]), {"format": "csv"})
    assert response.status_code == 200
    assert _texts_in(response.content.decode("utf-8-sig")) == EXPECTED[who]


@pytest.mark.parametrize("who", ["relocation", "stranger"])
def test_it_refuses_the_export_to_organisations_without_the_case(followed, who):
    client = verified_client(_user(followed, who))
    url = reverse("logbooks:export", args=[followed.case.pk])
    assert client.post(url, {"format": "csv"}).status_code == 404
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", VIEWERS)
def test_filters_never_widen_what_is_visible(followed, who):
    """No free-text search exists (summaries are encrypted); the kind/visibility/date filters
    only narrow the visible set."""
    user = _user(followed, who)
    if not EXPECTED[who]:
        return
    client = verified_client(user)
    url = reverse("logbooks:case_logbook", args=[followed.case.pk])
    body = client.get(url, {"visibility": "internal", "kind": "note"}).content.decode()
    assert _texts_in(body) == {key for key in EXPECTED[who] if key.endswith("_internal")}


def test_a_revoked_share_takes_the_partner_s_own_entries_away_too(followed):
    from cases.models import CaseShare
    from cases.services.sharing import share_revoke

    share = CaseShare.objects.owned_by(followed.case.organisation).get(
        partner=followed.full.organisation
    )
    share_revoke(share=share, acting_user=followed.owner)
    assert not LogEntry.objects.visible_to(followed.full).exists()


# --- corrections: a version reaches partners only while no later version is internal --------

PDF = b"%PDF-1.4\n% witness statement\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EARLIER = "EARLIER-SHARED names the witness"
LATER = "LATER-INTERNAL witness removed"
PARTNERS_OF_OWNER = ["full", "feedback"]


def _correct(entry, user, visibility: str, summary: str):
    from logbooks.services.entries import entry_correct

    return entry_correct(
        entry=entry, acting_user=user, kind=entry.kind, summary=summary, visibility=visibility
    )


def _attach(entry, user):
    from logbooks.services.attachments import attachment_add

    return attachment_add(entry=entry, filename="statement.pdf", data=PDF, acting_user=user)


def _version_routes(entry, attachment) -> dict[str, str]:
    """Every page and API route that names one version of an entry or one of its documents."""
    return {
        "entry page": reverse("logbooks:entry_detail", args=[entry.pk]),
        "history page": reverse("logbooks:entry_history", args=[entry.pk]),
        "API entry": f"/api/v1/entries/{entry.pk}/",
        "API entry attachments": f"/api/v1/entries/{entry.pk}/attachments/",
        "download page": reverse("logbooks:attachment_download", args=[attachment.pk]),
        "API attachment": f"/api/v1/attachments/{attachment.pk}/",
        "API download": f"/api/v1/attachments/{attachment.pk}/download/",
    }


def _statuses(user, routes: dict[str, str]) -> dict[str, int]:
    client = verified_client(user)
    return {name: client.get(url).status_code for name, url in routes.items()}


@pytest.fixture
def taken_back(followed):
    """The owner shared an entry with a document, then corrected it to internal."""
    earlier = log(followed.case, followed.owner, "shared", summary=EARLIER)
    attachment = _attach(earlier, followed.owner)
    later = _correct(earlier, followed.owner, "internal", LATER)
    return earlier, attachment, later


@pytest.mark.parametrize("who", PARTNERS_OF_OWNER)
def test_a_correction_to_internal_takes_the_earlier_version_and_its_document_back(
    followed, taken_back, who
):
    earlier, attachment, later = taken_back
    partner = _user(followed, who)
    routes = _version_routes(earlier, attachment)
    routes["current entry page"] = reverse("logbooks:entry_detail", args=[later.pk])
    routes["current history page"] = reverse("logbooks:entry_history", args=[later.pk])
    assert _statuses(partner, routes) == dict.fromkeys(routes, 404)
    assert not LogEntry.objects.visible_to(partner).filter(version_of=earlier).exists()


@pytest.mark.parametrize("who", PARTNERS_OF_OWNER)
def test_a_version_taken_back_leaves_every_list_of_the_partner(followed, taken_back, who):
    from alerts.models import Notification
    from alerts.selectors.notifications import unread_count

    earlier, _attachment, _later = taken_back
    partner = _user(followed, who)
    client = verified_client(partner)
    case = followed.case
    # the line written when the earlier version was shared is still stored, unread...
    line = Notification.objects.for_recipient(partner).get(source_id=earlier.pk)
    assert line.read_at is None
    pages = {
        "inbox": client.get(reverse("alerts:notifications")).content.decode(),
        "inbox, shared entries": client.get(
            reverse("logbooks:inbox") + "?unread=1", follow=True
        ).content.decode(),
        "API notifications": client.get("/api/v1/notifications/").content.decode(),
        "API inbox": client.get("/api/v1/inbox/").content.decode(),
        "logbook": client.get(reverse("logbooks:case_logbook", args=[case.pk])).content.decode(),
        "API list": client.get(f"/api/v1/cases/{case.pk}/entries/").content.decode(),
        "case page": client.get(reverse("cases:detail", args=[case.pk])).content.decode(),
        "case page's Logbook": client.get(
            reverse("cases:section", args=[case.pk, "logbook"])
        ).content.decode(),
        "CSV export": client.post(
            reverse("logbooks:export", args=[case.pk]), {"format": "csv"}
        ).content.decode("utf-8-sig"),
    }
    for name, body in pages.items():
        assert EARLIER not in body and LATER not in body, name
        assert str(earlier.pk) not in body, name
    # Left unread: the fixture's shared entries of the other organisations (owner_shared, and
    # full_shared for the feedback partner), not the entry taken back.
    assert unread_count(partner) == {"full": 1, "feedback": 2}[who]
    # ...but it is neither listed nor counted, and it cannot be opened nor marked read.
    for open_it in ({"open": "1"}, {}):
        answer = client.post(reverse("alerts:notification_read", args=[line.pk]), open_it)
        assert answer.status_code == 404
    assert client.post(f"/api/v1/notifications/{line.pk}/read/").status_code == 404
    assert Notification.objects.for_recipient(partner).get(pk=line.pk).read_at is None


@pytest.mark.parametrize("who", ["owner", "owner_viewer"])
def test_the_author_organisation_still_sees_every_version_and_document(followed, taken_back, who):
    earlier, attachment, later = taken_back
    user = _user(followed, who)
    routes = _version_routes(earlier, attachment)
    assert _statuses(user, routes) == dict.fromkeys(routes, 200)
    history = verified_client(user).get(reverse("logbooks:entry_history", args=[later.pk]))
    body = history.content.decode()
    assert EARLIER in body and LATER in body


def test_a_partner_s_correction_to_internal_takes_its_entry_back_from_the_owner(followed):
    """The rule is the author organisation's, whoever owns the case."""
    earlier = log(followed.case, followed.full, "shared", summary=EARLIER)
    attachment = _attach(earlier, followed.full)
    later = _correct(earlier, followed.full, "internal", LATER)
    routes = _version_routes(earlier, attachment)
    for who in ["owner", "owner_viewer", "feedback"]:
        assert _statuses(_user(followed, who), routes) == dict.fromkeys(routes, 404), who
    assert _statuses(followed.full, routes) == dict.fromkeys(routes, 200)
    history = verified_client(followed.full).get(reverse("logbooks:entry_history", args=[later.pk]))
    assert EARLIER in history.content.decode()


@pytest.mark.parametrize("who", PARTNERS_OF_OWNER)
def test_shared_corrections_keep_every_shared_version_with_partners(followed, who):
    """A shared entry corrected and still shared: the earlier version and its document stay
    readable (the rule takes back only what an internal correction withdrew)."""
    earlier = log(followed.case, followed.owner, "shared", summary=EARLIER)
    attachment = _attach(earlier, followed.owner)
    later = _correct(earlier, followed.owner, "shared", "LATER-SHARED hearing moved")
    routes = _version_routes(earlier, attachment)
    assert _statuses(_user(followed, who), routes) == dict.fromkeys(routes, 200)
    client = verified_client(_user(followed, who))
    body = client.get(reverse("logbooks:entry_history", args=[later.pk])).content.decode()
    assert EARLIER in body and "LATER-SHARED hearing moved" in body


@pytest.mark.parametrize(("author", "reader"), [("owner", "full"), ("full", "owner")])
def test_an_internal_entry_corrected_to_shared_shares_only_the_shared_version(
    followed, author, reader
):
    """The earlier internal text was never meant for partners: sharing a correction shares
    the correction (docs/logbooks.md)."""
    writer = _user(followed, author)
    earlier = log(followed.case, writer, "internal", summary="EARLIER-INTERNAL source named")
    attachment = _attach(earlier, writer)
    later = _correct(earlier, writer, "shared", "LATER-SHARED meeting held")
    client = verified_client(_user(followed, reader))
    history = client.get(reverse("logbooks:entry_history", args=[later.pk]))
    assert history.status_code == 200
    body = history.content.decode()
    assert "LATER-SHARED meeting held" in body and "EARLIER-INTERNAL" not in body
    detail = client.get(reverse("logbooks:entry_detail", args=[later.pk])).content.decode()
    assert "statement.pdf" not in detail  # the document stays on the internal version
    routes = _version_routes(earlier, attachment)
    assert _statuses(_user(followed, reader), routes) == dict.fromkeys(routes, 404)


@pytest.mark.parametrize("who", PARTNERS_OF_OWNER)
def test_sharing_again_after_an_internal_correction_does_not_bring_back_what_it_withdrew(
    followed, taken_back, who
):
    """shared v1 -> internal v2 -> shared v3: v2 withdrew v1 (a witness named by mistake,
    say); v3 shares v3, not v1 again."""
    earlier, attachment, later = taken_back
    third = _correct(later, followed.owner, "shared", "THIRD-SHARED witness protected")
    client = verified_client(_user(followed, who))
    body = client.get(reverse("logbooks:entry_history", args=[third.pk])).content.decode()
    assert "THIRD-SHARED witness protected" in body
    assert EARLIER not in body and LATER not in body
    routes = _version_routes(earlier, attachment)
    routes["internal version"] = reverse("logbooks:entry_detail", args=[later.pk])
    assert _statuses(_user(followed, who), routes) == dict.fromkeys(routes, 404)
    api = client.get(f"/api/v1/entries/{third.pk}/")
    assert api.status_code == 200 and api.json()["summary"] == "THIRD-SHARED witness protected"


def test_the_correction_form_says_what_each_visibility_does_to_earlier_versions(followed):
    entry = log(followed.case, followed.owner, "shared", summary=EARLIER)
    client = verified_client(followed.owner)
    body = client.get(reverse("logbooks:entry_correct", args=[entry.pk])).content.decode()
    assert "Internal takes every earlier version of this entry, and its documents, back" in body


def test_a_partner_whose_share_ended_reaches_no_version_and_no_document(followed):
    from alerts.models import Notification
    from alerts.selectors.notifications import unread_count
    from cases.models import CaseShare
    from cases.services.sharing import share_revoke

    earlier = log(followed.case, followed.owner, "shared", summary=EARLIER)
    attachment = _attach(earlier, followed.owner)
    later = _correct(earlier, followed.owner, "shared", "LATER-SHARED hearing moved")
    own = followed.entries["full_shared"]
    share = CaseShare.objects.owned_by(followed.case.organisation).get(
        partner=followed.full.organisation
    )
    share_revoke(share=share, acting_user=followed.owner)
    routes = _version_routes(earlier, attachment)
    routes["current entry page"] = reverse("logbooks:entry_detail", args=[later.pk])
    routes["own entry page"] = reverse("logbooks:entry_detail", args=[own.pk])
    assert _statuses(followed.full, routes) == dict.fromkeys(routes, 404)
    client = verified_client(followed.full)
    for url in [reverse("alerts:notifications"), "/api/v1/notifications/", "/api/v1/inbox/"]:
        body = client.get(url).content.decode()
        assert "LATER-SHARED" not in body and TEXTS["owner_shared"] not in body, url
        for entry in [earlier, later, followed.entries["owner_shared"]]:
            assert str(entry.pk) not in body, url
    # The shared entries' lines are hidden (the share's own "access ended" line stays): not
    # counted, and not opened even by their address.
    assert unread_count(followed.full, category="shared_entries") == 0
    lines = Notification.objects.for_recipient(followed.full).filter(kind="shared_entry")
    assert lines.count() == 3  # stored: owner_shared, earlier, later
    for line in lines:
        answer = client.post(reverse("alerts:notification_read", args=[line.pk]), {"open": "1"})
        assert answer.status_code == 404
    ended = client.get(reverse("alerts:notifications") + "?category=coordination")
    assert "access to case" in ended.content.decode()


def test_the_history_page_costs_a_fixed_number_of_queries(followed):
    """Each earlier version is tested for a later internal one inside the same query."""
    entry = log(followed.case, followed.owner, "shared", summary="v1")
    entry = _correct(entry, followed.owner, "shared", "v2")
    client = verified_client(followed.full)
    url = reverse("logbooks:entry_history", args=[entry.pk])
    client.get(url)
    few = get_counting(client, url, contains='<p class="prose">v2</p>')
    for i in range(3, 9):
        entry = _correct(entry, followed.owner, "shared", f"v{i}")
    response = get_counting(client, url, queries=len(few.queries), contains="Every version")
    body = response.content.decode()
    assert all(f'<p class="prose">v{i}</p>' in body for i in range(1, 9))
