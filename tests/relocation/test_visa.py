"""Fast-track visa referrals: deadline from the mission's service level, decision, validity,
the mission's queue and what the mission may see, the page and the API (its 400, 404 and 409,
its list's parameters) and the lists' query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from alerts.due import registered_due_sources
from alerts.models import Notification
from cases.models import Case
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent
from relocation.models import RelocationSettings, VisaReferral
from relocation.selectors.visa import visa_queue_for
from relocation.services.settings import settings_update
from relocation.services.visa import (
    entry_window_from,
    one_year_from,
    visa_decide,
    visa_referral_create,
)
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory
from tests.queries import get_counting
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


def _refer(req, mission, user, **kwargs):
    kwargs.setdefault("visa_type", "short_stay_multiple")
    kwargs.setdefault("requested_on", datetime.date(2026, 3, 10))
    return visa_referral_create(relocation_request=req, mission=mission, acting_user=user, **kwargs)


def test_the_deadline_is_the_request_date_plus_ten_days_by_default(
    consented_case, ngo_officer, the_mission
):
    """A routine request: the mission's fast-track 10 days (urgent and emergency:
    tests/relocation/test_deadlines.py)."""
    req = f.approved_request(consented_case, ngo_officer, urgency="routine")
    referral = _refer(req, the_mission, ngo_officer)
    assert referral.deadline == datetime.date(2026, 3, 20)


def test_the_deadline_follows_the_missions_service_level(consented_case, ngo_officer, the_mission):
    admin = f.staff(the_mission, role="admin")
    settings_update(
        organisation=the_mission,
        acting_user=admin,
        visa_service_days=5,
        grant_cap_amount=10000,
        grant_cap_currency="EUR",
    )
    req = f.approved_request(consented_case, ngo_officer, urgency="routine")
    referral = _refer(req, the_mission, ngo_officer)
    assert referral.deadline == datetime.date(2026, 3, 15)


def test_only_the_missions_admins_change_its_service_level(the_mission, mission_officer):
    with pytest.raises(PermissionDenied):
        settings_update(
            organisation=the_mission,
            acting_user=mission_officer,
            visa_service_days=3,
            grant_cap_amount=1,
            grant_cap_currency="EUR",
        )
    assert not RelocationSettings.objects.owned_by(the_mission).exists()


def test_it_refuses_a_referral_without_relocation_consent_and_writes_nothing(
    case, ngo_officer, the_mission, mission_officer
):
    req = f.approved_request(case, ngo_officer)
    with pytest.raises(ValidationError) as caught:
        _refer(req, the_mission, ngo_officer)
    assert "consented to relocation" in str(caught.value.message_dict["case"])
    assert not VisaReferral.objects.owned_by(case.organisation).exists()
    assert not Notification.objects.for_recipient(mission_officer).exists()


def test_it_refuses_a_referral_before_the_request_is_approved(
    consented_case, ngo_officer, the_mission
):
    req = f.make_request(consented_case, ngo_officer, status="submitted")
    with pytest.raises(ValidationError) as caught:
        _refer(req, the_mission, ngo_officer)
    assert "request" in caught.value.message_dict


def test_it_refuses_a_non_mission_addressee(consented_case, ngo_officer, ngo):
    with pytest.raises(ValidationError) as caught:
        _refer(f.approved_request(consented_case, ngo_officer), ngo, ngo_officer)
    assert "mission" in caught.value.message_dict


def test_a_granted_visa_is_valid_one_year_for_multiple_entries_by_default(
    consented_case, ngo_officer, the_mission, mission_officer
):
    referral = _refer(f.approved_request(consented_case, ngo_officer), the_mission, ngo_officer)
    decided = visa_decide(
        referral=referral,
        decision="granted",
        acting_user=mission_officer,
        valid_from=datetime.date(2026, 3, 12),
    )
    assert decided.valid_from == datetime.date(2026, 3, 12)
    assert decided.valid_until == datetime.date(2027, 3, 11)
    assert decided.multiple_entries is True
    assert AuditEvent.objects.filter(action="relocation.visa_decide").exists()
    # The requester is told.
    subjects = [
        n.subject
        for n in Notification.objects.for_recipient(ngo_officer).filter(kind="visa_referral")
    ]
    assert subjects == ["Visa referral for Ceiba: Granted"]


def test_a_refusal_needs_a_reason_the_requester_reads(
    consented_case, ngo_officer, the_mission, mission_officer
):
    referral = _refer(f.approved_request(consented_case, ngo_officer), the_mission, ngo_officer)
    with pytest.raises(ValidationError) as caught:
        visa_decide(referral=referral, decision="refused", acting_user=mission_officer)
    assert "reason" in caught.value.message_dict
    visa_decide(
        referral=referral,
        decision="refused",
        reason="Passport expired",
        acting_user=mission_officer,
    )
    page = verified_client(ngo_officer).get(
        reverse("relocation:detail", args=[referral.request_id])
    )
    assert "Passport expired" in page.content.decode()


def test_validity_cannot_start_before_the_request(
    consented_case, ngo_officer, the_mission, mission_officer
):
    referral = _refer(f.approved_request(consented_case, ngo_officer), the_mission, ngo_officer)
    with pytest.raises(ValidationError) as caught:
        visa_decide(
            referral=referral,
            decision="granted",
            acting_user=mission_officer,
            valid_from=datetime.date(2026, 3, 1),
        )
    assert "valid_from" in caught.value.message_dict
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_a_decision_cannot_be_taken_twice_or_by_the_requester(
    consented_case, ngo_officer, the_mission, mission_officer
):
    referral = _refer(f.approved_request(consented_case, ngo_officer), the_mission, ngo_officer)
    with pytest.raises(PermissionDenied):
        visa_decide(referral=referral, decision="granted", acting_user=ngo_officer)
    visa_decide(referral=referral, decision="granted", acting_user=mission_officer)
    with pytest.raises(StateConflict):
        visa_decide(referral=referral, decision="refused", reason="x", acting_user=mission_officer)


def test_the_mission_is_told_and_sees_the_referral_but_never_the_case(
    consented_case, ngo_officer, the_mission, mission_officer
):
    referral = _refer(
        f.approved_request(consented_case, ngo_officer),
        the_mission,
        ngo_officer,
        nationality="CO",
        note_for_mission="Travel document valid until 2030",
    )
    notes = list(Notification.objects.for_recipient(mission_officer))
    assert [n.subject for n in notes] == [
        "Visa referral for Ceiba: new referral (Urgent (days), answer due 16 Mar 2026, 00:00)"
    ]
    assert notes[0].case_id is None  # the mission cannot open the case
    client = verified_client(mission_officer)
    page = client.get(reverse("relocation:visa_detail", args=[referral.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Ceiba" in body and "Colombia" in body and "Travel document" in body
    assert consented_case.defender.legal_name not in body
    assert "Insulin" not in body  # the request's medical needs are not the mission's
    assert client.get(reverse("cases:detail", args=[consented_case.pk])).status_code == 404
    assert client.get(reverse("relocation:detail", args=[referral.request_id])).status_code == 404


def test_the_queue_is_sorted_by_deadline_and_flags_near_and_past(
    ngo, ngo_officer, the_mission, mission_officer
):
    today = timezone.localdate()
    made = {}
    for label, requested in (("far", 0), ("past", 12), ("near", 9)):
        case = CaseFactory(organisation=ngo, pseudonym=f"P-{label}")
        f.give_relocation_consent(case, ngo_officer)
        made[label] = _refer(
            f.approved_request(case, ngo_officer, urgency="routine"),
            the_mission,
            ngo_officer,
            requested_on=today - datetime.timedelta(days=requested),
        )
    rows = list(visa_queue_for(mission_officer))
    assert [r.case.pseudonym for r in rows] == ["P-past", "P-near", "P-far"]
    assert [r.flag(today) for r in rows] == ["past", "near", ""]
    body = verified_client(mission_officer).get(reverse("relocation:visa_queue")).content.decode()
    assert body.index("P-past") < body.index("P-near") < body.index("P-far")
    assert "overdue" in body and "due in 1 day" in body


def test_the_deadline_due_source_yields_once_per_referral_to_the_missions_officers(
    ngo, ngo_officer, the_mission, mission_officer
):
    today = timezone.localdate()
    for label, requested in (("far", 0), ("past", 12), ("near", 9)):
        case = CaseFactory(organisation=ngo, pseudonym=f"P-{label}")
        f.give_relocation_consent(case, ngo_officer)
        _refer(
            f.approved_request(case, ngo_officer, urgency="routine"),
            the_mission,
            ngo_officer,
            requested_on=today - datetime.timedelta(days=requested),
        )
    source = registered_due_sources()["relocation.visa_deadlines"]
    items = list(source(timezone.now()))
    assert len(items) == 2 and len({i.key for i in items}) == 2
    assert {i.subject.split(" for ")[1].split(" ")[0] for i in items} == {"P-past", "P-near"}
    for item in items:
        assert [u.pk for u in item.recipients] == [mission_officer.pk]
        assert item.kind == "visa_deadline"
    # A second sweep yields the same keys (the sweep deduplicates on them).
    assert {i.key for i in source(timezone.now())} == {i.key for i in items}


def test_the_api_refuses_a_visa_referral_without_consent_with_400(case, ngo_officer, the_mission):
    req = f.approved_request(case, ngo_officer)
    response = verified_client(ngo_officer).post(
        reverse("api:relocation-visa-list"),
        {"request": str(req.pk), "mission": str(the_mission.pk), "visa_type": "humanitarian"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "case" in response.json()
    assert not VisaReferral.objects.owned_by(case.organisation).exists()


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


# --- the visa list's query parameters are checked before they reach the database (issue 17,
# found by Schemathesis): a bad value is a 400 naming it, never a 500.


@pytest.fixture
def visa(consented_case, ngo_officer, the_mission):
    return visa_referral_create(
        relocation_request=f.approved_request(consented_case, ngo_officer),
        mission=the_mission,
        visa_type="humanitarian",
        requested_on=None,
        acting_user=ngo_officer,
    )


def test_it_refuses_a_nul_character_in_the_queue_status_naming_it(visa, mission_officer):
    """PostgreSQL refuses a NUL in a string: the queue answered 500."""
    client = verified_client(mission_officer)
    response = client.get(reverse("api:relocation-visa-list"), {"side": "queue", "status": "\x00"})
    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_it_refuses_an_unknown_side_or_status_naming_them(visa, mission_officer):
    client = verified_client(mission_officer)
    response = client.get(reverse("api:relocation-visa-list"), {"side": "x", "status": "lost"})
    assert response.status_code == 400
    assert set(response.json()) == {"side", "status"}


def test_the_queue_still_filters_by_status(visa, mission_officer):
    client = verified_client(mission_officer)
    url = reverse("api:relocation-visa-list")
    assert [row["id"] for row in client.get(url, {"side": "queue"}).json()["results"]] == [
        str(visa.pk)
    ]
    assert client.get(url, {"side": "queue", "status": "granted"}).json()["count"] == 0
    assert client.get(url, {"side": "queue", "status": ""}).json()["count"] == 1


def _visas(ngo, ngo_officer, the_mission, n) -> None:
    """Rows for the lists' query counts: ``n`` more of them."""
    for req in f.approved_requests(ngo, ngo_officer, n):
        visa_referral_create(
            relocation_request=req,
            mission=the_mission,
            visa_type="humanitarian",
            requested_on=None,
            acting_user=ngo_officer,
        )


def test_the_queue_costs_the_same_for_1_or_6_referrals(
    ngo, ngo_officer, the_mission, mission_officer
):
    """The mission's queue's query count does not grow with its referrals."""
    client = verified_client(mission_officer)
    url = reverse("relocation:visa_queue")
    _visas(ngo, ngo_officer, the_mission, 1)
    few = get_counting(client, url, contains="<h1>Visa queue")
    _visas(ngo, ngo_officer, the_mission, 5)
    get_counting(client, url, contains="<h1>Visa queue", queries=len(few.queries))


def test_the_api_lists_cost_the_same_for_1_or_5_referrals(
    ngo, ngo_officer, the_mission, mission_officer
):
    """The requester's list and the mission's queue cost the same whatever their rows."""
    lists = [
        (ngo_officer, reverse("api:relocation-visa-list")),
        (mission_officer, reverse("api:relocation-visa-list") + "?side=queue"),
    ]
    _visas(ngo, ngo_officer, the_mission, 1)
    few = [get_counting(verified_client(user), url, contains='"count":1,') for user, url in lists]
    _visas(ngo, ngo_officer, the_mission, 4)
    for (user, url), counted in zip(lists, few, strict=True):
        get_counting(
            verified_client(user), url, contains='"count":5,', queries=len(counted.queries)
        )


def test_the_page_takes_no_step_it_does_not_know(consented_case, ngo_officer, mission_officer):
    """A post naming no known step (a hand-made form) records nothing: the page read any such
    post as a decision."""
    referral = visa_referral_create(
        relocation_request=f.approved_request(consented_case, ngo_officer),
        mission=mission_officer.organisation,
        visa_type="humanitarian",
        acting_user=ngo_officer,
    )
    url = reverse("relocation:visa_detail", args=[referral.pk])
    response = verified_client(mission_officer).post(
        url, {"action": "approve", "decision": "granted"}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Unknown action." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "pending" and referral.decided_at is None


@pytest.mark.parametrize(
    "valid_from,valid_until,entries_until",
    [
        (datetime.date(2028, 2, 28), datetime.date(2029, 2, 27), datetime.date(2031, 2, 27)),
        # a year from 29 February ends the day after a year from the 28th
        (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28), datetime.date(2031, 2, 28)),
        (datetime.date(2028, 3, 1), datetime.date(2029, 2, 28), datetime.date(2031, 2, 28)),
        # a year from 1 March 2027 takes in 29 February 2028
        (datetime.date(2027, 3, 1), datetime.date(2028, 2, 29), datetime.date(2030, 2, 28)),
    ],
)
def test_a_year_of_validity_and_three_of_entries_end_the_day_before_the_anniversary(
    valid_from, valid_until, entries_until
):
    assert one_year_from(valid_from) == valid_until
    assert entry_window_from(valid_from, valid_until) == entries_until
