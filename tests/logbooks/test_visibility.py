"""The entry visibility rule, through every door: queryset, pages, API, inbox, export,
timeline and filters. Internal entries never leave their organisation; shared entries reach
exactly the owner and the full/feedback partners (never a relocation partner)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from logbooks.models import LogEntry
from tests.conftest import verified_client
from tests.logbooks.factories import EXPECTED, TEXTS, followed_case

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


@pytest.mark.parametrize("who", VIEWERS)
def test_it_applies_the_matrix_to_the_logbook_page(followed, who):
    client = verified_client(_user(followed, who))
    response = client.get(reverse("logbooks:case_logbook", args=[followed.case.pk]))
    if not EXPECTED[who]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert _texts_in(response.content.decode()) == EXPECTED[who]


@pytest.mark.parametrize("who", VIEWERS)
def test_it_applies_the_matrix_to_the_case_timeline(followed, who):
    client = verified_client(_user(followed, who))
    response = client.get(reverse("cases:detail", args=[followed.case.pk]))
    if not EXPECTED[who]:
        assert response.status_code == 404
        return
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
    """The inbox holds other organisations' shared entries only."""
    user = _user(followed, who)
    client = verified_client(user)
    body = client.get(reverse("logbooks:inbox")).content.decode()
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
    page_keys = {key for key in TEXTS if str(followed.entries[key].pk) in body}
    assert page_keys == expected
    api = client.get("/api/v1/inbox/").json()["results"]
    assert {row["summary"] for row in api} == {TEXTS[key] for key in expected}


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
