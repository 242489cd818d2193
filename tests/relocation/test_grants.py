"""Emergency grants: the grantor's cap, decision, disbursement, what the grantor sees, the API
and the lists' query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from alerts.models import Notification
from hrdcase.exceptions import StateConflict
from relocation.models import GrantRequest
from relocation.services.deadlines import format_due
from relocation.services.grants import grant_decide, grant_disburse, grant_request_create
from relocation.services.settings import settings_update
from tests.conftest import verified_client
from tests.factories import OrganisationFactory, UserFactory
from tests.queries import get_counting
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def grantor(db):
    return f.grantor(name="Protection Fund", code="FUND", kind=Organisation.Kind.NGO)


@pytest.fixture
def grantor_officer(grantor):
    return UserFactory(organisation=grantor, role=Role.OFFICER)


def _ask(req, grantor, user, amount="2500.00", currency="EUR", **kwargs):
    return grant_request_create(
        relocation_request=req,
        grantor=grantor,
        purpose=kwargs.pop("purpose", "digital_security"),
        amount=Decimal(amount),
        currency=currency,
        acting_user=user,
        justification=kwargs.pop("justification", "Laptop seized at a checkpoint"),
    )


def test_it_refuses_an_amount_above_the_default_cap_naming_it(case, ngo_officer, grantor):
    req = f.approved_request(case, ngo_officer)
    with pytest.raises(ValidationError) as caught:
        _ask(req, grantor, ngo_officer, amount="10000.01")
    assert "10000.00 EUR" in str(caught.value.message_dict["amount"])
    assert not GrantRequest.objects.owned_by(case.organisation).exists()
    assert _ask(req, grantor, ngo_officer, amount="10000.00").status == "pending"


def test_it_refuses_a_grantor_that_offers_no_grants(case, ngo_officer):
    """Issue 16: a grant could name any organisation as grantor."""
    req = f.approved_request(case, ngo_officer)
    bystander = OrganisationFactory(name="Just Another NGO", kind=Organisation.Kind.NGO)
    with pytest.raises(ValidationError) as caught:
        _ask(req, bystander, ngo_officer)
    assert "does not offer emergency grants" in str(caught.value.message_dict["grantor"])
    assert not GrantRequest.objects.unscoped().filter(grantor=bystander).exists()


def test_the_grant_form_offers_only_grantors(case, ngo_officer, grantor):
    req = f.approved_request(case, ngo_officer)
    OrganisationFactory(name="Just Another NGO", kind=Organisation.Kind.NGO)
    page = verified_client(ngo_officer).get(reverse("relocation:grant_create", args=[req.pk]))
    assert page.status_code == 200
    assert "Protection Fund" in page.content.decode()
    assert "Just Another NGO" not in page.content.decode()


def test_the_cap_is_the_grantors_setting(case, ngo_officer, grantor):
    settings_update(
        organisation=grantor,
        acting_user=UserFactory(organisation=grantor, role=Role.ADMIN),
        visa_service_days=10,
        grant_cap_amount=Decimal("3000"),
        grant_cap_currency="usd",
    )
    req = f.approved_request(case, ngo_officer)
    with pytest.raises(ValidationError) as caught:
        _ask(req, grantor, ngo_officer, amount="100")
    assert "USD" in str(caught.value.message_dict["currency"])
    with pytest.raises(ValidationError) as caught:
        _ask(req, grantor, ngo_officer, amount="3000.50", currency="USD")
    assert "3000.00 USD" in str(caught.value.message_dict["amount"])


def test_the_grantor_decides_and_disburses_and_the_requester_is_told(
    case, ngo_officer, grantor, grantor_officer
):
    grant = _ask(f.approved_request(case, ngo_officer), grantor, ngo_officer)
    # The grantor is told the urgency and its deadline (issue 20).
    assert [n.subject for n in Notification.objects.for_recipient(grantor_officer)] == [
        "Grant request for Ceiba: new request (Urgent (days), answer due "
        f"{format_due(grant.due_at)})"
    ]
    with pytest.raises(StateConflict):
        grant_disburse(grant=grant, acting_user=grantor_officer)
    with pytest.raises(PermissionDenied):
        grant_decide(grant=grant, decision="approved", acting_user=ngo_officer)
    grant_decide(grant=grant, decision="approved", acting_user=grantor_officer)
    grant_disburse(grant=grant, acting_user=grantor_officer, disbursed_on=timezone.localdate())
    grant.refresh_from_db()
    assert grant.status == "disbursed" and grant.disbursed_on == timezone.localdate()
    subjects = [
        n.subject
        for n in Notification.objects.for_recipient(ngo_officer).filter(kind="grant_request")
    ]
    assert subjects == ["Grant request for Ceiba: Disbursed", "Grant request for Ceiba: Approved"]
    with pytest.raises(StateConflict):
        grant_decide(grant=grant, decision="declined", reason="x", acting_user=grantor_officer)


def test_a_decline_needs_a_reason_the_requester_reads(case, ngo_officer, grantor, grantor_officer):
    grant = _ask(f.approved_request(case, ngo_officer), grantor, ngo_officer)
    with pytest.raises(ValidationError):
        grant_decide(grant=grant, decision="declined", acting_user=grantor_officer)
    grant_decide(
        grant=grant,
        decision="declined",
        reason="Budget spent this quarter",
        acting_user=grantor_officer,
    )
    page = verified_client(ngo_officer).get(reverse("relocation:grant_detail", args=[grant.pk]))
    assert "Budget spent this quarter" in page.content.decode()


def test_a_future_disbursement_is_refused(case, ngo_officer, grantor, grantor_officer):
    grant = _ask(f.approved_request(case, ngo_officer), grantor, ngo_officer)
    grant_decide(grant=grant, decision="approved", acting_user=grantor_officer)
    with pytest.raises(ValidationError) as caught:
        grant_disburse(
            grant=grant,
            acting_user=grantor_officer,
            disbursed_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert "disbursed_on" in caught.value.message_dict


def test_the_grantor_sees_the_request_not_the_case(case, ngo_officer, grantor, grantor_officer):
    grant = _ask(f.approved_request(case, ngo_officer), grantor, ngo_officer)
    client = verified_client(grantor_officer)
    body = client.get(reverse("relocation:grant_detail", args=[grant.pk])).content.decode()
    assert "Ceiba" in body and "Laptop seized" in body and "2500.00 EUR" in body
    assert case.defender.legal_name not in body and "Insulin" not in body
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    inbox = client.get(reverse("relocation:grants_inbox")).content.decode()
    assert "Ceiba" in inbox


def test_the_api_grant_flow_with_cap_and_conflict(case, ngo_officer, the_mission, mission_officer):
    req = f.approved_request(case, ngo_officer)
    client = verified_client(ngo_officer)
    refused = client.post(
        reverse("api:relocation-grant-list"),
        {
            "request": str(req.pk),
            "grantor": str(the_mission.pk),
            "purpose": "legal_fees",
            "amount": "800",
            "currency": "EUR",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "does not offer emergency grants" in str(refused.json()["grantor"])
    f.offers_grants(the_mission)
    payload = {
        "request": str(req.pk),
        "grantor": str(the_mission.pk),
        "purpose": "legal_fees",
        "amount": "12000.00",
        "currency": "EUR",
    }
    over = client.post(
        reverse("api:relocation-grant-list"), payload, content_type="application/json"
    )
    assert over.status_code == 400 and "10000.00 EUR" in str(over.json()["amount"])
    created = client.post(
        reverse("api:relocation-grant-list"),
        {**payload, "amount": "800"},
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    grantor = verified_client(mission_officer)
    early = grantor.post(
        reverse("api:relocation-grant-disburse", args=[pk]), {}, content_type="application/json"
    )
    assert early.status_code == 409
    decided = grantor.post(
        reverse("api:relocation-grant-decide", args=[pk]),
        {"decision": "approved"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    # The requester cannot decide its own grant.
    assert (
        client.post(
            reverse("api:relocation-grant-decide", args=[pk]),
            {"decision": "approved"},
            content_type="application/json",
        ).status_code
        == 403
    )


def _grants(ngo, ngo_officer, grantor, n) -> None:
    """Rows for the lists' query counts: ``n`` more of them."""
    for req in f.approved_requests(ngo, ngo_officer, n):
        grant_request_create(
            relocation_request=req,
            grantor=grantor,
            purpose="legal_fees",
            amount=100,
            currency="EUR",
            acting_user=ngo_officer,
        )


def test_the_inbox_costs_the_same_for_1_or_6_requests(ngo, ngo_officer, grantor, grantor_officer):
    """The grantor's inbox's query count does not grow with its requests."""
    client = verified_client(grantor_officer)
    url = reverse("relocation:grants_inbox")
    _grants(ngo, ngo_officer, grantor, 1)
    few = get_counting(client, url, contains="<h1>Grant requests")
    _grants(ngo, ngo_officer, grantor, 5)
    get_counting(client, url, contains="<h1>Grant requests", queries=len(few.queries))


def test_the_api_list_costs_the_same_for_1_or_5_requests(
    ngo, ngo_officer, grantor, grantor_officer
):
    """The grant list costs the same whatever its rows, for the requester and the grantor."""
    lists = [
        (ngo_officer, reverse("api:relocation-grant-list")),
        (grantor_officer, reverse("api:relocation-grant-list")),
    ]
    _grants(ngo, ngo_officer, grantor, 1)
    few = [get_counting(verified_client(user), url, contains='"count":1,') for user, url in lists]
    _grants(ngo, ngo_officer, grantor, 4)
    for (user, url), counted in zip(lists, few, strict=True):
        get_counting(
            verified_client(user), url, contains='"count":5,', queries=len(counted.queries)
        )


def test_the_page_takes_no_step_it_does_not_know(case, ngo_officer, grantor, grantor_officer):
    """A post naming no known step (a hand-made form) records nothing and says so, as the
    other referral pages do (the grant page showed itself again without a word)."""
    grant = _ask(f.approved_request(case, ngo_officer), grantor, ngo_officer)
    url = reverse("relocation:grant_detail", args=[grant.pk])
    response = verified_client(grantor_officer).post(
        url, {"action": "approve", "decision": "approved"}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Unknown action." in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == "pending" and grant.decided_at is None
