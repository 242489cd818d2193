"""Figures of the logbooks and relocation parts, against values computed by hand."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from django.utils import timezone

from accounts.models import Organisation, Role
from dashboards.figures import Period, network_figures
from logbooks.models import ActionParticipant, ActionStatus, ActionType, DiplomaticAction
from relocation.models import ShelterReferral, VisaReferral
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory, UserFactory
from tests.relocation.factories import approved_request, city

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))


def _figure(network, key):
    return next(f for f in network_figures(network, PERIOD) if f.key == key)


@pytest.fixture
def mission(db):
    return OrganisationFactory(name="Mission A", kind=Organisation.Kind.MISSION)


@pytest.fixture
def officer(mission):
    return UserFactory(organisation=mission, role=Role.OFFICER)


def _visa(case, request, officer, mission, *, requested: date, decided_after_days: int):
    decided = timezone.make_aware(
        datetime.datetime.combine(
            requested + datetime.timedelta(days=decided_after_days), datetime.time(12)
        )
    )
    return VisaReferral.objects.create(
        organisation=officer.organisation,
        request=request,
        case=case,
        mission=mission,
        created_by=officer,
        visa_type=VisaReferral.VisaType.SHORT_STAY_MULTIPLE,
        requested_on=requested,
        deadline=requested + datetime.timedelta(days=10),
        status=VisaReferral.Status.GRANTED,
        decided_at=decided,
    )


def test_it_computes_the_fast_track_rate_and_median_decision_time(mission, officer):
    network = NetworkFactory(members=[mission])
    case = CaseFactory(organisation=mission)
    request = approved_request(case, officer)
    # Decided after 2, 4, 6, 8, 12 and 20 days: 4 of 6 within the 10-day deadline.
    for wait in (2, 4, 6, 8, 12, 20):
        _visa(case, request, officer, mission, requested=date(2026, 2, 1), decided_after_days=wait)
    figure = _figure(network, "visa_decisions")
    assert figure.rows == [
        ("Within the fast-track deadline", [4]),
        ("After the deadline", [2]),
    ]
    measures = dict(figure.measures)
    assert measures["Decided within the deadline"] == "67 %"
    # Median of 2.5, 4.5, 6.5, 8.5, 12.5, 20.5 days (decided at noon) is 7.5.
    assert measures["Median decision time"] == "7.5 days"


def test_it_hides_the_fast_track_rate_below_five_decisions(mission, officer):
    network = NetworkFactory(members=[mission])
    case = CaseFactory(organisation=mission)
    request = approved_request(case, officer)
    for wait in (2, 30):
        _visa(case, request, officer, mission, requested=date(2026, 2, 1), decided_after_days=wait)
    measures = dict(_figure(network, "visa_decisions").measures)
    assert measures["Decided within the deadline"] == "<5"
    assert measures["Median decision time"] == "<5"


def test_it_counts_shelter_place_days_and_the_waiting_list(mission, officer):
    # 2 places all through the period (181 days) = 362 place-days.
    shelter = city(
        name="Shelter City Utrecht", periods=[(date(2025, 12, 1), date(2026, 12, 31), 2)]
    )
    network = NetworkFactory(members=[mission, shelter])
    case = CaseFactory(organisation=mission)
    request = approved_request(case, officer)
    common = {
        "organisation": mission,
        "request": request,
        "case": case,
        "city": shelter,
        "created_by": officer,
    }
    # 10 days inside the period, 5 days clipped at its end (June 26-30), one waitlisted.
    ShelterReferral.objects.create(
        **common, start=date(2026, 3, 1), end=date(2026, 3, 10), status="completed"
    )
    ShelterReferral.objects.create(
        **common, start=date(2026, 6, 26), end=date(2026, 9, 25), status="confirmed"
    )
    ShelterReferral.objects.create(
        **common, start=date(2026, 7, 1), end=date(2026, 9, 30), status="waitlisted"
    )
    figure = _figure(network, "shelter_capacity")
    assert figure.rows == [("Guest-days hosted", [15]), ("Place-days offered", [362])]
    measures = dict(figure.measures)
    assert measures["On the waiting list today"] == "<5"
    assert measures["Capacity used"] == "<5"  # from two stays only


def test_it_counts_joint_actions_per_month(mission, officer):
    partner = OrganisationFactory(name="Mission B", kind=Organisation.Kind.MISSION)
    network = NetworkFactory(members=[mission, partner])
    case = CaseFactory(organisation=mission)
    for day, joint in ((3, True), (10, False), (20, True)):
        action = DiplomaticAction.objects.create(
            organisation=mission,
            case=case,
            type=ActionType.DEMARCHE,
            authority="Ministry of Justice",
            taken_on=date(2026, 4, day),
            status=ActionStatus.DONE,
            created_by=officer,
        )
        if joint:
            ActionParticipant.objects.create(
                action=action, organisation=partner, status="accepted", invited_by=officer
            )
    figure = _figure(network, "diplomatic_actions")
    assert dict(figure.rows)["2026-04"] == [3, 2]
    activity = _figure(network, "member_activity")
    assert dict(activity.rows)["Mission A"] == [1, 0, 3]


def test_it_computes_time_to_acknowledge_alerts(mission, officer):
    from alerts.models import Alert

    network = NetworkFactory(members=[mission])
    case = CaseFactory(organisation=mission)
    raised = timezone.make_aware(datetime.datetime(2026, 5, 4, 8, 0))
    for minutes in (5, 10, 15, 20, 25, 30):
        Alert.objects.create(
            organisation=mission,
            case=case,
            kind=Alert.Kind.DETAINED,
            severity=Alert.Severity.HIGH,
            message="Held at the checkpoint.",
            raised_by=officer,
            status=Alert.Status.ACKNOWLEDGED,
            created_at=raised,
            acknowledged_at=raised + datetime.timedelta(minutes=minutes),
            acknowledged_by=officer,
            seconds_to_acknowledge=minutes * 60,
        )
    figure = _figure(network, "alerts")
    assert dict(figure.rows)["2026-05"] == [6]
    measures = dict(figure.measures)
    assert measures["Median time to acknowledge"] == "18 min"  # 17.5
    assert measures["90th percentile time to acknowledge"] == "28 min"  # 27.5


def test_the_period_takes_in_its_first_and_last_day_whole(mission, officer):
    from tests.logbooks.factories import log

    network = NetworkFactory(members=[mission])
    case = CaseFactory(organisation=mission)
    moments = [
        datetime.datetime(2025, 12, 31, 23, 59),  # the day before: out
        datetime.datetime(2026, 1, 1, 0, 0),  # first day: in
        datetime.datetime(2026, 6, 30, 23, 59, 59),  # last day: in
        datetime.datetime(2026, 7, 1, 0, 0),  # the day after: out
    ]
    for moment in moments:
        log(case, officer, occurred_at=timezone.make_aware(moment))
    activity = _figure(network, "member_activity")
    assert dict(activity.rows)["Mission A"] == [1, 2, 0]
