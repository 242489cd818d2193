"""Shelter-city referrals: the city's answers and the stay's steps, the identity rule, need to
know, the page, the API and the lists' query counts (capacity: test_capacity; stay lengths:
test_stay_limits)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from alerts.due import registered_due_sources
from alerts.models import Notification
from cases.models import CaseAccessLog
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent
from relocation.models import ShelterReferral
from relocation.services.deadlines import format_due
from relocation.services.shelter import (
    shelter_answer,
    shelter_arrive,
    shelter_complete,
    shelter_confirm,
    shelter_referral_create,
)
from tests.conftest import verified_client
from tests.dates import in_days, today
from tests.factories import CaseFactory, OrganisationFactory, UserFactory
from tests.queries import get_counting
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


d = f.capacity_day


@pytest.fixture
def the_city(db):
    return f.two_period_city()


@pytest.fixture
def city_officer(the_city):
    return f.staff(the_city)


def test_an_arrival_before_the_stay_was_proposed_is_refused_as_a_wrong_year(
    ngo, ngo_officer, the_city, city_officer
):
    """In January, last year's number on this year's arrival."""
    referral = f.stay(ngo, ngo_officer, the_city, d(1), d(10), pseudonym="Ceiba")
    shelter_answer(referral=referral, answer="accepted", acting_user=city_officer)
    shelter_confirm(referral=referral, acting_user=city_officer)
    last_year = today() - datetime.timedelta(days=365)
    with pytest.raises(ValidationError) as refused:
        shelter_arrive(referral=referral, acting_user=city_officer, arrived_on=last_year)
    proposed = timezone.localdate(referral.created_at).isoformat()
    assert refused.value.message_dict == {
        "arrived_on": [f"The arrival is before the stay was proposed ({proposed}): check the year."]
    }
    referral.refresh_from_db()
    assert referral.status == "confirmed" and referral.arrived_on is None
    # a day's slack: the evening the stay was proposed is another day in another zone
    day_before = timezone.localdate(referral.created_at) - datetime.timedelta(days=1)
    shelter_arrive(referral=referral, acting_user=city_officer, arrived_on=day_before)
    referral.refresh_from_db()
    assert referral.status == "hosting" and referral.arrived_on == day_before


def test_the_city_accepts_then_confirms_hosts_and_completes(
    ngo, ngo_officer, the_city, city_officer
):
    referral = f.stay(ngo, ngo_officer, the_city, d(1), d(10), pseudonym="Ceiba")
    shelter_answer(referral=referral, answer="accepted", acting_user=city_officer)
    shelter_confirm(referral=referral, acting_user=city_officer)
    referral.refresh_from_db()
    assert referral.status == "confirmed"
    # unscoped: fast-forward the stay (proposed a month ago) into the past for the arrival.
    ShelterReferral.objects.unscoped().filter(pk=referral.pk).update(
        start=today() - datetime.timedelta(days=5),
        created_at=timezone.now() - datetime.timedelta(days=30),
    )
    shelter_arrive(
        referral=referral, acting_user=city_officer, arrived_on=today() - datetime.timedelta(days=5)
    )
    shelter_complete(referral=referral, acting_user=city_officer, returned_on=today())
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.returned_on == today()
    subjects = [
        n.subject
        for n in Notification.objects.for_recipient(ngo_officer).filter(kind="shelter_referral")
    ]
    assert subjects == [
        "Shelter referral for Ceiba: Completed",
        "Shelter referral for Ceiba: arrived",
        "Shelter referral for Ceiba: Stay confirmed",
        "Shelter referral for Ceiba: Accepted",
    ]


def test_each_answer_notifies_the_requester_and_a_decline_needs_a_reason(
    ngo, ngo_officer, the_city, city_officer
):
    referral = f.stay(ngo, ngo_officer, the_city, d(1), d(10), pseudonym="Ceiba")
    assert [n.subject for n in Notification.objects.for_recipient(city_officer)] == [
        f"Shelter referral for Ceiba: new referral (Urgent (days), answer due "
        f"{format_due(referral.due_at)})"
    ]
    shelter_answer(referral=referral, answer="waitlisted", acting_user=city_officer)
    with pytest.raises(ValidationError) as caught:
        shelter_answer(referral=referral, answer="declined", acting_user=city_officer)
    assert "reason" in caught.value.message_dict
    shelter_answer(
        referral=referral,
        answer="declined",
        reason="No Spanish-speaking staff",
        acting_user=city_officer,
    )
    subjects = [
        n.subject
        for n in Notification.objects.for_recipient(ngo_officer).filter(kind="shelter_referral")
    ]
    assert subjects == [
        "Shelter referral for Ceiba: Declined",
        "Shelter referral for Ceiba: Waitlisted",
    ]
    page = verified_client(ngo_officer).get(
        reverse("relocation:detail", args=[referral.request_id])
    )
    assert "No Spanish-speaking staff" in page.content.decode()
    with pytest.raises(StateConflict) as conflict:
        shelter_answer(referral=referral, answer="accepted", acting_user=city_officer)
    assert conflict.value.allowed == []


def test_only_the_city_answers(ngo, ngo_officer, the_city):
    referral = f.stay(ngo, ngo_officer, the_city, d(1), d(10))
    with pytest.raises(PermissionDenied):
        shelter_answer(referral=referral, answer="accepted", acting_user=ngo_officer)


def test_bad_stays_are_refused_and_nothing_is_written(ngo, ngo_officer, the_city):
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, ngo_officer)
    req = f.approved_request(case, ngo_officer)

    def create(**kwargs):
        return shelter_referral_create(
            relocation_request=req, city=the_city, acting_user=ngo_officer, **kwargs
        )

    with pytest.raises(ValidationError) as caught:
        create(start=d(10), end=d(5))
    assert "end" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        create(start=d(0), end=d(120))
    assert "override_reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        shelter_referral_create(
            relocation_request=req, city=ngo, start=d(0), end=d(5), acting_user=ngo_officer
        )
    assert "city" in caught.value.message_dict
    assert not ShelterReferral.objects.owned_by(ngo).exists()
    # With a reason, the longer stay is proposed.
    assert create(start=d(0), end=d(120), override_reason="Trial date in June").status == "proposed"


def test_it_refuses_a_referral_without_relocation_consent(ngo, ngo_officer, the_city, city_officer):
    case = CaseFactory(organisation=ngo)
    with pytest.raises(ValidationError) as caught:
        shelter_referral_create(
            relocation_request=f.approved_request(case, ngo_officer),
            city=the_city,
            start=d(1),
            end=d(5),
            acting_user=ngo_officer,
        )
    assert "consented to relocation" in str(caught.value.message_dict["case"])
    assert not ShelterReferral.objects.owned_by(ngo).exists()
    assert not Notification.objects.for_recipient(city_officer).exists()


def test_identity_is_revealed_only_after_acceptance_and_is_recorded(
    ngo, ngo_officer, the_city, city_officer
):
    referral = f.stay(ngo, ngo_officer, the_city, d(1), d(10))
    case = referral.case
    client = verified_client(city_officer)
    url = reverse("relocation:shelter_identity", args=[referral.pk])
    detail = client.get(reverse("relocation:shelter_detail", args=[referral.pk])).content.decode()
    assert case.defender.legal_name not in detail and "Insulin" in detail and "Spanish" in detail
    assert client.get(url).status_code == 404
    shelter_answer(referral=referral, answer="accepted", acting_user=city_officer)
    response = client.get(url)
    assert response.status_code == 200
    assert case.defender.legal_name in response.content.decode()
    log = CaseAccessLog.objects.owned_by(ngo).get(case=case)
    assert log.viewer_organisation_id == the_city.pk and log.part == "identity"
    assert AuditEvent.objects.filter(action="relocation.identity_reveal").count() == 1
    # The requester's own staff are not "the city": 404 on the city's identity page.
    assert verified_client(ngo_officer).get(url).status_code == 404


def test_identity_is_never_revealed_without_relocation_consent(
    ngo, ngo_officer, the_city, city_officer
):
    referral = f.stay(ngo, ngo_officer, the_city, d(1), d(10))
    shelter_answer(referral=referral, answer="accepted", acting_user=city_officer)
    from cases.services.consent import consent_revoke

    consent = referral.case.consents.get(scope="relocation")
    consent_revoke(consent=consent, acting_user=ngo_officer)
    response = verified_client(city_officer).get(
        reverse("relocation:shelter_identity", args=[referral.pk])
    )
    assert response.status_code == 404
    assert not CaseAccessLog.objects.owned_by(ngo).exists()


def test_city_staff_get_404_on_the_case_logbook_and_risk(ngo, ngo_officer, the_city, city_officer):
    referral = f.stay(ngo, ngo_officer, the_city, d(1), d(10))
    shelter_answer(referral=referral, answer="accepted", acting_user=city_officer)
    client = verified_client(city_officer)
    case_pk = referral.case_id
    assert client.get(reverse("cases:detail", args=[case_pk])).status_code == 404
    assert client.get(reverse("cases:identity", args=[case_pk])).status_code == 404
    assert client.get(reverse("cases:risk_list", args=[case_pk])).status_code == 404
    assert client.get(reverse("logbooks:case_logbook", args=[case_pk])).status_code == 404
    assert client.get(reverse("relocation:detail", args=[referral.request_id])).status_code == 404
    assert client.get(reverse("api:case-detail", args=[case_pk])).status_code == 404


def test_another_city_sees_nothing(ngo, ngo_officer, the_city):
    referral = f.stay(ngo, ngo_officer, the_city, d(1), d(10))
    other = f.staff(f.city(name="Other city", code="OTC"), role=Role.ADMIN)
    client = verified_client(other)
    assert client.get(reverse("relocation:shelter_detail", args=[referral.pk])).status_code == 404
    assert "Ceiba" not in client.get(reverse("relocation:city_inbox")).content.decode()


def test_the_city_confirms_through_the_page_and_sees_the_conflict(
    ngo, ngo_officer, the_city, city_officer
):
    f.stay(ngo, ngo_officer, the_city, d(5), d(12), status="confirmed")
    referral = f.stay(ngo, ngo_officer, the_city, d(10), d(20), status="accepted")
    response = verified_client(city_officer).post(
        reverse("relocation:shelter_detail", args=[referral.pk]),
        {"action": "confirm", "start": d(10).isoformat(), "end": d(20).isoformat()},
    )
    assert response.status_code == 400
    assert f"{d(10).isoformat()} to {d(12).isoformat()}" in response.content.decode()


def test_stays_ending_soon_are_due_once_for_each_side(ngo, ngo_officer, the_city, city_officer):
    ending = f.stay(
        ngo, ngo_officer, the_city, today(), today() + datetime.timedelta(days=10), status="hosting"
    )
    f.stay(
        ngo, ngo_officer, the_city, today(), today() + datetime.timedelta(days=20), status="hosting"
    )
    f.stay(
        ngo,
        ngo_officer,
        the_city,
        today(),
        today() + datetime.timedelta(days=5),
        status="completed",
    )
    items = list(registered_due_sources()["relocation.stays_ending"](timezone.now()))
    assert len(items) == 2 and len({i.key for i in items}) == 2
    assert all(str(ending.pk) in i.key for i in items)
    recipients = {tuple(u.pk for u in i.recipients) for i in items}
    assert recipients == {(city_officer.pk,), (ngo_officer.pk,)}


def test_a_stay_ending_is_not_told_to_its_requester_once_moved_to_another_organisation(
    ngo, ngo_officer, the_city, city_officer
):
    f.stay(ngo, ngo_officer, the_city, today(), in_days(10), status="hosting")
    ngo_admin = UserFactory(organisation=ngo, role=Role.ADMIN)
    ngo_officer.organisation = OrganisationFactory(name="Another NGO")
    ngo_officer.save()
    (_city, requester) = registered_due_sources()["relocation.stays_ending"](timezone.now())
    assert ngo_officer not in requester.recipients
    assert ngo_admin in requester.recipients


def test_the_api_shelter_flow_and_conflict(consented_case, ngo_officer):
    start = in_days(3)
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


def _stays(ngo, ngo_officer, the_city, n) -> None:
    """Rows for the lists' query counts: ``n`` more of them."""
    start = in_days(5)
    for req in f.approved_requests(ngo, ngo_officer, n):
        shelter_referral_create(
            relocation_request=req,
            city=the_city,
            start=start,
            end=start + datetime.timedelta(days=20),
            acting_user=ngo_officer,
        )


def test_the_inbox_costs_the_same_for_1_or_6_referrals(ngo, ngo_officer, the_city, city_officer):
    """The city's inbox's query count does not grow with its referrals."""
    client = verified_client(city_officer)
    url = reverse("relocation:city_inbox")
    _stays(ngo, ngo_officer, the_city, 1)
    few = get_counting(client, url, contains="<h1>Shelter referrals")
    _stays(ngo, ngo_officer, the_city, 5)
    get_counting(client, url, contains="<h1>Shelter referrals", queries=len(few.queries))


def test_the_api_list_costs_the_same_for_1_or_5_stays(ngo, ngo_officer, the_city, city_officer):
    """The stay list costs the same whatever its rows, for the requester and the city."""
    lists = [
        (ngo_officer, reverse("api:relocation-stay-list")),
        (city_officer, reverse("api:relocation-stay-list")),
    ]
    _stays(ngo, ngo_officer, the_city, 1)
    few = [get_counting(verified_client(user), url, contains='"count":1,') for user, url in lists]
    _stays(ngo, ngo_officer, the_city, 4)
    for (user, url), counted in zip(lists, few, strict=True):
        get_counting(
            verified_client(user), url, contains='"count":5,', queries=len(counted.queries)
        )


def test_the_page_takes_no_step_it_does_not_know(ngo, ngo_officer, the_city, city_officer):
    referral = f.stay(ngo, ngo_officer, the_city, d(1), d(10))
    url = reverse("relocation:shelter_detail", args=[referral.pk])
    response = verified_client(city_officer).post(
        url, {"action": "approve", "answer": "accepted"}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Unknown action." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "proposed"
