"""Home is the officer's work queue: an overdue task and an urgent alert wait there, and leave
it once acknowledged and done; the NGO a case is shared with is told in its inbox (issue 19)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Organisation
from alerts.models import Alert
from alerts.services.alerts import alert_raise
from cases.models import Task
from cases.services.task import task_create
from tests.e2e.conftest import ARTIFACTS, axe_violations, login, person
from tests.factories import CaseFactory, OrganisationFactory, share_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_clears_an_overdue_task_and_an_alert_from_home(new_page):
    mission = OrganisationFactory(name="Embassy of Testland", kind=Organisation.Kind.MISSION)
    ngo = OrganisationFactory(name="Voces Test", kind=Organisation.Kind.NGO)
    officer, colleague = person(mission), person(mission)
    caseworker = person(ngo)
    case = CaseFactory(organisation=mission, pseudonym="Ceiba", lead_officer=officer)
    task = task_create(
        title="Call the family about the hearing",
        due_on=timezone.localdate(),
        case=case,
        assignee=officer,
        acting_user=officer,
    )
    # Overdue by three weeks: a follow-up that old used to drop off the reminders.
    Task.objects.unscoped().filter(pk=task.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=21)
    )
    alert = alert_raise(
        case=case,
        kind="detained",
        message="Arrested at the march this morning.",
        acting_user=colleague,
    )

    page = new_page()
    login(page, officer)
    page.goto("/")
    urgent = page.locator("li.work-item", has_text="Ceiba").filter(
        has_text=alert.get_kind_display()
    )
    overdue = page.locator("li.work-item.overdue", has_text="Call the family about the hearing")
    urgent.wait_for()
    overdue.wait_for()
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home_work_queue.png"), full_page=True)

    urgent.get_by_role("button", name="Acknowledge").click()
    page.goto("/")
    assert urgent.count() == 0
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED

    overdue.get_by_role("button", name="Done").click()
    page.goto("/")
    assert overdue.count() == 0
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.status_changed_by_id == officer.pk

    # The mission shares the case: the NGO finds it in its inbox and on its Home.
    share_case(case, ngo, "feedback", acting_user=officer)
    partner = new_page()
    login(partner, caseworker)
    partner.goto("/alerts/notifications/")
    partner.get_by_text("Ceiba").first.wait_for()
    partner.goto("/")
    partner.locator("li.work-item", has_text="Ceiba").first.wait_for()
