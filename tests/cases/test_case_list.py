"""The case list (page and API): the one visibility rule, its filters, their refusals, the cost of
a page, and the filter form's fast select."""

from __future__ import annotations

import itertools
import re

import pytest
from django import forms
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils import formats, translation
from django_countries.fields import CountryField

from accounts.models import Role
from cases.forms.case import CaseFilterForm, FastSelect, SharedChoices
from cases.models import (
    Case,
    ThreatType,
)
from cases.selectors.case import CaseFilters, case_list_for
from hrdcase.form_renderer import DesignBoundField
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.queries import counting, get_counting

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(org):
    return CaseFactory(organisation=org, pseudonym="Ceiba", summary="Secret summary")


@pytest.fixture
def partner_user(other_org):
    return UserFactory(organisation=other_org, role=Role.OFFICER)


@pytest.fixture
def network():
    """Cases of two organisations in every status and risk, some shared in full or for
    feedback with the other one, some tagged with a threat."""
    mission, ngo = OrganisationFactory(), OrganisationFactory()
    threat, _ = ThreatType.objects.get_or_create(code="judicial", defaults={"label": "Judicial"})
    levels = itertools.cycle(["full", "feedback", None])
    for n, (status, risk) in enumerate(
        itertools.product(["open", "monitoring"], ["high", "low", ""])
    ):
        for owner, partner in ((mission, ngo), (ngo, mission)):
            case = CaseFactory(
                organisation=owner, status=status, risk_level=risk, pseudonym=f"Ceiba {n}"
            )
            if n % 2:
                case.threat_types.add(threat)
            level = next(levels)
            if level:
                share_case(case, partner, level)
    return [UserFactory(organisation=org, role=Role.OFFICER) for org in (mission, ngo)]


def _row_by_row(user, filters: CaseFilters) -> set:
    """The visible cases, then each filter checked on each case (what the list must show)."""
    from cases.access import case_access

    shown = set()
    for case in (
        Case.objects.visible_to(user).select_related("defender").prefetch_related("threat_types")
    ):
        access = case_access(user, case)
        if filters.status and case.status != filters.status:
            continue
        if filters.risk and (not access.sees_risk or case.risk_level != filters.risk):
            continue
        if filters.threat and (
            not access.sees_risk or filters.threat not in {t.code for t in case.threat_types.all()}
        ):
            continue
        if filters.country and (
            not access.sees_identity or case.defender.country != filters.country
        ):
            continue
        if filters.scope == "own" and not access.is_owner:
            continue
        if filters.scope == "shared" and access.is_owner:
            continue
        if filters.q and filters.q.lower() not in (case.reference + case.pseudonym).lower():
            continue
        shown.add(case.pk)
    return shown


# --- the one visibility rule ----------------------------------------------------------------------


def test_every_case_listed_opens_and_every_case_that_opens_is_listed(org, other_org, partner_user):
    own = CaseFactory(organisation=other_org)
    feedback = CaseFactory(organisation=org)
    full = CaseFactory(organisation=org)
    relocation = CaseFactory(organisation=org)
    revoked = CaseFactory(organisation=org)
    CaseFactory(organisation=org)  # not shared
    share_case(feedback, other_org, "feedback")
    share_case(full, other_org, "full")
    share_case(relocation, other_org, "relocation")
    from cases.services.sharing import share_revoke

    share_revoke(
        share=share_case(revoked, other_org, "full"), acting_user=UserFactory(organisation=org)
    )
    CaseFactory(organisation=other_org, defender=own.defender)  # "other cases of this defender"

    client = verified_client(partner_user)
    listed = {
        row["id"]
        for row in client.get(reverse("api:case-list"), {"page_size": 100}).json()["results"]
    }
    html_list = client.get(reverse("cases:list")).content.decode()
    all_cases = Case.objects.unscoped().all()
    opens = {
        str(c.pk)
        for c in all_cases
        if client.get(reverse("api:case-detail", args=[c.pk])).status_code == 200
    }
    assert (
        listed
        == opens
        == {str(own.pk), str(feedback.pk), str(full.pk)}
        | {str(c.pk) for c in all_cases if c.organisation_id == other_org.pk}
    )
    linked = set(re.findall(r"/cases/([0-9a-f-]{36})/", html_list))
    assert linked == opens
    # the defender's other cases ("Sharing and consent")
    panel = client.get(reverse("cases:section", args=[own.pk, "sharing"])).content.decode()
    assert "Other cases of this defender" in panel
    for pk in set(re.findall(r"/cases/([0-9a-f-]{36})/", panel)):
        assert client.get(reverse("cases:detail", args=[pk])).status_code == 200


def test_the_visible_count_matches_the_cases_listed(org, other_org, partner_user):
    """The list's count is taken from the visible ids alone while nothing narrows them;
    filtered, sliced or emptied, it counts the rows. Either way: what the user may open."""
    from cases.selectors.case import CaseFilters, case_list_for

    for _ in range(3):
        CaseFactory(organisation=other_org)
    shared = [CaseFactory(organisation=org) for _ in range(4)]
    for case in shared[:2]:
        share_case(case, other_org, "feedback")
    share_case(shared[2], other_org, "relocation")  # no view_case: not listed
    CaseFactory(organisation=org)
    unshared_third = CaseFactory()
    visible = Case.objects.visible_to(partner_user)
    listed = set(visible.values_list("pk", flat=True))
    assert visible.count() == len(listed) == 5
    assert unshared_third.pk not in listed and shared[2].pk not in listed
    assert case_list_for(partner_user).count() == 5
    assert case_list_for(partner_user, CaseFilters(scope="shared")).count() == 2
    assert visible[:3].count() == 3
    assert visible.none().count() == 0
    assert visible.filter(organisation=org).count() == 2
    by_owner = visible.values("organisation").annotate(n=models.Count("pk"))
    assert by_owner.count() == 2  # groups, not cases
    assert visible.values("organisation").distinct().count() == 2


@pytest.mark.parametrize(
    "filters",
    [
        CaseFilters(status="open"),
        CaseFilters(risk="high"),
        CaseFilters(status="monitoring", risk="low"),
        CaseFilters(threat="judicial", scope="shared"),
        CaseFilters(threat="judicial"),
        CaseFilters(country="CO", status="open"),
        CaseFilters(scope="own", q="ceiba 1"),
        CaseFilters(q="CEIBA 4", status="monitoring"),
    ],
)
def test_it_lists_and_counts_what_the_visible_set_filtered_row_by_row_holds(network, filters):
    for user in network:
        expected = _row_by_row(user, filters)
        listed = case_list_for(user, filters)
        assert {case.pk for case in listed} == expected
        assert listed.count() == len(expected)


def test_the_filtered_count_counts_the_narrowed_ids(network):
    """The paginator's count reads the narrowed id union, not every visible case row."""
    listed = case_list_for(network[0], CaseFilters(status="open", risk="high"))
    with counting(queries=1) as counted:
        listed.count()
    (count_sql,) = counted.sql
    assert "UNION ALL" in count_sql
    assert count_sql.startswith("SELECT COUNT(*) FROM (")


# --- filters, search and sorting ------------------------------------------------------------------


def test_the_list_filters_searches_and_sorts(officer_client, org, officer):
    CaseFactory(organisation=org, pseudonym="Ceiba", status="monitoring")
    CaseFactory(organisation=org, pseudonym="Araucaria")
    rows = officer_client.get(reverse("api:case-list"), {"q": "ceib"}).json()["results"]
    assert [r["pseudonym"] for r in rows] == ["Ceiba"]
    rows = officer_client.get(reverse("api:case-list"), {"status": "open"}).json()["results"]
    assert [r["pseudonym"] for r in rows] == ["Araucaria"]
    rows = officer_client.get(reverse("api:case-list"), {"sort": "pseudonym"}).json()["results"]
    assert [r["pseudonym"] for r in rows] == ["Araucaria", "Ceiba"]
    page = officer_client.get(reverse("cases:list"), {"status": "closed"}).content.decode()
    assert "No case matches these filters." in page


def test_the_risk_filter_finds_a_full_partners_and_the_owners_cases(
    case, other_org, partner_user, officer_client
):
    case.risk_level = "high"
    case.save()
    share_case(case, other_org, "full")
    partner = verified_client(partner_user)
    for client in (partner, officer_client):
        found = client.get(reverse("api:case-list"), {"risk": "high"}).json()["results"]
        assert [row["pseudonym"] for row in found] == ["Ceiba"]
        assert client.get(reverse("api:case-list"), {"risk": "low"}).json()["results"] == []


@pytest.mark.parametrize("param", ["q", "threat", "country", "status", "sort", "scope", "risk"])
def test_it_refuses_a_nul_character_in_a_case_list_filter_naming_it(officer_client, case, param):
    """PostgreSQL refuses a NUL in a string: the list answered 500."""
    response = officer_client.get(reverse("api:case-list"), {param: "ce\x00iba"})
    assert response.status_code == 400
    assert list(response.json()) == [param]


def test_it_refuses_an_unknown_status_or_order_naming_it(officer_client, case):
    response = officer_client.get(reverse("api:case-list"), {"status": "lost", "sort": "-risk"})
    assert response.status_code == 400
    assert set(response.json()) == {"status", "sort"}


def test_the_filters_still_filter(officer_client, org, case):
    CaseFactory(organisation=org, pseudonym="Roble", status=Case.Status.MONITORING)
    rows = officer_client.get(
        reverse("api:case-list"), {"status": "open", "q": "cei", "sort": "-opened", "scope": "own"}
    ).json()["results"]
    assert [row["pseudonym"] for row in rows] == ["Ceiba"]


# --- pages ----------------------------------------------------------------------------------------


def test_the_case_list_costs_the_same_queries_whatever_the_page_size(
    org, officer_client, other_org, monkeypatch
):
    from cases.models import ThreatType
    from cases.views import case as case_views

    monkeypatch.setattr(case_views, "CASE_LIST_PAGE_SIZE", 20)  # pages of 20 and 10 cases

    threat, _ = ThreatType.objects.get_or_create(code="judicial", defaults={"label": "Judicial"})
    for n in range(30):
        case = CaseFactory(organisation=org if n % 3 else other_org)
        case.threat_types.add(threat)
        if n % 3 == 0:
            share_case(case, org, "full" if n % 2 else "feedback")

    def count(size):
        response = get_counting(
            officer_client, reverse("api:case-list"), {"page_size": size}, contains='"results":'
        )
        assert len(response.json()["results"]) == size
        return len(response.queries)

    assert count(5) == count(30)
    html_sizes = []
    for page in ("1", "2"):
        response = get_counting(
            officer_client, reverse("cases:list"), {"page": page}, contains=f"Page {page} of 2"
        )
        assert len(response.context["rows"]) == {"1": 20, "2": 10}[page]
        html_sizes.append(len(response.queries))
    assert html_sizes[0] == html_sizes[1]


def test_the_case_list_shows_50_cases_a_page(org, officer_client):
    CaseFactory.create_batch(51, organisation=org)
    first = officer_client.get(reverse("cases:list"))
    assert len(first.context["rows"]) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = officer_client.get(reverse("cases:list"), {"page": "2"})
    assert len(second.context["rows"]) == 1


# --- the filter form's select ---------------------------------------------------------------------


class _DjangoTemplates(DjangoTemplates):
    # the fields as the design system draws them (is-invalid), through Django's engine
    bound_field_class = DesignBoundField


CHOICES = [("", "Any"), ("x<", "X & <y>"), ("Group", [("1", "one"), ("2", "two")])]


def _form(widget):
    class Form(forms.Form):
        pick = forms.ChoiceField(
            choices=CHOICES, required=False, widget=widget(attrs={"class": "c", "data-on": True})
        )
        need = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=widget)

    return Form


@pytest.mark.parametrize("data", [None, {"pick": "2", "need": "b"}, {"pick": "zz"}])
def test_it_draws_the_same_select_as_django(data):
    django_form = _form(forms.Select)(data, renderer=_DjangoTemplates())
    fast_form = _form(FastSelect)(data)
    if data:
        django_form.is_valid()
        fast_form.is_valid()
    for name in ("pick", "need"):
        assert str(fast_form[name]) == str(django_form[name])


FLAT = [("", "Any"), ("x<", "X & <y>"), ("1", "one"), ("1", "one again"), ("2", '"two"')]


@pytest.mark.parametrize("value", [None, "", "x<", "1", "2", "zz"])
def test_shared_choices_draw_the_same_select_as_django(value):
    """Options escaped once and kept (``SharedChoices``): the markup Django draws, the
    chosen value marked once (its first option), nothing marked for an unknown value."""
    attrs = {"id": "id_pick", "class": "c", "data-on": True}
    django_html = forms.Select(choices=FLAT).render(
        "pick", value, attrs=attrs, renderer=_DjangoTemplates()
    )
    shared = FastSelect(choices=SharedChoices(FLAT))
    assert shared.render("pick", value, attrs=attrs) == django_html
    assert shared.render("pick", value, attrs=attrs) == django_html  # from the kept markup


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_it_offers_every_country_in_the_viewers_language(language, org):
    with translation.override(language):
        form = CaseFilterForm({"country": "CO"}, organisation=org)
        assert form.is_valid()
        html = str(form["country"])
        countries = CountryField(blank=True).formfield().choices
        reference = forms.Select(choices=list(countries))
        expected = reference.render(
            "country", "CO", attrs={"id": "id_country"}, renderer=DjangoTemplates()
        )
    assert html == expected
    assert html.count("<option") > 240


def _row(body: str, pseudonym: str) -> str:
    """The list's row (``<tr>``) of the case called ``pseudonym``."""
    rows = re.findall(r"<tr><td.*?</tr>", body, re.S)
    return next(row for row in rows if f'<span dir="auto">{pseudonym}</span>' in row)


def test_each_row_says_what_its_viewer_may_know_of_the_case(org, other_org, officer_client):
    """The rows (drawn by ``cases.templatetags.case_rows``): the owner's own case with its
    risk and threats; a partner's case shared in full names its owner and shows its risk; one
    shared for feedback shows neither its risk nor its threats; typed text is escaped."""
    threat, _ = ThreatType.objects.get_or_create(code="judicial", defaults={"label": "Judicial"})
    own = CaseFactory(organisation=org, pseudonym="<b>Ceiba</b>", risk_level="high")
    own.threat_types.add(threat)
    full = CaseFactory(organisation=other_org, pseudonym="Roble", risk_level="")
    feedback = CaseFactory(organisation=other_org, pseudonym="Guadua", risk_level="critical")
    feedback.threat_types.add(threat)
    share_case(full, org, "full")
    share_case(feedback, org, "feedback")
    body = officer_client.get(reverse("cases:list")).content.decode()

    row = _row(body, "&lt;b&gt;Ceiba&lt;/b&gt;")
    assert f'<a href="{reverse("cases:detail", args=[own.pk])}">{own.reference}</a>' in row
    assert '<span class="risk risk-high">High</span>' in row
    assert f'<td data-label="Threats">{threat}</td>' in row
    assert '<td data-label="Owner">own</td>' in row
    assert (
        f'<td data-label="Opened">{formats.date_format(own.opened_on, "DATE_FORMAT")}</td>' in row
    )

    row = _row(body, "Roble")
    assert '<span class="risk risk-none">not assessed</span>' in row
    assert f'<span dir="auto">{other_org.name}</span>' in row
    assert '<span class="tag sharing sharing-full">shared: full</span>' in row

    row = _row(body, "Guadua")
    assert '<span class="muted">not shared</span>' in row and "Critical" not in row
    assert '<td data-label="Threats">—</td>' in row
    assert '<span class="tag sharing sharing-feedback">shared: feedback</span>' in row


def test_each_listed_case_carries_its_own_threats_by_label(org, officer):
    """``listed_threats`` (``with_listed_threats``): every case of the page its own threat
    types in label order, an empty list for a case without any, on every page."""
    judicial = ThreatType.objects.create(code="t-zeta", label="Zeta threat")
    arrest = ThreatType.objects.create(code="t-alpha", label="Alpha threat")
    both = CaseFactory(organisation=org, pseudonym="Both")
    both.threat_types.add(judicial, arrest)
    one = CaseFactory(organisation=org, pseudonym="One")
    one.threat_types.add(judicial)
    CaseFactory(organisation=org, pseudonym="None")
    listed = {c.pseudonym: c.listed_threats for c in case_list_for(officer)}
    assert [t.code for t in listed["Both"]] == ["t-alpha", "t-zeta"]
    assert [str(t) for t in listed["One"]] == ["Zeta threat"]
    assert listed["None"] == []
    pages = [
        list(case_list_for(officer, CaseFilters(sort="pseudonym"))[i : i + 1]) for i in range(3)
    ]
    assert [[t.code for t in page[0].listed_threats] for page in pages] == [
        ["t-alpha", "t-zeta"],
        [],
        ["t-zeta"],
    ]
    assert case_list_for(officer).values_list("pseudonym", flat=True).count() == 3


def test_the_api_rows_are_what_drfs_fields_write_for_every_access_level(org, other_org, officer):
    """``CaseListSerializer.to_representation`` reads the case straight (issue 24): the same
    keys in the same order and the same values as DRF's field by field representation, for
    the owner, a full partner and a feedback partner, a closed case and a case without risk,
    threats or closing date; and the detail's three fields after them."""
    from rest_framework import serializers

    from cases.serializers.case import CaseDetailSerializer, CaseListSerializer
    from cases.services.case import case_close

    threat, _ = ThreatType.objects.get_or_create(code="judicial", defaults={"label": "Judicial"})
    own = CaseFactory(organisation=org, pseudonym="Ceiba", risk_level="high", summary="S")
    own.threat_types.add(threat)
    closed = CaseFactory(organisation=org, pseudonym="Roble", risk_level="")
    case_close(case=closed, acting_user=officer, reason="risk_reduced")
    full = CaseFactory(organisation=other_org, pseudonym="Guadua", risk_level="low")
    feedback = CaseFactory(organisation=other_org, pseudonym="Nogal", risk_level="critical")
    feedback.threat_types.add(threat)
    share_case(full, org, "full")
    share_case(feedback, org, "feedback")
    cases = list(case_list_for(officer))
    levels = {full.pk: "full", feedback.pk: "feedback"}
    assert len(cases) == 4
    for serializer_class in (CaseListSerializer, CaseDetailSerializer):
        serializer = serializer_class(context={"levels": levels})
        for case in cases:
            generic = serializers.ModelSerializer.to_representation(serializer, case)
            fast = serializer.to_representation(case)
            assert list(fast) == list(generic) == serializer_class.Meta.fields
            assert fast == dict(generic), (serializer_class.__name__, case.pseudonym)
    rows = {row["pseudonym"]: row for row in CaseListSerializer(cases, many=True).data}
    assert rows["Roble"]["closed_on"] == closed.closed_on.isoformat()
    assert rows["Ceiba"]["threat_types"] == ["judicial"] and rows["Ceiba"]["id"] == str(own.pk)
