"""Tasks through the alerts pipeline, with the real beat sweep: a task due today or overdue is
reminded once per due date (to its assignee, else the organisation's writers), a snoozed one
on the day it wakes, a done one never; the assignee hears of a task given by someone else.
Logbook follow-up dates are tasks: an entry's follow-up makes one, a correction moves it, a
cleared date cancels it, and the existing follow-ups became tasks (logbooks 0006)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Role
from alerts.models import Notification
from alerts.services.sweep import sweep
from cases.models import Task
from cases.services import sharing
from cases.services import task as task_services
from logbooks.models import LogEntry
from logbooks.services.entries import entry_correct, entry_create
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def at(n: int) -> datetime.datetime:
    """Nine in the morning, ``n`` days from today."""
    return timezone.make_aware(datetime.datetime.combine(days(n), datetime.time(9)))


@pytest.fixture
def case(org, officer):
    return CaseFactory(organisation=org, pseudonym="Ceiba", lead_officer=officer)


def make_task(user, *, case=None, due=0, title="Call back", assignee=None) -> Task:
    return task_services.task_create(
        title=title, due_on=days(due), acting_user=user, case=case, assignee=assignee
    )


def reminded(user) -> list[str]:
    return list(
        Notification.objects.for_recipient(user)
        .filter(kind="task")
        .values_list("subject", flat=True)
    )


# --- reminders ------------------------------------------------------------------------------


def test_a_task_due_today_is_reminded_once_to_its_assignee(case, officer, admin_user):
    make_task(admin_user, case=case, due=0, assignee=officer, title="Visit the prison")
    make_task(officer, case=case, due=1, assignee=officer, title="Tomorrow's")
    for minute in range(3):
        sweep(now=timezone.now() + datetime.timedelta(minutes=minute))
    # The assignment was told once, the reminder once: the title never leaves the platform.
    subjects = reminded(officer)
    assert subjects.count("Task due today: Ceiba") == 1
    assert not any("Visit the prison" in subject for subject in subjects)
    assert reminded(admin_user) == []


def test_an_unassigned_overdue_task_goes_to_the_organisations_writers(
    case, officer, admin_user, viewer, outsider
):
    make_task(officer, due=-3, title="Renew the office's visas")
    sweep(now=at(0))
    assert reminded(officer) == ["Task overdue: your organisation"]
    assert reminded(admin_user) == ["Task overdue: your organisation"]
    assert reminded(viewer) == [] and reminded(outsider) == []


def test_a_done_task_is_not_reminded_and_an_overdue_one_stays_until_done(case, officer):
    done = make_task(officer, case=case, due=0, assignee=officer, title="done")
    task_services.task_complete(task=done, acting_user=officer)
    sweep(now=at(0))
    assert reminded(officer) == []
    overdue = make_task(officer, case=case, due=-3, assignee=officer)
    sweep(now=at(0))
    sweep(now=at(5))  # still overdue days later: reminded once per due date, still listed
    assert reminded(officer) == ["Task overdue: Ceiba"]
    from cases.selectors.task import open_tasks_for

    assert list(open_tasks_for(officer)) == [overdue]


def test_a_snoozed_task_is_reminded_the_day_it_wakes(case, officer):
    task = make_task(officer, case=case, due=0, assignee=officer)
    sweep(now=at(0))
    assert reminded(officer) == ["Task due today: Ceiba"]
    task_services.task_snooze(task=task, until=days(3), acting_user=officer)
    sweep(now=at(1))
    sweep(now=at(2))
    assert len(reminded(officer)) == 1  # hidden, not reminded
    sweep(now=at(3))
    assert sorted(reminded(officer)) == ["Task due today: Ceiba", "Task overdue: Ceiba"]


def test_a_partner_whose_share_ended_is_no_longer_reminded(case, officer):
    ngo = OrganisationFactory(name="Voces Seguras", code="VOC", kind="ngo")
    caseworker = UserFactory(organisation=ngo, role=Role.OFFICER)
    share = share_case(case, ngo, "feedback", acting_user=officer)
    make_task(caseworker, case=case, due=0, assignee=caseworker)
    sharing.share_revoke(share=share, acting_user=officer)
    sweep(now=at(0))
    assert reminded(caseworker) == []


def test_the_assignee_hears_of_a_task_given_by_someone_else(case, officer, admin_user):
    mine = make_task(officer, case=case, due=2, assignee=officer)
    assert reminded(officer) == []  # one's own task: nothing to tell
    task_services.task_update(task=mine, assignee=admin_user, acting_user=officer)
    note = Notification.objects.for_recipient(admin_user).get(kind="task")
    # the date in the reader's language's format (hrdcase.formats: never m/d/Y)
    assert note.subject == f"A task was assigned to you: Ceiba, due {date_format(days(2))}"
    assert note.url.endswith(f"/cases/tasks/{mine.pk}/")
    task_services.task_update(task=mine, notes="Bring the file", acting_user=officer)
    assert Notification.objects.for_recipient(admin_user).filter(kind="task").count() == 1


# --- logbook follow-ups are tasks ---------------------------------------------------------------


def _entry(case, user, follow_up_on):
    return entry_create(
        case=case,
        kind="call",
        summary="Called Maria's lawyer about the hearing.",
        acting_user=user,
        follow_up_on=follow_up_on,
    )


def test_a_follow_up_date_is_a_task_of_the_author_kept_in_step_with_the_entry(case, officer):
    entry = _entry(case, officer, days(2))
    task = Task.objects.visible_to(officer).get()
    assert (task.kind, task.source_id, task.due_on, task.assignee) == (
        Task.Kind.FOLLOW_UP,
        entry.version_of_id,
        days(2),
        officer,
    )
    assert "Maria" not in task.title and task.case == case
    # A correction that keeps the date leaves the task alone (done stays done)...
    task_services.task_complete(task=task, acting_user=officer)
    entry = entry_correct(
        entry=entry,
        acting_user=officer,
        kind="call",
        summary="Typo",
        visibility="internal",
        follow_up_on=days(2),
    )
    assert Task.objects.unscoped().get(pk=task.pk).status == Task.Status.DONE
    # ... a new date opens it again at that date; clearing it cancels it.
    entry = entry_correct(
        entry=entry,
        acting_user=officer,
        kind="call",
        summary="Later",
        visibility="internal",
        follow_up_on=days(5),
    )
    task.refresh_from_db()
    assert (task.status, task.due_on) == (Task.Status.OPEN, days(5))
    entry_correct(
        entry=entry, acting_user=officer, kind="call", summary="Done", visibility="internal"
    )
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    assert Task.objects.unscoped().count() == 1


def test_a_follow_up_is_reminded_as_a_task_and_the_logbook_source_no_longer_does(case, officer):
    _entry(case, officer, days(0))
    sweep(now=at(0))
    sweep(now=at(0) + datetime.timedelta(minutes=1))
    assert reminded(officer) == ["Task due today: Ceiba"]
    assert not Notification.objects.unscoped().filter(kind="follow_up").exists()


def test_a_follow_up_task_cannot_change_its_date_outside_the_entry(case, officer, officer_client):
    _entry(case, officer, days(2))
    task = Task.objects.visible_to(officer).get()
    response = officer_client.patch(
        f"/api/v1/tasks/{task.pk}/",
        {"due_on": days(9).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()) == ["due_on"]


def test_existing_follow_ups_became_tasks(case, officer, org):
    """logbooks 0006: run on entries written before follow-ups were tasks."""
    departed = UserFactory(organisation=org, role=Role.OFFICER)
    overdue = _entry(case, officer, days(0))
    theirs = _entry(case, departed, days(0))
    closed = CaseFactory(organisation=org)
    _entry(closed, officer, days(0))
    closed.status, closed.closed_on, closed.closing_reason = "closed", days(0), "released"
    closed.save(update_fields=["status", "closed_on", "closing_reason"])
    # As before this change: entries with follow-up dates, no task.
    Task.objects.unscoped().all().delete()
    LogEntry.objects.unscoped().filter(pk=overdue.pk).update(follow_up_on=days(-40))
    departed.is_active = False
    departed.save(update_fields=["is_active"])

    migration = importlib.import_module("logbooks.migrations.0006_follow_ups_to_tasks")
    state = MigrationLoader(connection).project_state(("logbooks", "0006_follow_ups_to_tasks"))
    migration.forwards(state.apps, None)
    migration.forwards(state.apps, None)  # twice: nothing doubles

    tasks = {task.source_id: task for task in Task.objects.unscoped().all()}
    assert set(tasks) == {overdue.version_of_id, theirs.version_of_id}  # not the closed case's
    assert tasks[overdue.version_of_id].due_on == days(-40)
    assert tasks[overdue.version_of_id].assignee == officer
    assert tasks[theirs.version_of_id].assignee is None  # anybody of the organisation
    assert all(t.status == "open" and t.kind == "follow_up" for t in tasks.values())
    assert [t.title for t in Task.objects.visible_to(officer)] == [
        f"Follow up: Call of {days(0).isoformat()}"
    ] * 2


def test_the_dashboard_keeps_a_follow_up_overdue_by_weeks_until_it_is_done(
    case, officer, officer_client
):
    _entry(case, officer, days(1))
    task = Task.objects.visible_to(officer).get()
    Task.objects.unscoped().filter(pk=task.pk).update(due_on=days(-40))
    response = officer_client.get(reverse("dashboards:organisation"))
    sections = {section["key"]: section for section in response.context["due"]}
    assert sections["follow_ups"]["count"] == 1 and sections["follow_ups"]["items"][0]["overdue"]
    task_services.task_complete(task=task, acting_user=officer)
    response = officer_client.get(reverse("dashboards:organisation"))
    sections = {section["key"]: section for section in response.context["due"]}
    assert sections["follow_ups"]["count"] == 0


def test_a_task_falls_due_at_midnight_where_its_organisation_works(case, officer, org):
    """Bogotá is five hours behind UTC: at 02:00 UTC on the 5th it is still the 4th there."""
    org.time_zone = "America/Bogota"
    org.save(update_fields=["time_zone"])
    utc_day = datetime.date(2026, 12, 5)
    task = task_services.task_create(
        title="Call back", due_on=utc_day, acting_user=officer, case=case, assignee=officer
    )
    sweep(now=datetime.datetime(2026, 12, 5, 2, 0, tzinfo=datetime.UTC))
    assert reminded(officer) == []
    sweep(now=datetime.datetime(2026, 12, 5, 5, 30, tzinfo=datetime.UTC))
    assert reminded(officer) == ["Task due today: Ceiba"]
    assert Task.objects.unscoped().get(pk=task.pk).is_open
