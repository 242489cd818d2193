"""Emergency grants on their own (issue 20, item 4): asked on a case without a relocation
request, for an activity the grantor funds, its eligibility criteria confirmed, within its cap
per grant and per defender per calendar year, with a decision deadline by urgency, in the
grantor's queue."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from cases.models import CaseShare
from cases.services.sharing import share_revoke
from hrdcase.exceptions import StateConflict
from relocation.models import GrantRequest
from relocation.services.grants import grant_decide, grant_request_on_case
from relocation.services.settings import settings_update
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.queries import get_counting
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirm_situation": True, "confirm_need": True, "confirm_consent": True}


@pytest.fixture
def fund(db):
    fund = f.grantor(name="Protection Fund", code="FUND", kind=Organisation.Kind.NGO)
    settings_update(
        organisation=fund,
        acting_user=UserFactory(organisation=fund, role=Role.ADMIN),
        visa_service_days=10,
        grant_cap_amount=Decimal("3000.00"),
        grant_cap_currency="EUR",
        grant_activities=["legal_fees", "trial_observation"],
        grant_eligibility="Defenders of land rights facing prosecution.",
        grant_cap_per_defender_year=Decimal("5000.00"),
    )
    return fund


@pytest.fixture
def fund_officer(fund):
    return UserFactory(organisation=fund, role=Role.OFFICER)


def _ask(case, user, fund, amount="1000.00", **kwargs):
    fields = {
        "purpose": "legal_fees",
        "currency": "EUR",
        "urgency": "emergency",
        "justification": "Lawyer's fees for the hearing on 12 January",
        **CONFIRMED,
        **kwargs,
    }
    return grant_request_on_case(
        case=case, grantor=fund, amount=Decimal(amount), acting_user=user, **fields
    )


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_grant_on_a_case_has_no_request_and_an_emergency_deadline(
    consented_case, ngo_officer, fund, fund_officer
):
    before = timezone.now()
    grant = _ask(consented_case, ngo_officer, fund)
    assert grant.request_id is None and grant.status == "pending"
    assert grant.urgency == "emergency" and grant.eligibility_confirmed_at is not None
    assert before + datetime.timedelta(hours=47) < grant.due_at
    assert grant.due_at <= timezone.now() + datetime.timedelta(hours=48)
    # The grantor decides it like any grant; the requester still holds the case.
    decided = grant_decide(grant=grant, decision="approved", acting_user=fund_officer)
    assert decided.status == "approved"


def test_the_cap_per_grant_and_its_boundary(consented_case, ngo_officer, fund):
    errors = _errors(lambda: _ask(consented_case, ngo_officer, fund, amount="3000.01"))
    assert "3000.00 EUR per request" in errors["amount"][0]
    assert _ask(consented_case, ngo_officer, fund, amount="3000.00").amount == Decimal("3000.00")


def test_the_cap_per_defender_per_year_counts_granted_and_pending(
    consented_case, ngo_officer, fund, fund_officer
):
    granted = _ask(consented_case, ngo_officer, fund, amount="2000.00")
    grant_decide(grant=granted, decision="approved", acting_user=fund_officer)
    _ask(consented_case, ngo_officer, fund, amount="2000.00")  # pending
    errors = _errors(lambda: _ask(consented_case, ngo_officer, fund, amount="1000.01"))
    assert "5000.00 EUR per defender per calendar year" in errors["amount"][0]
    assert "1000.00 EUR remain" in errors["amount"][0]
    # The boundary: exactly up to the yearly cap.
    assert _ask(consented_case, ngo_officer, fund, amount="1000.00").status == "pending"
    assert "amount" in _errors(lambda: _ask(consented_case, ngo_officer, fund, amount="0.01"))


def test_a_declined_grant_and_another_year_are_not_counted(
    consented_case, ngo_officer, fund, fund_officer
):
    declined = _ask(consented_case, ngo_officer, fund, amount="3000.00")
    grant_decide(
        grant=declined, decision="declined", reason="Out of scope", acting_user=fund_officer
    )
    last_year = _ask(consented_case, ngo_officer, fund, amount="3000.00")
    # unscoped: moving a test row to last year.
    GrantRequest.objects.unscoped().filter(pk=last_year.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=366)
    )
    assert _ask(consented_case, ngo_officer, fund, amount="3000.00").status == "pending"
    assert _ask(consented_case, ngo_officer, fund, amount="2000.00").status == "pending"
    assert "amount" in _errors(lambda: _ask(consented_case, ngo_officer, fund, amount="0.01"))


def test_another_case_of_the_same_defender_counts(consented_case, ngo, ngo_officer, fund):
    _ask(consented_case, ngo_officer, fund, amount="3000.00")
    again = CaseFactory(
        organisation=ngo, defender=consented_case.defender, lead_officer=ngo_officer
    )
    f.give_relocation_consent(again, ngo_officer)
    errors = _errors(lambda: _ask(again, ngo_officer, fund, amount="2000.01"))
    assert "2000.00 EUR remain" in errors["amount"][0]
    assert _ask(again, ngo_officer, fund, amount="2000.00").status == "pending"


def test_another_defender_has_its_own_yearly_cap(consented_case, ngo, ngo_officer, fund):
    _ask(consented_case, ngo_officer, fund, amount="3000.00")
    _ask(consented_case, ngo_officer, fund, amount="2000.00")
    other = CaseFactory(organisation=ngo, pseudonym="Guayacán", lead_officer=ngo_officer)
    f.give_relocation_consent(other, ngo_officer)
    assert _ask(other, ngo_officer, fund, amount="3000.00").status == "pending"


@pytest.mark.parametrize("name", sorted(CONFIRMED))
def test_each_eligibility_confirmation_is_required(consented_case, ngo_officer, fund, name):
    errors = _errors(lambda: _ask(consented_case, ngo_officer, fund, **{name: False}))
    assert list(errors) == [name]
    assert not GrantRequest.objects.unscoped().filter(grantor=fund).exists()


def test_relocation_consent_must_be_on_record(case, ngo_officer, fund):
    errors = _errors(lambda: _ask(case, ngo_officer, fund))
    assert "case" in errors


def test_an_activity_the_grantor_does_not_fund_is_refused(consented_case, ngo_officer, fund):
    errors = _errors(
        lambda: _ask(consented_case, ngo_officer, fund, purpose="medical_psychosocial")
    )
    assert "does not fund medical or psychosocial care" in errors["purpose"][0]
    assert _ask(consented_case, ngo_officer, fund, purpose="trial_observation").status == "pending"


def test_a_grantor_with_no_activities_chosen_funds_them_all(consented_case, ngo_officer):
    open_fund = f.grantor(name="Open Fund", code="OPF", kind=Organisation.Kind.NGO)
    grant = _ask(consented_case, ngo_officer, open_fund, purpose="family_support")
    assert grant.purpose == "family_support"


def test_a_non_grantor_is_refused(consented_case, ngo_officer):
    bystander = OrganisationFactory(name="Just Another NGO", kind=Organisation.Kind.NGO)
    errors = _errors(lambda: _ask(consented_case, ngo_officer, bystander))
    assert "does not offer emergency grants" in errors["grantor"][0]


def test_a_partner_with_referrals_may_ask_and_a_revoked_one_is_refused(
    consented_case, ngo_officer, fund, fund_officer
):
    partner = OrganisationFactory(name="Voces Seguras", code="VOC", kind=Organisation.Kind.NGO)
    lucia = UserFactory(organisation=partner, role=Role.OFFICER)
    share_case(consented_case, partner, "full", acting_user=ngo_officer)
    grant = _ask(consented_case, lucia, fund)
    assert grant.organisation_id == partner.pk
    share = CaseShare.objects.unscoped().get(case=consented_case, partner=partner, status="active")
    share_revoke(share=share, acting_user=ngo_officer)
    with pytest.raises(PermissionDenied):
        _ask(consented_case, lucia, fund)
    # The grantor cannot decide for a requester that no longer holds the case.
    with pytest.raises(StateConflict):
        grant_decide(grant=grant, decision="approved", acting_user=fund_officer)
    page = verified_client(lucia).get(
        reverse("relocation:case_grant_create", args=[consented_case.pk])
    )
    assert page.status_code == 404


def test_other_organisations_get_404(consented_case, fund, fund_officer):
    stranger = UserFactory(organisation=OrganisationFactory(name="Elsewhere"), role=Role.OFFICER)
    url = reverse("relocation:case_grant_create", args=[consented_case.pk])
    for user in (stranger, fund_officer):
        client = verified_client(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"grantor": str(fund.pk)}).status_code == 404
        api = client.post(
            reverse("api:relocation-grant-list"),
            {
                "case": str(consented_case.pk),
                "grantor": str(fund.pk),
                "purpose": "legal_fees",
                "amount": "100",
                "currency": "EUR",
                "urgency": "urgent",
                **CONFIRMED,
            },
            content_type="application/json",
        )
        assert api.status_code == 404
    assert not GrantRequest.objects.unscoped().exists()


def test_the_form_shows_the_criteria_and_names_the_field(consented_case, ngo_officer, fund):
    client = verified_client(ngo_officer)
    url = reverse("relocation:case_grant_create", args=[consented_case.pk])
    page = client.get(url).content.decode()
    assert "Defenders of land rights facing prosecution." in page
    assert "Legal fees, Trial observation costs" in page
    assert "5000.00 EUR per defender per calendar year" in page
    form = {
        "grantor": str(fund.pk),
        "purpose": "legal_fees",
        "amount": "100",
        "currency": "EUR",
        "urgency": "urgent",
        "justification": "Hearing",
        "confirm_situation": "on",
        "confirm_need": "on",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "Confirm that the defender consented" in refused.content.decode()
    sent = client.post(url, {**form, "confirm_consent": "on"})
    assert sent.status_code == 302
    grant = GrantRequest.objects.owned_by(consented_case.organisation).get()
    assert sent.url == reverse("relocation:grant_detail", args=[grant.pk])
    assert grant.urgency == "urgent" and grant.request_id is None
    detail = client.get(sent.url).content.decode()
    assert "Confirmed by the requester on" in detail and "Back to the case" in detail


def test_the_api_creates_and_names_the_field(consented_case, ngo_officer, fund, fund_officer):
    client = verified_client(ngo_officer)
    url = reverse("api:relocation-grant-list")
    payload = {
        "case": str(consented_case.pk),
        "grantor": str(fund.pk),
        "purpose": "legal_fees",
        "amount": "3000.01",
        "currency": "EUR",
        "urgency": "emergency",
        "justification": "Hearing",
        **CONFIRMED,
    }
    over = client.post(url, payload, content_type="application/json")
    assert over.status_code == 400 and "3000.00 EUR" in str(over.json()["amount"])
    unconfirmed = client.post(
        url, {**payload, "amount": "10", "confirm_need": False}, content_type="application/json"
    )
    assert unconfirmed.status_code == 400 and "confirm_need" in unconfirmed.json()
    no_urgency = {k: v for k, v in payload.items() if k != "urgency"}
    assert "urgency" in client.post(url, no_urgency, content_type="application/json").json()
    created = client.post(url, {**payload, "amount": "10"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["request"] is None and body["urgency"] == "emergency" and body["due_at"]
    # The grantor sees it in its queue and its API list.
    listed = verified_client(fund_officer).get(url).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


def test_the_grants_inbox_sorts_by_deadline_at_a_fixed_query_count(
    consented_case, ngo, ngo_officer, fund, fund_officer
):
    routine = _ask(consented_case, ngo_officer, fund, amount="10", urgency="routine")
    emergency = _ask(consented_case, ngo_officer, fund, amount="10", urgency="emergency")
    client = verified_client(fund_officer)
    url = reverse("relocation:grants_inbox")
    few = get_counting(client, url, contains="<h1>Grant requests")
    body = few.content.decode()
    assert body.index(str(emergency.pk)) < body.index(str(routine.pk))
    for _ in range(4):
        _ask(consented_case, ngo_officer, fund, amount="10", urgency="urgent")
    req = f.approved_request(consented_case, ngo_officer)
    from relocation.services.grants import grant_request_create

    grant_request_create(
        relocation_request=req,
        grantor=fund,
        purpose="legal_fees",
        amount=Decimal("10"),
        currency="EUR",
        acting_user=ngo_officer,
    )
    get_counting(client, url, contains="<h1>Grant requests", queries=len(few.queries))


def test_the_settings_page_saves_the_activities_criteria_and_yearly_cap(fund):
    admin = UserFactory(organisation=fund, role=Role.ADMIN)
    client = verified_client(admin)
    url = reverse("relocation:settings")
    response = client.post(
        url,
        {
            "form": "settings",
            "visa_service_days": "10",
            "grant_cap_amount": "3000.00",
            "grant_cap_currency": "EUR",
            "offers_grants": "on",
            "grant_activities": ["medical_psychosocial", "digital_security"],
            "grant_cap_per_defender_year": "",
            "grant_eligibility": "Any defender at risk.",
        },
    )
    assert response.status_code == 302
    from relocation.selectors.settings import settings_for

    row = settings_for(fund.pk)
    assert row.grant_activities == ["medical_psychosocial", "digital_security"]
    assert row.grant_cap_per_defender_year is None
    assert row.grant_eligibility == "Any defender at risk."


def test_the_case_panel_links_to_a_grant_on_its_own(consented_case, ngo_officer, fund):
    client = verified_client(ngo_officer)
    url = reverse("cases:section", args=[consented_case.pk, "relocation"])
    page = client.get(url).content.decode()
    assert reverse("relocation:case_grant_create", args=[consented_case.pk]) in page
    assert "Grants on their own" not in page
    grant = _ask(consented_case, ngo_officer, fund, purpose="trial_observation")
    page = client.get(url).content.decode()
    assert "Grants on their own" in page and "Trial observation costs" in page
    assert reverse("relocation:grant_detail", args=[grant.pk]) in page


def test_the_case_page_costs_the_same_for_1_or_4_grants(consented_case, ngo_officer, fund):
    client = verified_client(ngo_officer)
    url = reverse("cases:section", args=[consented_case.pk, "relocation"])
    _ask(consented_case, ngo_officer, fund, amount="10")
    client.get(url)  # the first visit records what later ones read (the duplicate hint)
    few = get_counting(client, url, contains="Grants on their own")
    for _ in range(3):
        _ask(consented_case, ngo_officer, fund, amount="10")
    get_counting(client, url, contains="Grants on their own", queries=len(few.queries))


def test_an_owed_grant_on_its_own_is_swept_with_its_own_urgency(consented_case, ngo_officer, fund):
    """The reminders' and escalations' source reads a grant without a request."""
    from relocation.selectors.deadlines import answers_owed

    grant = _ask(consented_case, ngo_officer, fund, urgency="emergency")
    owed = [
        item
        for item in answers_owed(due_until=grant.due_at + datetime.timedelta(minutes=1))
        if item.key.endswith(str(grant.pk))
    ]
    assert len(owed) == 1
    assert owed[0].urgency_label == "Emergency (within 48 hours)"
    assert owed[0].organisation_id == fund.pk
