"""The relocation request and its workflow: who raises, who reviews, every transition; its
pages (list, form, edit, referral forms) and the API, with the lists' query counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from alerts.models import Notification
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent
from relocation.models import (
    REQUEST_TRANSITIONS,
    RelocationRequest,
    RequestStatus,
    RequestTransition,
    VisaReferral,
)
from relocation.services.deadlines import format_due
from relocation.services.requests import request_create, request_steps_for, request_transition
from relocation.services.visa import visa_referral_create
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.queries import get_counting
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


def _notified(user, kind="relocation_request"):
    return list(Notification.objects.for_recipient(user).filter(kind=kind))


def test_it_records_a_draft_with_encrypted_needs_and_its_first_step(case, ngo_officer):
    req = f.make_request(case, ngo_officer, journey_security_plan="Escort to the airport")
    req = RelocationRequest.objects.visible_to(ngo_officer).get(pk=req.pk)
    assert req.status == RequestStatus.DRAFT
    assert req.reviewer_id == case.organisation_id
    assert req.journey_security_plan == "Escort to the airport"
    steps = list(req.transitions.all())
    assert [(s.from_status, s.to_status) for s in steps] == [("", "draft")]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT medical_needs, journey_security_plan FROM relocation_relocationrequest"
        )
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert "Insulin" not in raw and "Escort" not in raw


def test_it_walks_the_whole_workflow_and_records_who_and_when(case, ngo_officer, ngo_admin):
    req = f.make_request(case, ngo_officer)
    request_transition(relocation_request=req, to_status="submitted", acting_user=ngo_officer)
    # The requester owns the case: its admins review.
    for step in ("in_review", "approved"):
        request_transition(relocation_request=req, to_status=step, acting_user=ngo_admin)
    for step in ("in_progress", "completed"):
        request_transition(relocation_request=req, to_status=step, acting_user=ngo_officer)
    req.refresh_from_db()
    assert req.status == "completed"
    steps = list(RequestTransition.objects.owned_by(case.organisation).filter(request=req))
    assert [s.to_status for s in steps] == [
        "draft",
        "submitted",
        "in_review",
        "approved",
        "in_progress",
        "completed",
    ]
    assert [s.actor for s in steps[2:4]] == [ngo_admin, ngo_admin]
    assert all(s.at for s in steps)
    assert AuditEvent.objects.filter(action="relocation.request_transition").count() == 5


@pytest.mark.parametrize(
    ("state", "target"),
    [
        ("draft", "approved"),
        ("draft", "in_review"),
        ("submitted", "completed"),
        ("in_review", "in_progress"),
        ("approved", "declined"),
        ("declined", "approved"),
        ("completed", "cancelled"),
        ("cancelled", "submitted"),
    ],
)
def test_it_refuses_an_invalid_transition_with_the_allowed_ones(case, ngo_admin, state, target):
    req = f.make_request(case, ngo_admin, status=state)
    with pytest.raises(StateConflict) as caught:
        request_transition(relocation_request=req, to_status=target, acting_user=ngo_admin)
    assert caught.value.allowed == list(REQUEST_TRANSITIONS[state])
    req.refresh_from_db()
    assert req.status == state
    assert req.transitions.count() == 1  # only the draft step


@pytest.mark.parametrize("state", ["draft", "submitted", "in_review", "approved", "in_progress"])
def test_it_allows_cancelling_until_the_request_is_finished(case, ngo_officer, state):
    req = f.make_request(case, ngo_officer, status=state)
    request_transition(
        relocation_request=req,
        to_status="cancelled",
        acting_user=ngo_officer,
        reason="Threat passed",
    )
    assert req.status == "cancelled"


def test_it_needs_a_reason_to_decline_or_cancel(case, ngo_officer, ngo_admin):
    req = f.make_request(case, ngo_officer, status="in_review")
    with pytest.raises(ValidationError) as caught:
        request_transition(relocation_request=req, to_status="declined", acting_user=ngo_admin)
    assert "reason" in caught.value.message_dict
    req.refresh_from_db()
    assert req.status == "in_review"


def test_an_officer_cannot_review_own_organisations_request(case, ngo_officer):
    req = f.make_request(case, ngo_officer, status="submitted")
    with pytest.raises(PermissionDenied):
        request_transition(relocation_request=req, to_status="in_review", acting_user=ngo_officer)
    assert request_steps_for(ngo_officer, req) == ["cancelled"]


def test_a_full_partner_raises_a_request_and_the_owner_reviews_it(ngo, ngo_officer):
    owner = OrganisationFactory(name="Owner mission")
    owner_officer = UserFactory(organisation=owner, role=Role.OFFICER)
    case = CaseFactory(organisation=owner, pseudonym="Guayacan")
    share_case(case, ngo, "full", acting_user=owner_officer)
    req = request_create(
        case=case,
        acting_user=ngo_officer,
        support=["emergency_grant"],
        submit=True,
    )
    assert req.status == "submitted" and req.reviewer_id == owner.pk
    # The owner's officers are told and review; the partner cannot review its own request.
    assert [n.subject for n in _notified(owner_officer)] == [
        "Relocation request for Guayacan: Submitted (Urgent (days), answer due "
        f"{format_due(req.review_due_at)})"
    ]
    with pytest.raises(PermissionDenied):
        request_transition(relocation_request=req, to_status="in_review", acting_user=ngo_officer)
    request_transition(relocation_request=req, to_status="in_review", acting_user=owner_officer)
    request_transition(
        relocation_request=req, to_status="declined", acting_user=owner_officer, reason="Not needed"
    )
    subjects = [n.subject for n in _notified(ngo_officer)]
    assert "Relocation request for Guayacan: Declined" in subjects
    # The requester reads the decline reason on its request page.
    page = verified_client(ngo_officer).get(reverse("relocation:detail", args=[req.pk]))
    assert "Not needed" in page.content.decode()


def test_a_feedback_partner_cannot_request_relocation(ngo, ngo_officer):
    owner = OrganisationFactory()
    case = CaseFactory(organisation=owner)
    share_case(case, ngo, "feedback")
    client = verified_client(ngo_officer)
    assert client.get(reverse("relocation:create", args=[case.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        request_create(case=case, acting_user=ngo_officer, support=["x"])


def test_a_viewer_cannot_raise_or_move_a_request(case, ngo, ngo_officer):
    viewer = UserFactory(organisation=ngo, role=Role.VIEWER)
    client = verified_client(viewer)
    assert client.get(reverse("relocation:create", args=[case.pk])).status_code == 403
    req = f.make_request(case, ngo_officer)
    response = client.post(
        reverse("relocation:transition", args=[req.pk]), {"to_status": "submitted"}
    )
    assert response.status_code == 403
    assert client.get(reverse("relocation:detail", args=[req.pk])).status_code == 200


def test_it_refuses_a_request_on_a_closed_case_and_writes_nothing(ngo_officer, ngo):
    import datetime

    case = CaseFactory(
        organisation=ngo,
        status="closed",
        closed_on=datetime.date(2026, 4, 1),
        closing_reason="other",
    )
    with pytest.raises(ValidationError) as caught:
        f.make_request(case, ngo_officer)
    assert "case" in caught.value.message_dict
    assert not RelocationRequest.objects.owned_by(ngo).exists()


def test_it_refuses_bad_input_with_field_errors(case, ngo_officer):
    import datetime

    with pytest.raises(ValidationError) as caught:
        request_create(
            case=case,
            acting_user=ngo_officer,
            support=[],
            window_start=datetime.date(2026, 5, 10),
            window_end=datetime.date(2026, 5, 1),
        )
    assert set(caught.value.message_dict) == {"support", "window_end"}


def test_the_form_creates_and_submits(case, ngo_officer, ngo_admin):
    client = verified_client(ngo_officer)
    response = client.post(
        reverse("relocation:create", args=[case.pk]),
        {
            "support": ["emergency_shelter", "security_training"],
            "urgency": "emergency",
            "family_members": 2,
            "languages": "Spanish",
            "submit_now": "1",
        },
    )
    req = RelocationRequest.objects.owned_by(case.organisation).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "relocation:detail", args=[req.pk]
    )
    assert req.status == "submitted" and req.family_members == 2
    # The reviewer (own admins) is told.
    assert _notified(ngo_admin)


def test_the_form_shows_errors_and_writes_nothing(case, ngo_officer):
    client = verified_client(ngo_officer)
    response = client.post(
        reverse("relocation:create", args=[case.pk]),
        {
            "urgency": "emergency",
            "family_members": 0,
            "window_start": "2026-05-10",
            "window_end": "2026-05-01",
        },
    )
    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()
    assert not RelocationRequest.objects.owned_by(case.organisation).exists()


def test_the_page_answers_an_invalid_step_with_the_message(case, ngo_admin):
    req = f.make_request(case, ngo_admin, status="completed")
    client = verified_client(ngo_admin)
    response = client.post(
        reverse("relocation:transition", args=[req.pk]), {"to_status": "approved"}, follow=True
    )
    assert "cannot become" in response.content.decode()


def test_cancelling_withdraws_open_referrals_and_tells_the_addressees(
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
    request_transition(
        relocation_request=req, to_status="cancelled", acting_user=ngo_officer, reason="Safe now"
    )
    visa.refresh_from_db()
    assert visa.status == "withdrawn"
    subjects = [n.subject for n in _notified(mission_officer, "visa_referral")]
    assert "Visa referral for Ceiba: withdrawn" in subjects


def test_the_reviewer_does_not_see_drafts_of_partners(ngo, ngo_officer):
    owner = OrganisationFactory()
    owner_officer = UserFactory(organisation=owner, role=Role.OFFICER)
    case = CaseFactory(organisation=owner)
    share_case(case, ngo, "full", acting_user=owner_officer)
    req = f.make_request(case, ngo_officer)
    client = verified_client(owner_officer)
    assert client.get(reverse("relocation:detail", args=[req.pk])).status_code == 404
    request_transition(relocation_request=req, to_status="submitted", acting_user=ngo_officer)
    assert client.get(reverse("relocation:detail", args=[req.pk])).status_code == 200


def test_the_request_list_costs_the_same_for_2_or_12_rows(ngo, ngo_officer):
    client = verified_client(ngo_officer)
    f.approved_requests(ngo, ngo_officer, 2)
    url = reverse("relocation:list")
    few = len(get_counting(client, url, contains="<h1>Relocation requests</h1>").queries)
    f.approved_requests(ngo, ngo_officer, 10)
    assert len(get_counting(client, url, contains="<h1>Relocation requests</h1>").queries) == few
    assert few <= 12


def test_a_draft_is_edited_by_its_requester(case, ngo_officer):
    req = f.make_request(case, ngo_officer)
    client = verified_client(ngo_officer)
    response = client.post(
        reverse("relocation:edit", args=[req.pk]),
        {"support": ["emergency_grant"], "urgency": "routine", "family_members": 3},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert (req.support, req.urgency, req.family_members) == (["emergency_grant"], "routine", 3)
    f.make_request(case, ngo_officer)
    from relocation.models import RelocationRequest

    # unscoped: put the request in review to check the edit is then refused.
    RelocationRequest.objects.unscoped().filter(pk=req.pk).update(status="in_review")
    response = client.post(
        reverse("relocation:edit", args=[req.pk]),
        {"support": ["emergency_grant"], "urgency": "routine", "family_members": 1},
        follow=True,
    )
    assert "before its review starts" in response.content.decode()
    req.refresh_from_db()
    assert req.family_members == 3


def test_the_request_list_paginates_and_filters(ngo, ngo_officer, monkeypatch):
    from relocation.views import referral

    monkeypatch.setattr(referral, "PAGE_SIZE", 2)
    for status in ("draft", "submitted", "approved"):
        f.make_request(CaseFactory(organisation=ngo), ngo_officer, status=status)
    client = verified_client(ngo_officer)
    first = client.get(reverse("relocation:list")).content.decode()
    assert "Page 1 of 2 (3 results)" in first
    only_approved = client.get(reverse("relocation:list"), {"status": "approved"})
    assert [r.status for r in only_approved.context["page"].object_list] == ["approved"]
    assert "Page 1 of" not in only_approved.content.decode()


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


def test_the_api_list_costs_the_same_for_1_or_5_requests(ngo, ngo_officer):
    """The request list's query count does not grow with its rows."""
    client, url = verified_client(ngo_officer), reverse("api:relocation-request-list")
    f.approved_requests(ngo, ngo_officer, 1)
    few = get_counting(client, url, contains='"count":1,')
    f.approved_requests(ngo, ngo_officer, 4)
    get_counting(client, url, contains='"count":5,', queries=len(few.queries))
