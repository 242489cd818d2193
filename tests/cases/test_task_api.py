"""Tasks in the API and on the pages: the steps (done, cancel, reopen, snooze, assign),
refusals (a viewer cannot write, bad dates and an assignee of another organisation answer
400 naming the field with nothing written, a partner without a live share), and the task
list page and API list at a fixed query count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.testing import verified_client
from cases.models import Task
from cases.services import task as task_services
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case
from tests.queries import get_counting

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def case(org, officer):
    return CaseFactory(organisation=org, pseudonym="Ceiba", lead_officer=officer)


def make_task(user, *, case=None, due=0, title="Call back", assignee=None) -> Task:
    return task_services.task_create(
        title=title, due_on=days(due), acting_user=user, case=case, assignee=assignee
    )


def fresh(task: Task) -> Task:
    return Task.objects.unscoped().get(pk=task.pk)


# --- the API ----------------------------------------------------------------------------------


def test_an_officer_adds_a_task_on_a_case_and_takes_every_step_through_the_api(
    case, officer, admin_user, officer_client
):
    response = officer_client.post(
        reverse("api:task-list"),
        {
            "case": str(case.pk),
            "title": "Ask the prosecutor for the file",
            "due_on": days(3).isoformat(),
            "assignee": str(admin_user.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["case_reference"] == case.reference and body["case_pseudonym"] == "Ceiba"
    assert body["status"] == "open" and body["assignee"] == str(admin_user.pk)
    url = reverse("api:task-detail", args=[body["id"]])

    changed = officer_client.patch(
        url, {"due_on": days(5).isoformat(), "assignee": None}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["due_on"] == days(5).isoformat()
    assert changed.json()["assignee"] is None

    snoozed = officer_client.post(
        reverse("api:task-snooze", args=[body["id"]]),
        {"until": days(2).isoformat()},
        content_type="application/json",
    )
    assert snoozed.status_code == 200 and snoozed.json()["snoozed_until"] == days(2).isoformat()

    done = officer_client.post(reverse("api:task-done", args=[body["id"]]))
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert done.json()["status_changed_by"] == str(officer.pk)
    assert done.json()["snoozed_until"] is None
    again = officer_client.post(reverse("api:task-done", args=[body["id"]]))
    assert again.status_code == 409 and again.json()["allowed"] == ["reopen"]

    reopened = officer_client.post(reverse("api:task-reopen", args=[body["id"]]))
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    cancelled = officer_client.post(reverse("api:task-cancel", args=[body["id"]]))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_the_api_list_filters_like_the_page(case, officer, admin_user, officer_client):
    make_task(officer, case=case, due=-3, title="overdue, mine", assignee=officer)
    make_task(officer, due=0, title="today, nobody's")
    make_task(officer, case=case, due=4, title="this week, the admin's", assignee=admin_user)
    done = make_task(officer, due=-1, title="done already")
    task_services.task_complete(task=done, acting_user=officer)

    def listed(**params):
        response = officer_client.get(reverse("api:task-list"), params)
        assert response.status_code == 200, response.json()
        return [row["title"] for row in response.json()["results"]]

    assert listed() == ["overdue, mine", "today, nobody's", "this week, the admin's"]
    assert listed(who="mine") == ["overdue, mine"]
    assert listed(who="unassigned") == ["today, nobody's"]
    assert listed(when="overdue") == ["overdue, mine"]
    assert listed(when="today") == ["today, nobody's"]
    assert listed(when="week") == ["this week, the admin's"]
    assert listed(when="done") == ["done already"]
    assert listed(case=str(case.pk)) == ["overdue, mine", "this week, the admin's"]
    bad = officer_client.get(reverse("api:task-list"), {"when": "someday"})
    assert bad.status_code == 400 and "when" in bad.json()
    bad = officer_client.get(reverse("api:task-list"), {"case": "not-a-case"})
    assert bad.status_code == 400 and "case" in bad.json()


@pytest.mark.parametrize("bad_day", ["9999-01-01", "0001-01-01", "2026-02-30", "tomorrow"])
def test_a_bad_due_date_answers_400_naming_the_field_and_writes_nothing(
    case, officer, officer_client, bad_day
):
    response = officer_client.post(
        reverse("api:task-list"),
        {"case": str(case.pk), "title": "Call back", "due_on": bad_day},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()) == ["due_on"]
    task = make_task(officer, case=case)
    response = officer_client.patch(
        reverse("api:task-detail", args=[task.pk]),
        {"due_on": bad_day},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()) == ["due_on"]
    response = officer_client.post(
        reverse("api:task-snooze", args=[task.pk]),
        {"until": bad_day},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()) == ["until"]
    assert Task.objects.unscoped().count() == 1
    assert fresh(task).due_on == days(0) and fresh(task).snoozed_until is None


def test_snoozing_to_today_or_before_answers_400_naming_until(case, officer, officer_client):
    task = make_task(officer, case=case)
    response = officer_client.post(
        reverse("api:task-snooze", args=[task.pk]),
        {"until": days(0).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400 and "until" in response.json()


def test_an_assignee_of_another_organisation_is_refused(
    case, officer, outsider, viewer, officer_client
):
    task = make_task(officer, case=case)
    for someone in (str(outsider.pk), str(viewer.pk), "00000000-0000-0000-0000-000000000000"):
        created = officer_client.post(
            reverse("api:task-list"),
            {"title": "Call back", "due_on": days(1).isoformat(), "assignee": someone},
            content_type="application/json",
        )
        assert created.status_code == 400 and list(created.json()) == ["assignee"]
        changed = officer_client.patch(
            reverse("api:task-detail", args=[task.pk]),
            {"assignee": someone},
            content_type="application/json",
        )
        assert changed.status_code == 400 and list(changed.json()) == ["assignee"]
    # The same message for a user who does not exist and one of another organisation.
    assert len({str(r) for r in (created.json(), changed.json())}) == 1
    assert fresh(task).assignee_id is None and Task.objects.unscoped().count() == 1
    # On the page: the form offers only the organisation's writers.
    page = verified_client(officer).post(
        reverse("cases:task_detail", args=[task.pk]),
        {"title": task.title, "due_on": task.due_on.isoformat(), "assignee": str(outsider.pk)},
    )
    assert page.status_code == 400 and fresh(task).assignee_id is None


def test_a_case_the_user_cannot_see_answers_400_naming_case(officer_client, outsider):
    theirs = CaseFactory(organisation=outsider.organisation)
    response = officer_client.post(
        reverse("api:task-list"),
        {"case": str(theirs.pk), "title": "Call back", "due_on": days(1).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()) == ["case"]
    assert not Task.objects.unscoped().exists()


def test_a_viewer_reads_tasks_but_cannot_write_them(case, officer, viewer, viewer_client):
    task = make_task(officer, case=case, title="Visit the family")
    assert viewer_client.get(reverse("api:task-detail", args=[task.pk])).status_code == 200
    assert viewer_client.get(reverse("cases:task_detail", args=[task.pk])).status_code == 200
    for route in ("api:task-done", "api:task-cancel", "api:task-snooze"):
        assert viewer_client.post(reverse(route, args=[task.pk])).status_code == 403
    assert (
        viewer_client.patch(
            reverse("api:task-detail", args=[task.pk]), {}, content_type="application/json"
        ).status_code
        == 403
    )
    created = viewer_client.post(
        reverse("api:task-list"),
        {"title": "Mine now", "due_on": days(1).isoformat()},
        content_type="application/json",
    )
    assert created.status_code == 403
    assert viewer_client.post(reverse("cases:task_step", args=[task.pk, "done"])).status_code == 403
    assert viewer_client.get(reverse("cases:task_create")).status_code == 403
    assert viewer_client.get(reverse("cases:case_task_create", args=[case.pk])).status_code == 403
    page = viewer_client.get(reverse("cases:tasks")).content.decode()
    assert "Visit the family" in page and reverse("cases:task_create") not in page
    assert fresh(task).status == Task.Status.OPEN and Task.objects.unscoped().count() == 1


def test_a_relocation_partner_cannot_add_a_task_on_the_case(case, officer):
    city = OrganisationFactory(name="Ciudad Refugio", code="CTY", kind="shelter_city")
    staff = UserFactory(organisation=city, role=Role.OFFICER)
    share_case(case, city, "relocation", acting_user=officer)
    client = verified_client(staff)
    assert client.get(reverse("cases:case_task_create", args=[case.pk])).status_code in (403, 404)
    response = client.post(
        reverse("api:task-list"),
        {"case": str(case.pk), "title": "Call back", "due_on": days(1).isoformat()},
        content_type="application/json",
    )
    assert response.status_code in (400, 403)
    assert not Task.objects.unscoped().exists()


# --- the pages ---------------------------------------------------------------------------------


def test_an_officer_adds_a_task_from_the_case_page_and_marks_it_done(case, officer, officer_client):
    detail = reverse("cases:detail", args=[case.pk])
    page = officer_client.get(detail).content.decode()
    assert "Nothing open for your organisation on this case." in page
    response = officer_client.post(
        reverse("cases:case_task_create", args=[case.pk]),
        {"title": "Call the lawyer", "due_on": days(-2).isoformat(), "next": detail},
    )
    assert response.status_code == 302 and response["Location"] == detail
    task = Task.objects.visible_to(officer).get()
    page = officer_client.get(detail).content.decode()
    assert "Call the lawyer" in page and "overdue" in page
    response = officer_client.post(
        reverse("cases:task_step", args=[task.pk, "done"]), {"next": detail}
    )
    assert response.status_code == 302 and fresh(task).status == Task.Status.DONE
    assert "Call the lawyer" not in officer_client.get(detail).content.decode()


def test_a_bad_date_on_the_page_re_renders_the_form_with_the_message(officer, officer_client):
    response = officer_client.post(
        reverse("cases:task_create"), {"title": "Renew the visa", "due_on": "9999-12-31"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["due_on"]
    assert not Task.objects.unscoped().exists()
    task = make_task(officer)
    response = officer_client.post(
        reverse("cases:task_step", args=[task.pk, "snooze"]), {"until": "0001-01-01"}
    )
    assert response.status_code == 400 and fresh(task).snoozed_until is None


def test_assigning_from_the_task_page(officer, admin_user, officer_client):
    task = make_task(officer)
    response = officer_client.post(
        reverse("cases:task_step", args=[task.pk, "assign"]), {"assignee": str(admin_user.pk)}
    )
    assert response.status_code == 302 and fresh(task).assignee == admin_user


# --- query counts -------------------------------------------------------------------------------


def _tasks_on_cases(org, officer, admin_user, n: int) -> None:
    for i in range(n):
        case = CaseFactory(organisation=org, lead_officer=officer)
        make_task(officer, case=case, due=i - 2, title=f"Task {i}", assignee=admin_user)
        make_task(officer, due=i, title=f"Own task {i}")


def test_the_task_list_page_and_api_list_cost_the_same_with_more_tasks(
    org, officer, admin_user, officer_client
):
    _tasks_on_cases(org, officer, admin_user, 2)
    page = get_counting(officer_client, reverse("cases:tasks"), contains="Task 1")
    api = get_counting(officer_client, reverse("api:task-list"), contains="Task 1")
    _tasks_on_cases(org, officer, admin_user, 6)
    get_counting(
        officer_client, reverse("cases:tasks"), contains="Task 5", queries=len(page.queries)
    )
    get_counting(
        officer_client, reverse("api:task-list"), contains="Task 5", queries=len(api.queries)
    )
    # The API: session, user, device, the page's count and rows. The page: the same, and the
    # menu's badges (other apps' items: at most a few).
    assert len(api.queries) == 5
    assert len(page.queries) <= 9
