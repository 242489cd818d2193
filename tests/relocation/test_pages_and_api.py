"""Pages at fixed query counts, the case-page panel and timeline, the API's 400/404/409,
and the retention purge."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from cases.models import Case
from cases.services.retention import case_purge
from relocation.models import RelocationRequest, VisaReferral
from relocation.services.grants import grant_request_create
from relocation.services.requests import request_transition
from relocation.services.shelter import shelter_referral_create
from relocation.services.visa import visa_referral_create
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.queries import get_counting
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


def _queries(client, url, shown) -> int:
    return len(get_counting(client, url, contains=shown).queries)


def _requests(ngo, user, n):
    for _ in range(n):
        case = CaseFactory(organisation=ngo)
        f.give_relocation_consent(case, user)
        yield f.approved_request(case, user)


def test_the_request_list_costs_the_same_for_2_or_12_rows(ngo, ngo_officer):
    client = verified_client(ngo_officer)
    list(_requests(ngo, ngo_officer, 2))
    url = reverse("relocation:list")
    few = _queries(client, url, "<h1>Relocation requests</h1>")
    list(_requests(ngo, ngo_officer, 10))
    assert _queries(client, url, "<h1>Relocation requests</h1>") == few
    assert few <= 12


def test_the_queue_inbox_and_grants_pages_cost_fixed_queries(
    ngo, ngo_officer, the_mission, mission_officer
):
    the_city = f.city(periods=[(datetime.date(2026, 1, 1), datetime.date(2030, 1, 1), 50)])
    city_officer = f.staff(the_city)
    start = datetime.date.today() + datetime.timedelta(days=5)

    def add(n):
        for req in _requests(ngo, ngo_officer, n):
            visa_referral_create(
                relocation_request=req,
                mission=the_mission,
                visa_type="humanitarian",
                requested_on=None,
                acting_user=ngo_officer,
            )
            shelter_referral_create(
                relocation_request=req,
                city=the_city,
                start=start,
                end=start + datetime.timedelta(days=20),
                acting_user=ngo_officer,
            )
            f.offers_grants(the_mission)
            grant_request_create(
                relocation_request=req,
                grantor=the_mission,
                purpose="legal_fees",
                amount=100,
                currency="EUR",
                acting_user=ngo_officer,
            )

    pages = [
        (verified_client(mission_officer), reverse("relocation:visa_queue"), "Visa queue"),
        (verified_client(mission_officer), reverse("relocation:grants_inbox"), "Grant requests"),
        (verified_client(city_officer), reverse("relocation:city_inbox"), "Shelter referrals"),
        (verified_client(city_officer), reverse("relocation:city_calendar"), "Occupancy"),
    ]
    add(1)
    before = [_queries(client, url, f"<h1>{h1}") for client, url, h1 in pages]
    add(5)
    assert [_queries(client, url, f"<h1>{h1}") for client, url, h1 in pages] == before


def test_the_case_page_panel_lists_requests_for_owner_and_full_partner_only(ngo, ngo_officer):
    owner = OrganisationFactory()
    owner_officer = UserFactory(organisation=owner, role=Role.OFFICER)
    case = CaseFactory(organisation=owner, pseudonym="Guayacan")
    share_case(case, ngo, "full", acting_user=owner_officer)
    feedback_org = OrganisationFactory()
    share_case(case, feedback_org, "feedback", acting_user=owner_officer)
    req = f.make_request(case, ngo_officer, support=["security_training"])
    request_transition(relocation_request=req, to_status="submitted", acting_user=ngo_officer)
    partner_page = (
        verified_client(ngo_officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    assert "Request relocation" in partner_page and "Security training" in partner_page
    owner_page = (
        verified_client(owner_officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    assert "Security training" in owner_page
    # The timeline shows the step to the owner.
    assert "Relocation request by" in owner_page
    feedback_page = (
        verified_client(UserFactory(organisation=feedback_org))
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode()
    )
    assert (
        "Request relocation" not in feedback_page and "Relocation request by" not in feedback_page
    )


def test_the_api_creates_lists_and_moves_a_request(case, ngo_officer, ngo_admin):
    client = verified_client(ngo_officer)
    response = client.post(
        reverse("api:relocation-request-list"),
        {
            "case": str(case.pk),
            "support": ["emergency_grant"],
            "urgency": "emergency",
            "submit": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "submitted"
    listing = client.get(reverse("api:relocation-request-list")).json()
    assert [row["id"] for row in listing["results"]] == [pk]
    conflict = verified_client(ngo_admin).post(
        reverse("api:relocation-request-transition", args=[pk]),
        {"to_status": "approved"},
        content_type="application/json",
    )
    assert conflict.status_code == 409
    assert conflict.json()["allowed"] == ["in_review", "cancelled"]
    ok = verified_client(ngo_admin).post(
        reverse("api:relocation-request-transition", args=[pk]),
        {"to_status": "in_review"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "in_review"
    assert [t["to_status"] for t in ok.json()["transitions"]] == ["draft", "submitted", "in_review"]


def test_the_api_answers_400_naming_fields(case, ngo_officer):
    client = verified_client(ngo_officer)
    response = client.post(
        reverse("api:relocation-request-list"),
        {
            "case": str(case.pk),
            "support": [],
            "window_start": "2026-05-10",
            "window_end": "2026-05-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "support" in response.json()
    response = client.post(
        reverse("api:relocation-request-list"),
        {
            "case": str(case.pk),
            "support": ["emergency_grant"],
            "window_start": "2026-05-10",
            "window_end": "2026-05-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "window_end" in response.json()
    assert not RelocationRequest.objects.owned_by(case.organisation).exists()


def test_the_api_refuses_a_visa_referral_without_consent_with_400(case, ngo_officer, the_mission):
    req = f.approved_request(case, ngo_officer)
    response = verified_client(ngo_officer).post(
        reverse("api:relocation-visa-list"),
        {"request": str(req.pk), "mission": str(the_mission.pk), "visa_type": "humanitarian"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "case" in response.json()
    assert not VisaReferral.objects.owned_by(case.organisation).exists()


def test_the_api_hides_other_organisations_objects_with_404(
    consented_case, ngo_officer, the_mission, mission_officer
):
    req = f.approved_request(consented_case, ngo_officer)
    visa = visa_referral_create(
        relocation_request=req,
        mission=the_mission,
        visa_type="humanitarian",
        requested_on=None,
        acting_user=ngo_officer,
    )
    stranger = verified_client(UserFactory(organisation=OrganisationFactory(), role=Role.ADMIN))
    assert stranger.get(reverse("api:relocation-request-detail", args=[req.pk])).status_code == 404
    assert stranger.get(reverse("api:relocation-visa-detail", args=[visa.pk])).status_code == 404
    assert (
        stranger.post(
            reverse("api:relocation-visa-decide", args=[visa.pk]),
            {"decision": "granted"},
            content_type="application/json",
        ).status_code
        == 404
    )
    # Creating a referral on someone else's request is a 404 too.
    assert (
        stranger.post(
            reverse("api:relocation-visa-list"),
            {"request": str(req.pk), "mission": str(the_mission.pk), "visa_type": "humanitarian"},
            content_type="application/json",
        ).status_code
        == 404
    )
    # The mission decides through the API; its queue lists the referral.
    mission_client = verified_client(mission_officer)
    queue = mission_client.get(reverse("api:relocation-visa-list"), {"side": "queue"}).json()
    assert [row["id"] for row in queue["results"]] == [str(visa.pk)]
    assert queue["results"][0]["pseudonym"] == "Ceiba"
    assert "legal_name" not in str(queue)
    decided = mission_client.post(
        reverse("api:relocation-visa-decide", args=[visa.pk]),
        {"decision": "refused"},
        content_type="application/json",
    )
    assert decided.status_code == 400 and "reason" in decided.json()
    decided = mission_client.post(
        reverse("api:relocation-visa-decide", args=[visa.pk]),
        {"decision": "granted"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["multiple_entries"] is True
    again = mission_client.post(
        reverse("api:relocation-visa-decide", args=[visa.pk]),
        {"decision": "granted"},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_the_api_shelter_flow_and_conflict(consented_case, ngo_officer):
    start = datetime.date.today() + datetime.timedelta(days=3)
    the_city = f.city(periods=[(start, start + datetime.timedelta(days=30), 1)])
    city_officer = f.staff(the_city)
    req = f.approved_request(consented_case, ngo_officer)
    created = verified_client(ngo_officer).post(
        reverse("api:relocation-stay-list"),
        {
            "request": str(req.pk),
            "city": str(the_city.pk),
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(days=10)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    city = verified_client(city_officer)
    listing = city.get(reverse("api:relocation-stay-list")).json()["results"]
    assert listing[0]["pseudonym"] == "Ceiba" and listing[0]["languages"] == "Spanish, English"
    assert (
        city.post(
            reverse("api:relocation-stay-confirm", args=[pk]), {}, content_type="application/json"
        ).status_code
        == 409
    )
    assert (
        city.post(
            reverse("api:relocation-stay-answer", args=[pk]),
            {"answer": "accepted"},
            content_type="application/json",
        ).status_code
        == 200
    )
    confirmed = city.post(
        reverse("api:relocation-stay-confirm", args=[pk]), {}, content_type="application/json"
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"


def test_the_retention_purge_blanks_plans_and_needs(case, ngo_officer, ngo_admin):
    req = f.make_request(
        case, ngo_officer, journey_security_plan="Escort", return_strategy="In 2027"
    )
    request_transition(
        relocation_request=req,
        to_status="cancelled",
        acting_user=ngo_officer,
        reason="Moved abroad",
    )
    # unscoped: closing the case long ago so that retention is due.
    Case.objects.unscoped().filter(pk=case.pk).update(
        status="closed", closed_on=datetime.date(2019, 1, 1), closing_reason="other"
    )
    assert case_purge(case_id=case.pk, today=datetime.date(2026, 11, 23)) is True
    req = RelocationRequest.objects.owned_by(case.organisation).get(pk=req.pk)
    assert (req.medical_needs, req.visa_plan, req.journey_security_plan, req.return_strategy) == (
        "",
        "",
        "",
        "",
    )
    assert req.status == "cancelled" and req.support
    assert all(step.reason == "" for step in req.transitions.all())


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


def test_the_mission_decides_through_the_page(
    consented_case, ngo_officer, the_mission, mission_officer
):
    req = f.approved_request(consented_case, ngo_officer)
    referral = visa_referral_create(
        relocation_request=req,
        mission=the_mission,
        visa_type="humanitarian",
        acting_user=ngo_officer,
    )
    client = verified_client(mission_officer)
    url = reverse("relocation:visa_detail", args=[referral.pk])
    refused = client.post(url, {"action": "decide", "decision": "refused"})
    assert refused.status_code == 400 and "Give the reason" in refused.content.decode()
    assert client.post(url, {"action": "decide", "decision": "granted"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "granted" and referral.valid_until is not None


def test_the_forms_and_detail_pages_render(consented_case, ngo_officer, the_mission):
    client = verified_client(ngo_officer)
    assert client.get(reverse("relocation:create", args=[consented_case.pk])).status_code == 200
    req = f.approved_request(consented_case, ngo_officer)
    for name in ("detail", "edit", "visa_create", "shelter_create", "grant_create"):
        response = client.get(reverse(f"relocation:{name}", args=[req.pk]))
        assert response.status_code in (200, 302), name
    detail = client.get(reverse("relocation:detail", args=[req.pk])).content.decode()
    assert "Refer for a visa" in detail and "Start the relocation" in detail
    response = client.post(
        reverse("relocation:visa_create", args=[req.pk]),
        {"mission": str(the_mission.pk), "visa_type": "humanitarian", "requested_on": "2026-03-10"},
    )
    referral = VisaReferral.objects.owned_by(consented_case.organisation).get()
    assert response["Location"] == reverse("relocation:visa_detail", args=[referral.pk])


def test_a_referral_for_a_closed_case_is_refused(consented_case, ngo_officer, the_mission):
    req = f.approved_request(consented_case, ngo_officer)
    # unscoped: the case was closed after the request was approved.
    Case.objects.unscoped().filter(pk=consented_case.pk).update(
        status="closed", closed_on=datetime.date(2026, 4, 1), closing_reason="other"
    )
    req.case.refresh_from_db()
    response = verified_client(ngo_officer).post(
        reverse("api:relocation-visa-list"),
        {"request": str(req.pk), "mission": str(the_mission.pk), "visa_type": "humanitarian"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "closed" in str(response.json()["case"])
    assert not VisaReferral.objects.owned_by(consented_case.organisation).exists()


def test_the_api_lists_cost_fixed_queries(ngo, ngo_officer, the_mission, mission_officer):
    def add(n):
        for req in _requests(ngo, ngo_officer, n):
            visa_referral_create(
                relocation_request=req,
                mission=the_mission,
                visa_type="humanitarian",
                acting_user=ngo_officer,
            )

    # The rows each list shows after add(1) and add(4) (the stay and grant lists stay empty).
    urls = [
        (verified_client(ngo_officer), reverse("api:relocation-request-list"), (1, 5)),
        (verified_client(ngo_officer), reverse("api:relocation-visa-list"), (1, 5)),
        (
            verified_client(mission_officer),
            reverse("api:relocation-visa-list") + "?side=queue",
            (1, 5),
        ),
        (verified_client(ngo_officer), reverse("api:relocation-stay-list"), (0, 0)),
        (verified_client(ngo_officer), reverse("api:relocation-grant-list"), (0, 0)),
    ]
    add(1)
    before = [_queries(client, url, f'"count":{rows[0]},') for client, url, rows in urls]
    add(4)
    after = [_queries(client, url, f'"count":{rows[1]},') for client, url, rows in urls]
    assert after == before
