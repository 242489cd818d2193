"""The return plan (issue 20, item 5): created once per request on each trigger (the city
records the departure, the stay's end passes, the requester records the return), only while
the requester holds the case; check-ins, the risk review and the follow-up task afterwards
with the right dates; the risk review and the visa's validity reminded once, with the clock
moved; the "Record the return" step and its bad dates."""

from __future__ import annotations

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from alerts.models import CheckInSchedule, Notification
from alerts.services.sweep import sweep
from cases.models import Task
from cases.services.sharing import share_revoke
from relocation.models import (
    RETURN_CHECK_IN_HOURS,
    RETURN_CHECK_IN_WEEKS,
    RETURN_FOLLOW_UP_DAYS,
    RETURN_RISK_REVIEW_DAYS,
    VISA_VALIDITY_REMINDER_DAYS,
    ReturnPlan,
    ShelterReferral,
    VisaReferral,
)
from relocation.services.returns import return_plans_for_ended_stays, return_record
from relocation.services.shelter import shelter_complete
from relocation.services.visa import visa_decide, visa_referral_create
from tests.conftest import verified_client
from tests.dates import today
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.relocation import factories as f

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def the_city(db):
    return f.city(name="Shelter Ghent", code="SCG", periods=[(days(-60), days(200), 3)])


@pytest.fixture
def city_officer(the_city):
    return f.staff(the_city)


def _hosting(ngo, ngo_officer, the_city, *, end=None) -> ShelterReferral:
    stay = f.stay(ngo, ngo_officer, the_city, days(1), days(40), status="hosting")
    # unscoped: test set-up of a stay under way (arrived a month ago).
    ShelterReferral.objects.unscoped().filter(pk=stay.pk).update(
        start=days(-30), end=end or days(30), arrived_on=days(-30)
    )
    stay.refresh_from_db()
    return stay


def _plans(stay) -> list[ReturnPlan]:
    # unscoped: the test reads every plan of the request.
    return list(ReturnPlan.objects.unscoped().filter(request_id=stay.request_id))


def _assert_set_up(plan: ReturnPlan, returned_on: datetime.date) -> None:
    assert plan.returned_on == returned_on
    assert plan.risk_review_due == returned_on + datetime.timedelta(days=RETURN_RISK_REVIEW_DAYS)
    assert plan.follow_up_due == returned_on + datetime.timedelta(days=RETURN_FOLLOW_UP_DAYS)
    # unscoped: the test reads what the plan set up on the case.
    task = Task.objects.unscoped().get(kind=Task.Kind.RETURN_PLAN, source_id=plan.pk)
    assert task.case_id == plan.case_id and task.organisation_id == plan.organisation_id
    assert task.due_on == plan.follow_up_due and task.status == Task.Status.OPEN
    schedule = CheckInSchedule.objects.unscoped().get(case_id=plan.case_id, active=True)
    assert schedule.interval_hours == RETURN_CHECK_IN_HOURS == plan.check_in_hours
    until = returned_on + datetime.timedelta(weeks=RETURN_CHECK_IN_WEEKS)
    assert plan.check_ins_until == until and schedule.ends_at.date() == until


def test_the_citys_departure_sets_up_the_plan_once(ngo, ngo_officer, the_city, city_officer):
    stay = _hosting(ngo, ngo_officer, the_city)
    shelter_complete(referral=stay, acting_user=city_officer, returned_on=days(-2))
    [plan] = _plans(stay)
    assert plan.trigger == ReturnPlan.Trigger.DEPARTURE
    _assert_set_up(plan, days(-2))
    # the other triggers find the plan there: nothing twice
    stay.request.refresh_from_db()
    again = return_record(relocation_request=stay.request, acting_user=ngo_officer)
    assert again.pk == plan.pk
    assert return_plans_for_ended_stays(days(60)) == []
    assert len(_plans(stay)) == 1
    assert Task.objects.unscoped().filter(kind=Task.Kind.RETURN_PLAN).count() == 1
    assert CheckInSchedule.objects.unscoped().filter(case_id=plan.case_id).count() == 1


def test_the_requester_records_the_return_on_the_request_page(ngo, ngo_officer, the_city):
    stay = _hosting(ngo, ngo_officer, the_city)
    client = verified_client(ngo_officer)
    page = client.get(reverse("relocation:detail", args=[stay.request_id])).content.decode()
    assert reverse("relocation:return_record", args=[stay.request_id]) in page
    response = client.post(
        reverse("relocation:return_record", args=[stay.request_id]),
        {"returned_on": days(-1).isoformat()},
    )
    assert response.status_code == 302
    [plan] = _plans(stay)
    assert plan.trigger == ReturnPlan.Trigger.RETURN and plan.created_by == ngo_officer
    _assert_set_up(plan, days(-1))
    page = client.get(reverse("relocation:detail", args=[stay.request_id])).content.decode()
    assert "Return plan" in page and "a follow-up task due on" in page
    # twice: the same plan
    client.post(reverse("relocation:return_record", args=[stay.request_id]), {})
    assert len(_plans(stay)) == 1


def test_the_stays_end_passing_sets_up_the_plan_in_the_sweep(ngo, ngo_officer, the_city):
    stay = _hosting(ngo, ngo_officer, the_city, end=days(5))
    sweep(now=timezone.now())
    assert _plans(stay) == []
    later = timezone.now() + datetime.timedelta(days=6)
    sweep(now=later)
    [plan] = _plans(stay)
    assert plan.trigger == ReturnPlan.Trigger.STAY_ENDED and plan.returned_on == days(5)
    told = Notification.objects.for_recipient(ngo_officer).filter(
        subject__contains="the return plan is set up"
    )
    assert told.count() == 1
    sweep(now=later + datetime.timedelta(hours=1))
    assert len(_plans(stay)) == 1 and told.count() == 1


def test_a_revoked_partner_gets_no_plan_and_404s(ngo, ngo_officer, the_city, city_officer):
    partner = OrganisationFactory(name="Partner NGO", code="PNGO")
    partner_officer = UserFactory(organisation=partner)
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, ngo_officer)
    share = share_case(case, partner, "full", acting_user=ngo_officer)
    request = f.approved_request(case, partner_officer)
    share_revoke(share=share, acting_user=ngo_officer)
    response = verified_client(partner_officer).post(
        reverse("relocation:return_record", args=[request.pk]), {}
    )
    assert response.status_code == 404
    # unscoped: nothing was created for the request.
    assert not ReturnPlan.objects.unscoped().filter(request=request).exists()
    assert not Task.objects.unscoped().filter(kind=Task.Kind.RETURN_PLAN).exists()


def test_a_partners_stay_ending_after_its_share_ended_creates_nothing(ngo, ngo_officer, the_city):
    partner = OrganisationFactory(name="Partner NGO", code="PNGO")
    partner_officer = UserFactory(organisation=partner)
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, ngo_officer)
    share = share_case(case, partner, "full", acting_user=ngo_officer)
    request = f.approved_request(case, partner_officer)
    stay = _hosting(ngo, ngo_officer, the_city, end=days(-3))
    # unscoped: test set-up: the stay is the partner's request's.
    ShelterReferral.objects.unscoped().filter(pk=stay.pk).update(
        request=request, case=case, organisation=partner
    )
    share_revoke(share=share, acting_user=ngo_officer)
    # the revocation withdrew only pending referrals; a hosting stay stays: the sweep skips it
    assert return_plans_for_ended_stays(today()) == []
    assert not ReturnPlan.objects.unscoped().filter(request=request).exists()


def test_a_bad_return_date_is_refused_with_the_field(ngo, ngo_officer, the_city):
    stay = _hosting(ngo, ngo_officer, the_city)
    client = verified_client(ngo_officer)
    url = reverse("relocation:return_record", args=[stay.request_id])
    for value in ("0001-01-01", days(3).isoformat()):
        response = client.post(url, {"returned_on": value})
        assert response.status_code == 400
        assert response.context["form"].errors["returned_on"]
    assert _plans(stay) == []


def test_a_reader_cannot_record_the_return(ngo, ngo_officer, the_city):
    stay = _hosting(ngo, ngo_officer, the_city)
    reader = UserFactory(organisation=ngo, role="viewer")
    url = reverse("relocation:return_record", args=[stay.request_id])
    assert verified_client(reader).post(url, {}).status_code == 403
    page = verified_client(reader).get(reverse("relocation:detail", args=[stay.request_id]))
    assert url not in page.content.decode()


def test_the_risk_review_is_reminded_once_when_due(ngo, ngo_officer, the_city):
    stay = _hosting(ngo, ngo_officer, the_city)
    plan = return_record(
        relocation_request=stay.request, acting_user=ngo_officer, returned_on=days(0)
    )
    reviews = Notification.objects.for_recipient(ngo_officer).filter(kind="risk_review")
    sweep(now=timezone.now() + datetime.timedelta(days=RETURN_RISK_REVIEW_DAYS - 1))
    assert not reviews.filter(subject__contains="after the return home").exists()
    due = datetime.datetime.combine(plan.risk_review_due, datetime.time(9), timezone.now().tzinfo)
    sweep(now=due)
    sweep(now=due + datetime.timedelta(days=1))
    assert reviews.filter(subject__contains="after the return home").count() == 1


def test_the_risk_review_after_the_return_is_due_on_the_owners_day(ngo, ngo_officer, the_city):
    """At 19:30 in Bogotá, UTC is on the next day: the review due then waits for Bogotá's."""
    ngo.time_zone = "America/Bogota"
    ngo.save(update_fields=["time_zone"])
    stay = _hosting(ngo, ngo_officer, the_city)
    plan = return_record(
        relocation_request=stay.request, acting_user=ngo_officer, returned_on=days(0)
    )
    reviews = Notification.objects.for_recipient(ngo_officer).filter(
        kind="risk_review", subject__contains="after the return home"
    )
    bogota = ZoneInfo("America/Bogota")
    eve = plan.risk_review_due - datetime.timedelta(days=1)

    def at(day, hour, minute):  # a Bogotá time on the beat's clock (UTC)
        return datetime.datetime.combine(day, datetime.time(hour, minute), bogota).astimezone(
            datetime.UTC
        )

    sweep(now=at(eve, 19, 30))
    assert not reviews.exists()
    sweep(now=at(plan.risk_review_due, 0, 30))
    assert reviews.count() == 1


def test_a_granted_visas_validity_is_reminded_once_30_days_before(ngo, ngo_officer, consented_case):
    mission = f.mission(name="Embassy", code="EMB")
    mission_officer = f.staff(mission)
    request = f.approved_request(consented_case, ngo_officer)
    visa = visa_referral_create(
        relocation_request=request,
        mission=mission,
        visa_type="humanitarian",
        acting_user=ngo_officer,
    )
    visa_decide(referral=visa, decision="granted", acting_user=mission_officer)
    visa.refresh_from_db()
    assert visa.valid_until is not None and visa.multiple_entries
    reminders = Notification.objects.for_recipient(ngo_officer).filter(
        subject__contains="is valid until"
    )
    lapse = datetime.datetime.combine(visa.valid_until, datetime.time(9), timezone.now().tzinfo)
    sweep(now=lapse - datetime.timedelta(days=31))
    assert reminders.count() == 0
    sweep(now=lapse - datetime.timedelta(days=30))
    sweep(now=lapse - datetime.timedelta(days=29))
    sweep(now=lapse - datetime.timedelta(days=1))
    assert reminders.count() == 1


def test_a_visas_validity_is_reminded_on_the_requesters_day(ngo, ngo_officer, consented_case):
    """At 19:30 in Bogotá, UTC is already on the next day: thirty days before the end of the
    validity begins at Bogotá's midnight."""
    ngo.time_zone = "America/Bogota"
    ngo.save(update_fields=["time_zone"])
    mission = f.mission(name="Embassy", code="EMB")
    visa = visa_referral_create(
        relocation_request=f.approved_request(consented_case, ngo_officer),
        mission=mission,
        visa_type="humanitarian",
        acting_user=ngo_officer,
    )
    visa_decide(referral=visa, decision="granted", acting_user=f.staff(mission))
    visa.refresh_from_db()
    reminders = Notification.objects.for_recipient(ngo_officer).filter(
        subject__contains="is valid until"
    )
    bogota = ZoneInfo("America/Bogota")
    first_day = visa.valid_until - datetime.timedelta(days=VISA_VALIDITY_REMINDER_DAYS)

    def at(day, hour, minute):  # a Bogotá time on the beat's clock (UTC)
        return datetime.datetime.combine(day, datetime.time(hour, minute), bogota).astimezone(
            datetime.UTC
        )

    sweep(now=at(first_day - datetime.timedelta(days=1), 19, 30))
    assert reminders.count() == 0
    sweep(now=at(first_day, 0, 30))
    assert reminders.count() == 1


def test_the_api_refuses_a_validity_ending_before_it_starts(ngo, ngo_officer, consented_case):
    mission = f.mission(name="Embassy", code="EMB")
    mission_officer = f.staff(mission)
    request = f.approved_request(consented_case, ngo_officer)
    visa = visa_referral_create(
        relocation_request=request,
        mission=mission,
        visa_type="humanitarian",
        acting_user=ngo_officer,
    )
    response = verified_client(mission_officer).post(
        reverse("api:relocation-visa-decide", args=[visa.pk]),
        {
            "decision": "granted",
            "valid_from": days(10).isoformat(),
            "valid_until": days(5).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "valid_until" in response.json()


def test_the_api_records_the_return_once_and_names_a_bad_date(ngo, ngo_officer, the_city):
    stay = _hosting(ngo, ngo_officer, the_city)
    client = verified_client(ngo_officer)
    url = reverse("api:relocation-request-return", args=[stay.request_id])
    bad = client.post(url, {"returned_on": "0001-01-01"}, content_type="application/json")
    assert bad.status_code == 400 and list(bad.json()) == ["returned_on"]
    future = client.post(url, {"returned_on": days(2).isoformat()}, content_type="application/json")
    assert future.status_code == 400 and list(future.json()) == ["returned_on"]
    first = client.post(url, {"returned_on": days(-1).isoformat()}, content_type="application/json")
    assert first.status_code == 201
    assert first.json()["risk_review_due"] == days(-1 + RETURN_RISK_REVIEW_DAYS).isoformat()
    again = client.post(url, {}, content_type="application/json")
    assert again.json()["id"] == first.json()["id"]
    assert len(_plans(stay)) == 1


def test_the_api_answers_404_to_a_revoked_partner(ngo, ngo_officer):
    partner = OrganisationFactory(name="Partner NGO", code="PNGO")
    partner_officer = UserFactory(organisation=partner)
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, ngo_officer)
    share = share_case(case, partner, "full", acting_user=ngo_officer)
    request = f.approved_request(case, partner_officer)
    share_revoke(share=share, acting_user=ngo_officer)
    response = verified_client(partner_officer).post(
        reverse("api:relocation-request-return", args=[request.pk]),
        {},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not ReturnPlan.objects.unscoped().filter(request=request).exists()


def test_the_return_follow_up_task_can_be_moved_like_any_task(ngo, ngo_officer, the_city):
    from cases.services.task import task_update

    stay = _hosting(ngo, ngo_officer, the_city)
    plan = return_record(relocation_request=stay.request, acting_user=ngo_officer)
    # unscoped: the test reads the task the plan set up.
    task = Task.objects.unscoped().get(kind=Task.Kind.RETURN_PLAN, source_id=plan.pk)
    moved = task_update(task=task, acting_user=ngo_officer, due_on=days(20), title="Call her")
    assert moved.due_on == days(20) and moved.title == "Call her"


def _granted_visa(ngo_officer, consented_case, mission=None, **decision):
    mission = mission or f.mission(name="Embassy", code="EMB")
    request = f.approved_request(consented_case, ngo_officer)
    visa = visa_referral_create(
        relocation_request=request,
        mission=mission,
        visa_type="short_stay_multiple",
        acting_user=ngo_officer,
    )
    return visa_decide(referral=visa, decision="granted", acting_user=f.staff(mission), **decision)


def test_a_multiple_entry_visa_allows_entries_for_three_years(ngo, ngo_officer, consented_case):
    start = today()
    visa = _granted_visa(ngo_officer, consented_case, valid_from=start)
    visa.refresh_from_db()
    assert visa.valid_until == start + relativedelta(years=1) - datetime.timedelta(days=1)
    assert visa.entries_until == start + relativedelta(years=3) - datetime.timedelta(days=1)
    page = verified_client(ngo_officer).get(reverse("relocation:detail", args=[visa.request_id]))
    assert "entries possible until" in page.content.decode()


def test_a_single_entry_visa_has_no_window_and_refuses_one(ngo, ngo_officer, consented_case):
    visa = _granted_visa(ngo_officer, consented_case, multiple_entries=False)
    assert visa.entries_until is None
    other = CaseFactory(organisation=ngo, pseudonym="Ficus")
    f.give_relocation_consent(other, ngo_officer)
    with pytest.raises(ValidationError) as refused:
        _granted_visa(
            ngo_officer,
            other,
            mission=visa.mission,
            multiple_entries=False,
            entries_until=days(900),
        )
    assert "entries_until" in refused.value.message_dict


def test_the_api_names_a_window_ending_before_the_validity(ngo, ngo_officer, consented_case):
    mission = f.mission(name="Embassy", code="EMB")
    request = f.approved_request(consented_case, ngo_officer)
    visa = visa_referral_create(
        relocation_request=request,
        mission=mission,
        visa_type="short_stay_multiple",
        acting_user=ngo_officer,
    )
    client = verified_client(f.staff(mission))
    url = reverse("api:relocation-visa-decide", args=[visa.pk])
    body = {"decision": "granted", "valid_until": days(300).isoformat()}
    early = client.post(url, {**body, "entries_until": days(200).isoformat()}, "application/json")
    assert early.status_code == 400 and list(early.json()) == ["entries_until"]
    visa.refresh_from_db()
    assert visa.status == "pending"
    granted = client.post(url, {**body, "entries_until": days(700).isoformat()}, "application/json")
    assert granted.status_code == 200
    assert granted.json()["entries_until"] == days(700).isoformat()


def test_the_end_of_the_window_of_entries_is_reminded_once(ngo, ngo_officer, consented_case):
    visa = _granted_visa(ngo_officer, consented_case)
    assert visa.entries_until is not None
    reminders = Notification.objects.for_recipient(ngo_officer).filter(
        subject__contains="allows entries until"
    )
    lapse = datetime.datetime.combine(visa.entries_until, datetime.time(9), timezone.now().tzinfo)
    sweep(now=lapse - datetime.timedelta(days=31))
    assert reminders.count() == 0
    sweep(now=lapse - datetime.timedelta(days=30))
    sweep(now=lapse - datetime.timedelta(days=2))
    assert reminders.count() == 1


def test_the_migration_gives_visas_granted_earlier_their_window(ngo, ngo_officer, consented_case):
    visa = _granted_visa(ngo_officer, consented_case)
    other = CaseFactory(organisation=ngo, pseudonym="Ficus")
    f.give_relocation_consent(other, ngo_officer)
    single = _granted_visa(ngo_officer, other, mission=visa.mission, multiple_entries=False)
    VisaReferral.objects.unscoped().filter(pk=visa.pk).update(entries_until=None)

    migration = importlib.import_module("relocation.migrations.0008_visa_entry_window")
    state = MigrationLoader(connection).project_state(("relocation", "0008_visa_entry_window"))
    migration.backfill(state.apps, None)

    visa.refresh_from_db()
    assert visa.valid_from is not None
    assert visa.entries_until == visa.valid_from + relativedelta(years=3) - datetime.timedelta(1)
    single.refresh_from_db()
    assert single.entries_until is None  # a single-entry visa has no window
