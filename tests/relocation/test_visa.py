"""Fast-track visa referrals: deadline from the mission's service level, decision, validity,
the mission's queue and what the mission may see."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts.due import registered_due_sources
from alerts.models import Notification
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent
from relocation.models import RelocationSettings, VisaReferral
from relocation.selectors.visa import visa_queue_for
from relocation.services.settings import settings_update
from relocation.services.visa import visa_decide, visa_referral_create
from tests.conftest import verified_client
from tests.factories import CaseFactory
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


def _refer(req, mission, user, **kwargs):
    kwargs.setdefault("visa_type", "short_stay_multiple")
    kwargs.setdefault("requested_on", datetime.date(2026, 3, 10))
    return visa_referral_create(relocation_request=req, mission=mission, acting_user=user, **kwargs)


def test_the_deadline_is_the_request_date_plus_ten_days_by_default(
    consented_case, ngo_officer, the_mission
):
    referral = _refer(f.approved_request(consented_case, ngo_officer), the_mission, ngo_officer)
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
    referral = _refer(f.approved_request(consented_case, ngo_officer), the_mission, ngo_officer)
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
    assert [n.subject for n in notes] == ["Visa referral for Ceiba: new referral"]
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
            f.approved_request(case, ngo_officer),
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
            f.approved_request(case, ngo_officer),
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
