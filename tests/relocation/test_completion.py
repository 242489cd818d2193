"""Where a request stands and how it completes by itself (issue 20, item 3): the "waiting
for" line per state, every referral's status with the request, completion when the referrals
are settled (granted or accepted, or refused with no alternative pending), audited and told,
never while frozen, reopened by a new referral; the next steps a finished request offers; the
list, the request page and the case panel at a fixed query count."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Notification
from cases.services.sharing import share_revoke
from hrdcase.models import AuditEvent
from relocation.models import (
    RelocationRequest,
    RequestStatus,
    RequestTransition,
    ShelterReferral,
    VisaReferral,
)
from relocation.selectors.requests import request_settlement, settlement, standings
from relocation.services.grants import grant_decide, grant_request_create
from relocation.services.requests import request_settle, request_transition
from relocation.services.shelter import shelter_answer, shelter_referral_create, shelter_withdraw
from relocation.services.visa import visa_decide, visa_referral_create, visa_withdraw
from tests.conftest import verified_client
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.queries import get_counting
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db

START = datetime.date.today() + datetime.timedelta(days=30)


@pytest.fixture
def the_city(db):
    return f.city(
        name="Shelter The Hague", code="SCH", periods=[(START, START + datetime.timedelta(200), 3)]
    )


@pytest.fixture
def city_officer(the_city):
    return f.staff(the_city)


@pytest.fixture
def the_grantor(db):
    return f.grantor(name="Lifeline Fund", code="LLF")


@pytest.fixture
def grantor_officer(the_grantor):
    return f.staff(the_grantor)


@pytest.fixture
def req(consented_case, ngo_officer):
    return f.approved_request(consented_case, ngo_officer, urgency="emergency")


def _visa(req, mission, user):
    return visa_referral_create(
        relocation_request=req,
        mission=mission,
        acting_user=user,
        visa_type="short_stay_multiple",
        requested_on=datetime.date.today(),
    )


def _stay(req, city, user):
    return shelter_referral_create(
        relocation_request=req,
        city=city,
        start=START,
        end=START + datetime.timedelta(days=60),
        acting_user=user,
    )


def _grant(req, grantor, user):
    return grant_request_create(
        relocation_request=req,
        grantor=grantor,
        purpose="urgent_relocation",
        amount=Decimal("800"),
        currency="EUR",
        acting_user=user,
        justification="Flights for the defender and a child",
    )


def _status(req) -> str:
    # unscoped: the test reads the request's state as it is now.
    return RelocationRequest.objects.unscoped().get(pk=req.pk).status


# --- the rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "none"),
        ([("visa_referrals", "withdrawn")], "none"),
        ([("visa_referrals", "granted")], "settled"),
        ([("shelter_referrals", "accepted")], "settled"),
        ([("shelter_referrals", "hosting")], "settled"),
        ([("grants", "approved")], "settled"),
        ([("grants", "disbursed")], "settled"),
        ([("shelter_referrals", "waitlisted")], "pending"),
        ([("visa_referrals", "refused")], "refused"),
        # refused with an alternative pending: not settled; without: settled
        ([("visa_referrals", "refused"), ("visa_referrals", "pending")], "pending"),
        ([("visa_referrals", "refused"), ("shelter_referrals", "accepted")], "settled"),
        ([("visa_referrals", "granted"), ("grants", "pending")], "pending"),
        ([("shelter_referrals", "declined"), ("grants", "declined")], "refused"),
    ],
)
def test_settlement_of_each_kind_of_referral(statuses, expected):
    assert settlement(statuses) == expected


# --- completion by itself --------------------------------------------------------------------


def test_a_granted_visa_completes_the_request_audited_and_told(
    req, ngo_officer, ngo_admin, the_mission, mission_officer
):
    visa = _visa(req, the_mission, ngo_officer)
    assert _status(req) == RequestStatus.APPROVED
    visa_decide(referral=visa, decision="granted", acting_user=mission_officer)
    done = RelocationRequest.objects.unscoped().get(pk=req.pk)
    assert done.status == RequestStatus.COMPLETED
    assert done.status_changed_at is not None
    step = RequestTransition.objects.unscoped().filter(request=req).last()
    assert (step.from_status, step.to_status) == ("approved", "completed")
    event = AuditEvent.objects.get(action="relocation.request_complete")
    assert event.data["automatic"] is True
    for person in (ngo_officer, ngo_admin):
        told = Notification.objects.for_recipient(person).filter(kind="relocation_completed")
        assert told.count() == 1
    assert not Notification.objects.for_recipient(mission_officer).filter(
        kind="relocation_completed"
    )


def test_an_accepted_stay_completes_a_waitlisted_one_does_not(
    req, ngo_officer, the_city, city_officer
):
    stay = _stay(req, the_city, ngo_officer)
    shelter_answer(referral=stay, answer="waitlisted", acting_user=city_officer)
    assert _status(req) == RequestStatus.APPROVED
    shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)
    assert _status(req) == RequestStatus.COMPLETED


def test_an_approved_grant_completes_the_request(req, ngo_officer, the_grantor, grantor_officer):
    grant = _grant(req, the_grantor, ngo_officer)
    grant_decide(grant=grant, decision="approved", acting_user=grantor_officer)
    assert _status(req) == RequestStatus.COMPLETED


def test_a_refusal_with_an_alternative_pending_waits_for_it(
    req, ngo_officer, the_mission, mission_officer, the_city, city_officer
):
    visa = _visa(req, the_mission, ngo_officer)
    stay = _stay(req, the_city, ngo_officer)
    visa_decide(referral=visa, decision="refused", reason="Incomplete", acting_user=mission_officer)
    assert _status(req) == RequestStatus.APPROVED
    shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)
    assert _status(req) == RequestStatus.COMPLETED


def test_a_refusal_with_no_alternative_pending_completes_what_was_granted(
    req, ngo_officer, the_mission, mission_officer, the_city, city_officer
):
    visa = _visa(req, the_mission, ngo_officer)
    stay = _stay(req, the_city, ngo_officer)
    shelter_answer(referral=stay, answer="accepted", acting_user=city_officer)
    assert _status(req) == RequestStatus.APPROVED  # the visa is still awaited
    visa_decide(referral=visa, decision="refused", reason="Incomplete", acting_user=mission_officer)
    assert _status(req) == RequestStatus.COMPLETED


def test_every_referral_refused_waits_for_the_requester(
    req, ngo_officer, the_mission, mission_officer
):
    visa = _visa(req, the_mission, ngo_officer)
    visa_decide(referral=visa, decision="refused", reason="Incomplete", acting_user=mission_officer)
    assert _status(req) == RequestStatus.APPROVED
    standing = standings(
        [
            RelocationRequest.objects.unscoped()
            .select_related("organisation", "reviewer")
            .get(pk=req.pk)
        ]
    )[req.pk]
    assert standing.settlement == "refused"
    assert "another referral" in standing.text
    assert "Defenders NGO" in standing.text


def test_withdrawing_the_last_pending_referral_completes_the_request(
    req, ngo_officer, the_mission, mission_officer, the_city
):
    visa = _visa(req, the_mission, ngo_officer)
    stay = _stay(req, the_city, ngo_officer)
    visa_decide(referral=visa, decision="granted", acting_user=mission_officer)
    assert _status(req) == RequestStatus.APPROVED
    shelter_withdraw(referral=stay, acting_user=ngo_officer)
    assert _status(req) == RequestStatus.COMPLETED
    step = RequestTransition.objects.unscoped().filter(request=req).last()
    assert step.actor == ngo_officer


def test_withdrawing_the_only_referral_completes_nothing(req, ngo_officer, the_mission):
    visa = _visa(req, the_mission, ngo_officer)
    visa_withdraw(referral=visa, acting_user=ngo_officer)
    assert _status(req) == RequestStatus.APPROVED
    assert request_settlement(req) == "none"


def test_a_frozen_request_never_completes(req, ngo_officer, the_mission, mission_officer):
    visa = _visa(req, the_mission, ngo_officer)
    # unscoped: set-up of a frozen request whose visa was granted just before.
    VisaReferral.objects.unscoped().filter(pk=visa.pk).update(status="granted")
    RelocationRequest.objects.unscoped().filter(pk=req.pk).update(
        frozen_at=timezone.now(), frozen_reason="revoked"
    )
    request_settle(req, mission_officer)
    assert _status(req) == RequestStatus.APPROVED
    assert not AuditEvent.objects.filter(action="relocation.request_complete").exists()


def test_a_partners_frozen_request_stays_open_when_its_stay_is_answered(
    ngo, ngo_officer, the_city, city_officer
):
    """A partner's request frozen when its share ends: its stay was withdrawn with it, so
    no answer can complete it."""
    partner = OrganisationFactory(name="Partner NGO", code="PNGO")
    partner_officer = UserFactory(organisation=partner)
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, ngo_officer)
    share = share_case(case, partner, "full", acting_user=ngo_officer)
    partner_req = f.approved_request(case, partner_officer)
    stay = _stay(partner_req, the_city, partner_officer)
    share_revoke(share=share, acting_user=ngo_officer)
    partner_req.refresh_from_db()
    assert partner_req.is_frozen
    assert ShelterReferral.objects.unscoped().get(pk=stay.pk).status == "withdrawn"
    request_settle(partner_req, city_officer)
    assert _status(partner_req) == RequestStatus.APPROVED


def test_in_progress_completes_too_and_a_new_referral_reopens_it(
    req, ngo_officer, the_mission, mission_officer, the_grantor
):
    request_transition(relocation_request=req, to_status="in_progress", acting_user=ngo_officer)
    visa = _visa(req, the_mission, ngo_officer)
    visa_decide(referral=visa, decision="granted", acting_user=mission_officer)
    assert _status(req) == RequestStatus.COMPLETED
    req.refresh_from_db()
    _grant(req, the_grantor, ngo_officer)
    assert _status(req) == RequestStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(action="relocation.request_reopen").count() == 1


# --- where it stands -------------------------------------------------------------------------


def _standing(req):
    # unscoped: the test reads the request as the selectors' callers join it.
    row = RelocationRequest.objects.unscoped().select_related("organisation", "reviewer")
    return standings([row.get(pk=req.pk)])[req.pk]


def test_waiting_for_in_each_state(consented_case, ngo_officer, ngo_admin, the_mission):
    draft = f.make_request(consented_case, ngo_officer)
    assert _standing(draft).text == "Waiting for: Defenders NGO (submit the request)"
    request_transition(relocation_request=draft, to_status="submitted", acting_user=ngo_officer)
    submitted = _standing(draft)
    assert submitted.text.startswith("Waiting for: Defenders NGO (review")
    request_transition(relocation_request=draft, to_status="in_review", acting_user=ngo_admin)
    assert "(review" in _standing(draft).text
    request_transition(relocation_request=draft, to_status="approved", acting_user=ngo_admin)
    assert _standing(draft).text == "Waiting for: Defenders NGO (raise the referrals and grants)"
    visa = _visa(draft, the_mission, ngo_officer)
    pending = _standing(draft)
    assert pending.waiting[0].who == "Embassy of NL"
    assert pending.waiting[0].step == "visa decision"
    assert pending.waiting[0].due is not None
    assert pending.text.startswith("Waiting for: Embassy of NL (visa decision, due ")
    assert [(r.addressee, r.status_label) for r in pending.referrals] == [
        ("Embassy of NL", "Awaiting decision")
    ]
    # unscoped: set-up of a frozen request.
    RelocationRequest.objects.unscoped().filter(pk=draft.pk).update(frozen_at=timezone.now())
    assert _standing(draft).text == ("Waiting for: Defenders NGO (share the case again, or cancel)")
    RelocationRequest.objects.unscoped().filter(pk=draft.pk).update(
        frozen_at=None, status="completed", status_changed_at=timezone.now()
    )
    done = _standing(draft)
    assert done.text == ""
    assert done.completed_at is not None
    assert done.referrals[0].addressee == "Embassy of NL"
    assert visa.pk


def test_cancelled_and_declined_wait_for_nobody(consented_case, ngo_officer):
    for status in ("cancelled", "declined"):
        req = f.make_request(consented_case, ngo_officer, status=status)
        assert _standing(req).waiting == []


# --- pages -----------------------------------------------------------------------------------


def test_the_request_page_says_where_it_stands_and_every_referrals_status(
    req, ngo_officer, the_mission, the_city, city_officer
):
    _visa(req, the_mission, ngo_officer)
    stay = _stay(req, the_city, ngo_officer)
    shelter_answer(referral=stay, answer="waitlisted", acting_user=city_officer)
    page = verified_client(ngo_officer).get(reverse("relocation:detail", args=[req.pk]))
    body = page.content.decode()
    assert "Waiting for: Embassy of NL (visa decision, due " in body
    # a waitlisted stay waits for a place, not for an answer: no deadline
    assert "Shelter The Hague (a place (waitlisted))" in body
    assert 'Visa: Embassy of NL</a> — <span class="tag">Awaiting decision' in body
    assert 'Shelter city: Shelter The Hague</a> — <span class="tag">Waitlisted' in body


def test_a_completed_request_says_so_and_offers_next_steps_not_cancel(
    req, ngo_officer, the_mission, mission_officer
):
    visa = _visa(req, the_mission, ngo_officer)
    visa_decide(referral=visa, decision="granted", acting_user=mission_officer)
    body = verified_client(ngo_officer).get(reverse("relocation:detail", args=[req.pk]))
    text = body.content.decode()
    assert "every referral is answered" in text
    # completed by the mission's answer: its officer's name is not shown to the requester
    assert "<strong>Completed</strong> by itself" in text
    assert mission_officer.full_name not in text
    assert "Cancel the request" not in text
    for label in (
        "Refer for another visa",
        "Propose another shelter-city stay",
        "Ask for another grant",
        "Raise a new relocation request",
        "Go back to the case",
    ):
        assert label in text
    assert reverse("relocation:create", args=[req.case_id]) in text


def test_a_cancelled_request_offers_a_new_request_to_both_sides(ngo, ngo_officer):
    partner = OrganisationFactory(name="Partner NGO", code="PNGO")
    partner_officer = UserFactory(organisation=partner)
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, ngo_officer)
    share_case(case, partner, "full", acting_user=ngo_officer)
    cancelled = f.make_request(case, partner_officer, status="cancelled")
    for user in (partner_officer, ngo_officer):
        text = verified_client(user).get(reverse("relocation:detail", args=[cancelled.pk]))
        text = text.content.decode()
        assert "Cancelled: nothing more is waited for." in text
        assert "Raise a new relocation request" in text
        assert "Go back to the case" in text
        assert "Refer for another visa" not in text


def test_a_reader_is_offered_no_new_request(ngo, ngo_officer, consented_case):
    reader = UserFactory(organisation=ngo, role="viewer")
    cancelled = f.make_request(consented_case, ngo_officer, status="cancelled")
    text = verified_client(reader).get(reverse("relocation:detail", args=[cancelled.pk]))
    assert "Raise a new relocation request" not in text.content.decode()


def _with_visa(requests, mission, user):
    for each in requests:
        _visa(each, mission, user)


def test_the_list_says_where_each_request_stands_at_a_fixed_query_count(
    ngo, ngo_officer, the_mission
):
    client = verified_client(ngo_officer)
    _with_visa(f.approved_requests(ngo, ngo_officer, 2), the_mission, ngo_officer)
    url = reverse("relocation:list")
    few = get_counting(client, url, contains="Waiting for: Embassy of NL (visa decision, due ")
    _with_visa(f.approved_requests(ngo, ngo_officer, 10), the_mission, ngo_officer)
    get_counting(
        client,
        url,
        queries=len(few.queries),
        contains="Visa (Embassy of NL): Awaiting decision",
    )


def test_the_case_panel_says_where_each_request_stands_at_a_fixed_query_count(
    consented_case, ngo_officer, the_mission
):
    client = verified_client(ngo_officer)
    url = reverse("cases:section", args=[consented_case.pk, "relocation"])
    # the timeline (its providers read the requests too), on the Logbook section
    logbook = reverse("cases:section", args=[consented_case.pk, "logbook"])
    _with_visa([f.approved_request(consented_case, ngo_officer)], the_mission, ngo_officer)
    client.get(url)  # the first view of the day writes the "who viewed" log: not counted
    few = get_counting(client, url, contains="Waiting for: Embassy of NL (visa decision, due ")
    few_logbook = get_counting(client, logbook, contains=">Timeline</h2>")
    _with_visa(
        [f.approved_request(consented_case, ngo_officer) for _ in range(4)],
        the_mission,
        ngo_officer,
    )
    get_counting(client, url, queries=len(few.queries), contains="Visa (Embassy of NL)")
    get_counting(client, logbook, queries=len(few_logbook.queries), contains=">Timeline</h2>")


# --- the API ---------------------------------------------------------------------------------


def test_the_api_says_where_each_request_stands_at_a_fixed_query_count(
    ngo, ngo_officer, the_mission
):
    client = verified_client(ngo_officer)
    _with_visa(f.approved_requests(ngo, ngo_officer, 2), the_mission, ngo_officer)
    url = reverse("api:relocation-request-list")
    few = get_counting(client, url, contains='"waiting_for_text":"Waiting for: Embassy of NL')
    _with_visa(f.approved_requests(ngo, ngo_officer, 10), the_mission, ngo_officer)
    many = get_counting(client, url, contains='"count":12,', queries=len(few.queries))
    row = many.json()["results"][0]
    assert row["waiting_for"][0]["who"] == "Embassy of NL"
    assert row["waiting_for"][0]["step"] == "visa decision"
    assert row["waiting_for"][0]["due"]
    assert row["referrals"] == [
        {
            "kind": "visa_referrals",
            "addressee": "Embassy of NL",
            "status": "pending",
            "status_label": "Awaiting decision",
        }
    ]


def test_the_api_detail_of_a_completed_request_waits_for_nobody(
    req, ngo_officer, the_mission, mission_officer
):
    visa = _visa(req, the_mission, ngo_officer)
    visa_decide(referral=visa, decision="granted", acting_user=mission_officer)
    body = (
        verified_client(ngo_officer)
        .get(reverse("api:relocation-request-detail", args=[req.pk]))
        .json()
    )
    assert body["status"] == "completed"
    assert body["transitions"][-1]["to_status"] == "completed"
    assert body["transitions"][-1]["actor"] == ""  # the mission officer's name is not given
    assert body["transitions"][0]["actor"] == ngo_officer.full_name
    assert body["waiting_for"] == [] and body["waiting_for_text"] == ""
    assert body["referrals"][0]["status"] == "granted"


# --- a race: the mission's answer and the requester's cancellation --------------------------


def _race(*steps) -> list[str]:
    """Run ``(name, step)`` pairs at once, each in its own thread and connection: what each
    ended with (its name, ``conflict``, or the error)."""
    import threading

    from django.db import connection

    from hrdcase.exceptions import StateConflict

    barrier = threading.Barrier(len(steps))
    outcomes: list[str] = []

    def run(name, step):
        try:
            barrier.wait(timeout=10)
            step()
            outcomes.append(name)
        except StateConflict:
            outcomes.append("conflict")
        except Exception as error:  # a deadlock would land here
            outcomes.append(f"error: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_an_answer_racing_a_cancellation_never_deadlocks():
    """The answer locks the request before the referral, as the cancellation does: one waits
    for the other, and the loser gets a conflict (never a deadlock, a 500). PostgreSQL only."""
    ngo = OrganisationFactory(kind="ngo")
    officer = f.staff(ngo)
    mission = f.mission()
    mission_officer = f.staff(mission)
    for _round in range(4):
        case = CaseFactory(organisation=ngo)
        f.give_relocation_consent(case, officer)
        race_req = f.approved_request(case, officer)
        visa = _visa(race_req, mission, officer)
        outcomes = _race(
            (
                "granted",
                lambda visa=visa: visa_decide(
                    referral=visa, decision="granted", acting_user=mission_officer
                ),
            ),
            (
                "cancelled",
                lambda race_req=race_req: request_transition(
                    relocation_request=race_req,
                    to_status="cancelled",
                    acting_user=officer,
                    reason="The threat passed",
                ),
            ),
        )
        assert outcomes in (["cancelled", "conflict"], ["conflict", "granted"]), outcomes
        assert _status(race_req) == ("completed" if "granted" in outcomes else "cancelled")
