"""Figures of the logbooks and relocation parts, against values computed by hand."""

from __future__ import annotations

import datetime
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Organisation, Role
from dashboards.periods import Period
from logbooks.models import ActionParticipant, ActionStatus, ActionType, DiplomaticAction
from relocation.models import ShelterReferral, VisaReferral
from tests.dashboards.figures import network_figures
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory, UserFactory
from tests.relocation.factories import approved_request, city

PERIOD = Period(2026)


def _figure(network, key, period=PERIOD):
    return next(f for f in network_figures(network, period) if f.key == key)


@pytest.fixture
def mission(db):
    return OrganisationFactory(name="Mission A", kind=Organisation.Kind.MISSION)


@pytest.fixture
def officer(mission):
    return UserFactory(organisation=mission, role=Role.OFFICER)


def _visa(case, request, officer, mission, *, requested: date, decided_after_days: int = 1):
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
    # Decided after 2 to 7 days (6 within the 10-day deadline) and 12 to 20 days (5 after).
    for wait in (2, 3, 4, 5, 6, 7, 12, 14, 16, 18, 20):
        _visa(case, request, officer, mission, requested=date(2026, 2, 1), decided_after_days=wait)
    figure = _figure(network, "visa_decisions")
    assert figure.table() == [
        ("Within the fast-track deadline", ["6"]),
        ("After the deadline", ["5"]),
    ]
    measures = dict(figure.measures)
    assert measures["Decided within the deadline"] == "55 %"
    # Median of 2.5, 3.5, ..., 7.5, 12.5, ..., 20.5 days (decided at noon) is 7.5.
    assert measures["Median decision time"] == "7.5 days"
    assert dict(_figure(network, "visa_decisions", Period(2026, month=2)).measures) == measures


def test_a_decision_is_on_time_until_the_missions_midnight_not_utcs(officer):
    """A Honolulu consulate deciding at 15:00 on its deadline day (01:00 UTC the day after)
    decided on time; at 01:00 the day after, late. Its day was read in UTC."""
    honolulu = ZoneInfo("Pacific/Honolulu")
    consulate = OrganisationFactory(kind=Organisation.Kind.MISSION, time_zone="Pacific/Honolulu")
    network = NetworkFactory(members=[consulate])
    case = CaseFactory(organisation=officer.organisation)
    request = approved_request(case, officer)
    deadline = date(2026, 3, 10)
    due_at = datetime.datetime.combine(deadline + datetime.timedelta(days=1), time(0), honolulu)
    for decided in [datetime.datetime.combine(deadline, time(15), honolulu)] * 5 + [
        due_at + datetime.timedelta(hours=1)
    ] * 5:
        referral = _visa(case, request, officer, consulate, requested=date(2026, 3, 2))
        VisaReferral.objects.unscoped().filter(pk=referral.pk).update(
            deadline=deadline, due_at=due_at, decided_at=decided
        )
    assert _figure(network, "visa_decisions").table() == [
        ("Within the fast-track deadline", ["5"]),
        ("After the deadline", ["5"]),
    ]


def test_it_hides_the_fast_track_rate_below_five_decisions(mission, officer):
    network = NetworkFactory(members=[mission])
    case = CaseFactory(organisation=mission)
    request = approved_request(case, officer)
    for wait in (2, 30):
        _visa(case, request, officer, mission, requested=date(2026, 2, 1), decided_after_days=wait)
    figure = _figure(network, "visa_decisions")
    assert figure.table() == [
        ("Within the fast-track deadline", ["≥ 1"]),
        ("After the deadline", ["≥ 1"]),
    ]
    measures = dict(figure.measures)
    assert measures["Decided within the deadline"] == "hidden (fewer than 5)"
    assert measures["Median decision time"] == "hidden (fewer than 5)"


def test_a_median_leaves_out_a_member_with_fewer_than_five_decisions(mission, officer):
    """Another mission of the network knows its own decision times: with a member's one
    decision mixed in, the median or percentile of the two would give that one back."""
    other = OrganisationFactory(name="Mission B", kind=Organisation.Kind.MISSION)
    network = NetworkFactory(members=[mission, other])
    case = CaseFactory(organisation=mission)
    request = approved_request(case, officer)
    for wait in (2, 3, 4, 5, 6):
        _visa(case, request, officer, mission, requested=date(2026, 2, 1), decided_after_days=wait)
    measures = dict(_figure(network, "visa_decisions").measures)
    assert measures["Median decision time"] == "4.5 days"
    _visa(case, request, officer, other, requested=date(2026, 2, 1), decided_after_days=60)
    assert dict(_figure(network, "visa_decisions").measures)["Median decision time"] == "4.5 days"


def test_it_counts_shelter_place_days_and_the_waiting_list(mission, officer):
    # 2 places all through 2026 (365 days) = 730 place-days.
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
    # Two stays' guest-days would tell their length: hidden, and so is the rate of use.
    assert figure.table() == [("Guest-days hosted", ["≥ 1"]), ("Place-days offered", ["730"])]
    measures = dict(figure.measures)
    assert measures["On the waiting list today"] == "≥ 1"
    assert measures["Capacity used"] == "hidden (fewer than 5)"


def test_it_counts_guest_days_resting_on_five_stays(mission, officer):
    shelter = city(name="Shelter City Utrecht", periods=[(date(2026, 1, 1), date(2026, 12, 31), 5)])
    network = NetworkFactory(members=[mission, shelter])
    case = CaseFactory(organisation=mission)
    request = approved_request(case, officer)
    for day in (1, 3, 5, 7, 9):  # 10 days each in March
        ShelterReferral.objects.create(
            organisation=mission,
            request=request,
            case=case,
            city=shelter,
            created_by=officer,
            start=date(2026, 3, day),
            end=date(2026, 3, day + 9),
            status="completed",
        )
    for period in (Period(2026), Period(2026, quarter=1), Period(2026, month=3)):
        figure = _figure(network, "shelter_capacity", period)
        assert figure.table()[0] == ("Guest-days hosted", ["50"])
    march = dict(_figure(network, "shelter_capacity", Period(2026, month=3)).measures)
    assert march["Capacity used"] == "32 %"  # 50 of 5 x 31 place-days


def test_it_counts_joint_actions_per_month(mission, officer):
    partner = OrganisationFactory(name="Mission B", kind=Organisation.Kind.MISSION)
    network = NetworkFactory(members=[mission, partner])
    case = CaseFactory(organisation=mission)
    for day, joint in ((3, True), (6, True), (10, False), (14, True), (17, True), (20, True)):
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
    assert dict(figure.table())["2026-04"] == ["6", "5"]
    activity = _figure(network, "member_activity")
    assert dict(activity.table())["Mission A"] == ["≥ 1", "0", "6"]


def _alert(case, officer, **fields):
    from alerts.models import Alert

    return Alert.objects.create(
        organisation=case.organisation,
        case=case,
        kind=Alert.Kind.DETAINED,
        severity=Alert.Severity.HIGH,
        message="Held at the checkpoint.",
        raised_by=officer,
        **fields,
    )


def test_it_computes_time_to_acknowledge_alerts(mission, officer):
    from alerts.models import Alert

    network = NetworkFactory(members=[mission])
    case = CaseFactory(organisation=mission)
    raised = timezone.make_aware(datetime.datetime(2026, 5, 4, 8, 0))
    for minutes in (5, 10, 15, 20, 25, 30):
        _alert(
            case,
            officer,
            status=Alert.Status.ACKNOWLEDGED,
            created_at=raised,
            acknowledged_at=raised + datetime.timedelta(minutes=minutes),
            acknowledged_by=officer,
            seconds_to_acknowledge=minutes * 60,
        )
    figure = _figure(network, "alerts")
    assert dict(figure.table())["2026-05"] == ["6"]
    measures = dict(figure.measures)
    assert measures["Median time to acknowledge"] == "18 min"  # 17.5
    assert measures["90th percentile time to acknowledge"] == "28 min"  # 27.5


def test_the_period_takes_in_its_first_and_last_day_whole(mission, officer):
    from tests.logbooks.factories import log

    network = NetworkFactory(members=[mission])
    case = CaseFactory(organisation=mission)
    moments = [
        datetime.datetime(2024, 12, 31, 23, 59),  # the day before: out
        datetime.datetime(2025, 1, 1, 0, 0),  # first day: in
        *(datetime.datetime(2025, 6, day, 12) for day in (1, 2, 3)),  # in
        datetime.datetime(2025, 12, 31, 23, 59, 59),  # last day: in
        datetime.datetime(2026, 1, 1, 0, 0),  # the day after: out
    ]
    for moment in moments:
        log(case, officer, occurred_at=timezone.make_aware(moment))
    activity = _figure(network, "member_activity", Period(2025))
    assert dict(activity.table())["Mission A"] == ["≥ 1", "5", "0"]


def test_a_moment_counts_in_the_same_month_whatever_zone_the_figures_are_read_in(
    mission, officer, settings
):
    """Five alerts at 23:30 UTC on 31 January: January's on every page, also for a reader in
    Brussels (UTC+1), where they were February's. Cut in each reader's zone, the two pages
    (or one reader changing their zone) would date the alerts by their difference."""
    assert settings.TIME_ZONE == "UTC"
    network = NetworkFactory(members=[mission])
    case = CaseFactory(organisation=mission)
    late_evening = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC)
    for _ in range(5):
        _alert(case, officer, created_at=late_evening)
    for zone in ("UTC", "Europe/Brussels", "America/Bogota"):
        with timezone.override(zone):
            table = dict(_figure(network, "alerts").table())
            january = dict(_figure(network, "alerts", Period(2026, month=1)).table())
        assert (table["2026-01"], table["2026-02"]) == (["5"], ["0"]), zone
        assert january["2026-01"] == ["5"], zone
