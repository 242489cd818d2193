"""Search (issue 23, item 3): the header's box (reference, pseudonym, a defender's exact
legal name through the blind index, audited, among the cases the user may see with their
identity), saved filters of the case list, and the list's redacted, audited CSV export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from accounts.models import Role
from cases.models import SAVED_FILTERS_MAX, SavedCaseFilter
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    DefenderFactory,
    OrganisationFactory,
    UserFactory,
    share_case,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("cases:search")
EXPORT = reverse("cases:list_export")


@pytest.fixture
def ceiba(org):
    defender = DefenderFactory(organisation=org, legal_name="María José Ocampo", country="CO")
    return CaseFactory(organisation=org, defender=defender, pseudonym="Ceiba", reference="NL-1")


def _found(response, section: str) -> list[str]:
    return [case.pseudonym for case in response.context[section]]


def test_the_header_finds_a_case_by_reference_or_pseudonym(officer, ceiba):
    client = verified_client(officer)
    assert reference_search(client, "nl-1") == ["Ceiba"]
    assert reference_search(client, "eib") == ["Ceiba"]
    page = client.get(reverse("home")).content.decode()
    assert f'action="{SEARCH}"' in page  # the box is in every page's header


def reference_search(client, term: str) -> list[str]:
    return _found(client.post(SEARCH, {"q": term}), "by_reference")


@pytest.mark.parametrize(
    "typed",
    ["María José Ocampo", "maria jose ocampo", "Ocampo, María José", "  MARÍA  JOSÉ OCAMPO "],
)
def test_an_exact_legal_name_finds_the_case_and_is_audited(officer, ceiba, typed):
    response = verified_client(officer).post(SEARCH, {"q": typed})
    assert _found(response, "by_name") == ["Ceiba"]
    event = AuditEvent.objects.get(action="case.name_search")
    assert event.data == {"matches": 1, "cases": [str(ceiba.pk)]}
    assert "Ocampo" not in str(event.data)  # the name searched is never stored


def test_part_of_a_name_finds_nothing(officer, ceiba):
    response = verified_client(officer).post(SEARCH, {"q": "María Ocampo"})
    assert _found(response, "by_name") == []
    assert AuditEvent.objects.get(action="case.name_search").data == {"matches": 0, "cases": []}


def test_a_name_finds_only_cases_whose_identity_the_user_may_see(ceiba, other_org):
    feedback = OrganisationFactory(name="Feedback NGO")
    share_case(ceiba, feedback, "feedback")
    share_case(ceiba, other_org, "full")
    partner = UserFactory(organisation=feedback, role=Role.OFFICER)
    client = verified_client(partner)
    # The pseudonym is theirs to find; the legal name must not link it to a person.
    assert reference_search(client, "Ceiba") == ["Ceiba"]
    assert _found(client.post(SEARCH, {"q": "María José Ocampo"}), "by_name") == []
    full = verified_client(UserFactory(organisation=other_org, role=Role.VIEWER))
    assert _found(full.post(SEARCH, {"q": "María José Ocampo"}), "by_name") == ["Ceiba"]
    stranger = verified_client(UserFactory(organisation=OrganisationFactory()))
    response = stranger.post(SEARCH, {"q": "María José Ocampo"})
    assert _found(response, "by_name") == [] and _found(response, "by_reference") == []


def test_a_name_that_collides_in_the_index_is_not_shown(officer, org, ceiba):
    # Another defender whose truncated index happens to match: compared name by name.
    other = DefenderFactory(organisation=org, legal_name="Somebody Else", country="CO")
    other.name_index = ceiba.defender.name_index
    other.save(update_fields=["name_index"])
    CaseFactory(organisation=org, defender=other, pseudonym="Roble")
    response = verified_client(officer).post(SEARCH, {"q": "María José Ocampo"})
    assert _found(response, "by_name") == ["Ceiba"]


def test_a_search_is_posted_never_in_the_address_nor_cached(officer, ceiba):
    client = verified_client(officer)
    typed_in_the_address = client.get(SEARCH, {"q": "María José Ocampo"})
    assert _found(typed_in_the_address, "by_name") == []  # a GET only shows the box
    assert not AuditEvent.objects.filter(action="case.name_search").exists()
    searched = client.post(SEARCH, {"q": "María José Ocampo"})
    assert "no-store" in searched["Cache-Control"]
    page = client.get(reverse("home")).content.decode()
    assert f'<form method="post" action="{SEARCH}"' in page


def test_a_search_too_long_is_refused_and_an_empty_one_shows_the_box(officer):
    client = verified_client(officer)
    too_long = client.post(SEARCH, {"q": "x" * 201})
    assert too_long.status_code == 400 and "at most 200" in too_long.content.decode()
    assert client.get(SEARCH).status_code == 200
    assert not AuditEvent.objects.filter(action="case.name_search").exists()


# --- saved filters ---------------------------------------------------------------------------


def _save(client, name: str, query: str = "status=open"):
    return client.post(reverse("cases:filter_save"), {"name": name, "query": query})


def test_an_officer_saves_filters_and_opens_them_again(officer, ceiba):
    client = verified_client(officer)
    response = _save(client, "Open, newest", "status=open&sort=-opened&page=3&bogus=1")
    saved = SavedCaseFilter.objects.owned_by(officer.organisation).get()
    assert saved.query == "sort=-opened&status=open"  # cleaned: no page, nothing unknown
    assert response["Location"] == f"{reverse('cases:list')}?{saved.query}"
    page = client.get(reverse("cases:list")).content.decode()
    assert "Open, newest" in page and saved.query.replace("&", "&amp;") in page


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("", "status=open", "Give the filter a name."),
        ("Nothing", "", "Choose at least one filter to save."),
        ("Bad", "status=nonsense", "Choose at least one filter to save."),
    ],
)
def test_a_filter_without_name_or_filters_is_refused(officer, name, query, message):
    client = verified_client(officer)
    response = _save(client, name, query)
    assert message in client.get(response["Location"]).content.decode()
    assert not SavedCaseFilter.objects.unscoped().exists()


def test_names_are_unique_per_user_and_the_number_limited(officer, org):
    client = verified_client(officer)
    _save(client, "Mine")
    response = _save(client, "Mine")
    assert "already have a filter of this name" in client.get(response["Location"]).content.decode()
    colleague = UserFactory(organisation=org, role=Role.OFFICER)
    _save(verified_client(colleague), "Mine")  # colleagues keep their own
    for number in range(SAVED_FILTERS_MAX - 1):
        _save(client, f"Filter {number}")
    _save(client, "One too many")
    assert SavedCaseFilter.objects.unscoped().filter(user=officer).count() == SAVED_FILTERS_MAX


def test_only_its_owner_deletes_a_saved_filter(officer, org, other_org):
    _save(verified_client(officer), "Mine")
    saved = SavedCaseFilter.objects.unscoped().get()
    url = reverse("cases:filter_delete", args=[saved.pk])
    colleague = UserFactory(organisation=org, role=Role.ADMIN)
    assert verified_client(colleague).post(url).status_code == 404
    assert verified_client(UserFactory(organisation=other_org)).post(url).status_code == 404
    assert verified_client(officer).get(url).status_code == 405
    assert verified_client(officer).post(url).status_code == 302
    assert not SavedCaseFilter.objects.unscoped().exists()


# --- CSV export ------------------------------------------------------------------------------


def test_the_list_exports_as_redacted_csv_and_is_audited(officer, org, ceiba, other_org):
    theirs = CaseFactory(organisation=other_org, pseudonym="Guayacán")
    share_case(theirs, org, "feedback")
    response = verified_client(officer).get(EXPORT, {"sort": "pseudonym"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Reference", "Pseudonym", "Status"]
    by_pseudonym = {row[1]: row for row in rows[1:]}
    assert set(by_pseudonym) == {"Ceiba", "Guayacán"}
    assert by_pseudonym["Guayacán"][3:5] == ["", ""]  # a feedback share shows no risk
    assert by_pseudonym["Guayacán"][6] == "shared: feedback"
    assert "Ocampo" not in body  # no identity
    event = AuditEvent.objects.get(action="case.list_export")
    assert event.data["cases"] == 2 and event.data["filters"] == {"sort": "pseudonym"}


def test_the_export_follows_the_filters_and_refuses_bad_ones(officer, ceiba, org):
    CaseFactory(
        organisation=org,
        pseudonym="Roble",
        status="closed",
        closing_reason="risk_reduced",
        closed_on=datetime.date(2026, 11, 1),
    )
    client = verified_client(officer)
    rows = list(csv.reader(io.StringIO(client.get(EXPORT, {"status": "open"}).content.decode())))
    assert [row[1] for row in rows[1:]] == ["Ceiba"]
    assert client.get(EXPORT, {"status": "nonsense"}).status_code == 400
    assert AuditEvent.objects.filter(action="case.list_export").count() == 1
