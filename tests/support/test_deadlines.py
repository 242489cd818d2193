"""Unanswered urgent support requests are reminded at half their answer time and escalated
past it by the receiver's alert policy (its admins, then its networks' coordinators), once
per step: relocation's machinery, the clock moved (never slept)."""

from __future__ import annotations

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Notification
from alerts.services.sweep import sweep
from support.services import ANSWER_HOURS, answer_due, support_request_accept
from tests.factories import OrganisationFactory
from tests.support.conftest import ask

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _kinds(user, kind: str) -> list[Notification]:
    return list(Notification.objects.for_recipient(user).filter(kind=kind))


def _asked_at(world, start, **fields):
    with mock.patch("django.utils.timezone.now", return_value=start):
        [request] = ask(world, **fields)
    return request


@pytest.fixture
def start():
    return timezone.now().replace(microsecond=0)


@pytest.mark.parametrize("time_zone", ["UTC", "Pacific/Honolulu", "Pacific/Kiritimati"])
def test_the_answer_is_due_by_urgency_and_before_the_day_needed_where_the_mission_works(
    start, time_zone
):
    mission = OrganisationFactory(time_zone=time_zone)
    far = start.date() + datetime.timedelta(days=30)
    due, remind = answer_due("urgent", far, start, mission)
    assert due == start + ANSWER_HOURS["urgent"] * HOUR and remind == start + 36 * HOUR
    local = ZoneInfo(time_zone)
    soon = timezone.localdate(start, local) + datetime.timedelta(days=3)
    due, _remind = answer_due("routine", soon, start, mission)
    # by the end of the mission's day before: its midnight, not the asker's
    assert due == datetime.datetime.combine(soon, datetime.time.min, local)


def test_an_urgent_request_is_reminded_at_half_time_then_escalated_once_per_step(world, start):
    request = _asked_at(world, start, needed_by=start.date() + datetime.timedelta(days=20))
    due = request.due_at
    assert due == start + 72 * HOUR
    sweep(now=start + 35 * HOUR)
    assert _kinds(world.receiver, "support_answer_due") == []
    sweep(now=start + 36 * HOUR)
    sweep(now=start + 40 * HOUR)  # a later sweep: still one reminder
    [reminder] = _kinds(world.receiver, "support_answer_due")
    assert "Ceiba" in reminder.subject and "support request" in reminder.subject
    assert reminder.url == reverse("support:detail", args=[request.pk])
    assert len(_kinds(world.receiver_admin, "support_answer_due")) == 1
    assert _kinds(world.receiver_viewer, "support_answer_due") == []
    assert _kinds(world.requester, "support_answer_due") == []
    # Past the deadline: the receiver's policy (15 minutes: its admins; an hour: coordinators).
    sweep(now=due + 14 * datetime.timedelta(minutes=1))
    assert _kinds(world.receiver_admin, "support_answer_overdue") == []
    sweep(now=due + 15 * datetime.timedelta(minutes=1))
    sweep(now=due + 30 * datetime.timedelta(minutes=1))
    [escalation] = _kinds(world.receiver_admin, "support_answer_overdue")
    assert "Embassy of Norway" in escalation.subject
    assert _kinds(world.coordinator, "support_answer_overdue") == []
    sweep(now=due + HOUR)
    sweep(now=due + 2 * HOUR)
    [to_coordinator] = _kinds(world.coordinator, "support_answer_overdue")
    assert to_coordinator.url == ""  # a coordinator cannot open the request: no link
    assert len(_kinds(world.receiver_admin, "support_answer_overdue")) == 1


def test_an_answered_or_routine_request_is_not_chased(world, start):
    routine = _asked_at(
        world, start, urgency="routine", needed_by=start.date() + datetime.timedelta(days=20)
    )
    answered = _asked_at(
        world, start, kind="demarche", needed_by=start.date() + datetime.timedelta(days=20)
    )
    support_request_accept(request=answered, acting_user=world.receiver, authority="Ministry")
    sweep(now=start + 200 * HOUR)
    assert _kinds(world.receiver, "support_answer_due") == []
    assert _kinds(world.receiver_admin, "support_answer_overdue") == []
    assert routine.due_at is not None  # dated for the queue, not chased
