"""Tasks: who sees which (every persona, and a partner whose share ended), what stays in the
queue (overdue tasks until done; snoozed ones until their day), other organisations 404.
(The steps, refusals and query counts: test_task_api.py; reminders and logbook follow-ups:
test_task_reminders.py.)"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from accounts.testing import verified_client
from cases.models import Task
from cases.selectors.task import TaskFilters, open_tasks_for, tasks_for
from cases.services import sharing
from cases.services import task as task_services
from tests.factories import (
    CaseFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
    share_case,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


@pytest.fixture
def case(org, officer):
    return CaseFactory(organisation=org, pseudonym="Ceiba", lead_officer=officer)


@pytest.fixture
def ngo(db):
    return OrganisationFactory(name="Voces Seguras", code="VOC", kind=Organisation.Kind.NGO)


@pytest.fixture
def ngo_officer(ngo):
    return UserFactory(organisation=ngo, role=Role.OFFICER, email="caseworker@ngo.example")


@pytest.fixture
def city(db):
    return OrganisationFactory(name="Ciudad Refugio", code="CTY", kind="shelter_city")


@pytest.fixture
def city_staff(city):
    return UserFactory(organisation=city, role=Role.OFFICER, email="staff@city.example")


@pytest.fixture
def coordinator(org):
    capital = OrganisationFactory(name="Capital", code="CAP", kind="capital")
    NetworkFactory(members=[org, capital])
    return UserFactory(organisation=capital, role=Role.COORDINATOR, email="coord@cap.example")


def make_task(user, *, case=None, due=0, title="Call back", assignee=None) -> Task:
    return task_services.task_create(
        title=title, due_on=days(due), acting_user=user, case=case, assignee=assignee
    )


# --- who sees what --------------------------------------------------------------------------


@pytest.fixture
def world(case, officer, admin_user, viewer, ngo, ngo_officer, city, city_staff, coordinator):
    """A task of each organisation: the owner's on the case and on its own, the feedback
    partner's on the shared case, and tasks of the others nobody else may see."""
    share_case(case, ngo, "feedback", acting_user=officer)
    share_case(case, city, "relocation", acting_user=officer)
    outsider_org_case = CaseFactory(organisation=ngo)
    return {
        "owner_case": make_task(officer, case=case, title="Owner's case task"),
        "owner_org": make_task(admin_user, title="Owner's own task", due=-40),
        "ngo_case": make_task(ngo_officer, case=case, title="NGO's task on the shared case"),
        "ngo_own": make_task(ngo_officer, case=outsider_org_case, title="NGO's own case"),
        "city_own": make_task(city_staff, title="City's own task"),
    }


def titles(tasks) -> set[str]:
    return {task.title for task in tasks}


def test_it_shows_each_persona_only_the_tasks_it_may_open(
    world, officer, admin_user, viewer, ngo_officer, city_staff, coordinator, outsider
):
    owner = {"Owner's case task", "Owner's own task"}
    assert titles(tasks_for(officer)) == owner
    assert titles(tasks_for(admin_user)) == owner
    assert titles(tasks_for(viewer)) == owner  # reads them, cannot act on them
    assert titles(tasks_for(ngo_officer)) == {"NGO's task on the shared case", "NGO's own case"}
    assert titles(tasks_for(city_staff)) == {"City's own task"}
    assert titles(tasks_for(coordinator)) == set()
    assert titles(tasks_for(outsider)) == set()


def test_it_answers_404_for_another_organisations_task_page_and_api(
    world, outsider_client, ngo_officer
):
    ngo = verified_client(ngo_officer)
    for task in (world["owner_case"], world["owner_org"]):
        assert outsider_client.get(reverse("cases:task_detail", args=[task.pk])).status_code == 404
        assert ngo.get(reverse("cases:task_detail", args=[task.pk])).status_code == 404
        assert ngo.get(reverse("api:task-detail", args=[task.pk])).status_code == 404
        response = ngo.post(reverse("cases:task_step", args=[task.pk, "done"]))
        assert response.status_code == 404
    task = Task.objects.unscoped().get(pk=world["owner_case"].pk)
    assert task.status == Task.Status.OPEN


def test_a_partner_whose_share_ended_no_longer_sees_its_tasks_on_that_case(
    world, case, officer, ngo_officer
):
    share = case.shares.get(partner=ngo_officer.organisation, status="active")
    client = verified_client(ngo_officer)
    task = world["ngo_case"]
    assert client.get(reverse("cases:task_detail", args=[task.pk])).status_code == 200
    sharing.share_revoke(share=share, acting_user=officer)
    assert titles(tasks_for(ngo_officer)) == {"NGO's own case"}
    assert titles(open_tasks_for(ngo_officer)) == {"NGO's own case"}
    assert client.get(reverse("cases:task_detail", args=[task.pk])).status_code == 404
    assert client.get(reverse("api:task-detail", args=[task.pk])).status_code == 404
    listed = client.get(reverse("api:task-list")).json()["results"]
    assert [row["title"] for row in listed] == ["NGO's own case"]


def test_a_partner_cannot_write_a_task_of_a_case_whose_share_lapsed(world, case, ngo_officer):
    share = case.shares.get(partner=ngo_officer.organisation, status="active")
    share.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    share.save(update_fields=["expires_at"])  # lapsed: the sweep has not run yet
    task = Task.objects.unscoped().get(pk=world["ngo_case"].pk)
    with pytest.raises(Exception) as refused:
        task_services.task_complete(task=task, acting_user=ngo_officer)
    assert type(refused.value).__name__ == "PermissionDenied"
    assert titles(tasks_for(ngo_officer)) == {"NGO's own case"}


# --- the work queue -------------------------------------------------------------------------


def test_overdue_tasks_stay_in_the_queue_until_done(case, officer):
    old = make_task(officer, case=case, due=-400, title="A year overdue", assignee=officer)
    week = make_task(officer, case=case, due=-8, title="Eight days overdue")
    assert titles(open_tasks_for(officer)) == {"A year overdue", "Eight days overdue"}
    due_by_today = titles(open_tasks_for(officer, until=days(0)))
    assert due_by_today == {"A year overdue", "Eight days overdue"}
    task_services.task_complete(task=old, acting_user=officer)
    assert titles(open_tasks_for(officer)) == {"Eight days overdue"}
    task_services.task_cancel(task=week, acting_user=officer)
    assert list(open_tasks_for(officer)) == []


def test_the_queue_shows_mine_then_unassigned_by_due_date(case, officer, admin_user, viewer):
    mine_later = make_task(officer, case=case, due=3, assignee=officer, title="mine later")
    mine_soon = make_task(officer, due=1, assignee=officer, title="mine soon")
    unassigned = make_task(officer, case=case, due=-2, title="anybody's")
    make_task(officer, case=case, due=-3, assignee=admin_user, title="the admin's")
    assert list(open_tasks_for(officer)) == [mine_soon, mine_later, unassigned]
    assert list(open_tasks_for(officer, until=days(2))) == [mine_soon, unassigned]
    # A viewer cannot take a task: unassigned ones are not theirs to do.
    assert list(open_tasks_for(viewer)) == []


def test_a_snoozed_task_leaves_the_queue_until_its_day_and_comes_back_overdue(
    case, officer, client
):
    task = make_task(officer, case=case, due=1, assignee=officer)
    task_services.task_snooze(task=task, until=days(5), acting_user=officer)
    assert list(open_tasks_for(officer)) == []
    # The organisation's list hides nothing: the task is there, marked snoozed.
    assert list(tasks_for(officer, TaskFilters(when="snoozed"))) == [task]
    page = verified_client(officer).get(reverse("cases:tasks"))
    assert "snoozed until" in page.content.decode()
    with _today_is(days(5)):
        assert list(open_tasks_for(officer)) == [task]
        assert task.is_overdue(TODAY())


def test_the_snooze_date_picker_offers_tomorrow_first_as_the_service_requires(case, officer):
    task = make_task(officer, case=case, due=1, assignee=officer)
    client = verified_client(officer)
    tomorrow = f'min="{days(1).isoformat()}"'
    for url in (
        reverse("cases:tasks"),
        reverse("cases:task_detail", args=[task.pk]),
        reverse("cases:detail", args=[case.pk]),
    ):
        assert tomorrow in client.get(url).content.decode(), url
    # The picker's first day is one the service takes; today it refuses with a message.
    response = client.post(
        reverse("cases:task_step", args=[task.pk, "snooze"]), {"until": days(0).isoformat()}
    )
    assert response.status_code == 400
    assert "Snooze the task to a day after today." in response.content.decode()
    task.refresh_from_db()
    assert task.snoozed_until is None
    client.post(
        reverse("cases:task_step", args=[task.pk, "snooze"]), {"until": days(1).isoformat()}
    )
    task.refresh_from_db()
    assert task.snoozed_until == days(1)


class _today_is:
    """Move the clock (timezone.now) to the start of ``day``."""

    def __init__(self, day: datetime.date) -> None:
        self.day = day

    def __enter__(self):
        from unittest import mock

        moment = timezone.make_aware(datetime.datetime.combine(self.day, datetime.time(9)))
        self._patch = mock.patch("django.utils.timezone.now", return_value=moment)
        self._patch.start()

    def __exit__(self, *exc):
        self._patch.stop()
