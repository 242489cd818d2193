"""The due sources logbooks registers with alerts: diplomatic actions' follow-up reminders and
the hearing-without-observation alert. (An entry's follow-up date is a task, reminded with
every task: tests/cases/test_task_reminders.py. The purger: test_retention.py; benchmarks
marked done by an entry or an action: test_benchmarks.py.)"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from alerts.due import registered_alert_sources, registered_due_sources
from cases.services.court import (
    hearing_observer_plan,
    hearing_observer_record,
    hearing_schedule,
    proceeding_create,
    proceeding_update,
)
from cases.services.detention import hearing_add
from logbooks.services.actions import action_transition
from tests.factories import record_detention
from tests.logbooks.factories import demarche, log

pytestmark = pytest.mark.django_db


def _due(now=None):
    return list(registered_due_sources()["logbooks.follow_ups"](now or timezone.now()))


def _alerts(now=None):
    return list(
        registered_alert_sources()["logbooks.hearing_without_observation"](now or timezone.now())
    )


def test_an_entrys_follow_up_is_not_reminded_here_any_more(case, officer):
    log(case, officer, follow_up_on=timezone.localdate())
    assert _due() == []


def test_an_action_with_follow_up_due_reminds(case, officer):
    action = demarche(case, officer)
    action_transition(action=action, to="follow_up_due", acting_user=officer)
    items = [item for item in _due() if "action" in item.extra]
    assert len(items) == 1 and items[0].recipients == [officer]


def test_a_hearing_within_48_hours_without_observation_raises_an_alert(case, officer):
    detention = record_detention(case, acting_user=officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    hearing = hearing_add(
        detention=detention, date=tomorrow, court="Juzgado 3", acting_user=officer
    )
    hearing_add(
        detention=detention,
        date=tomorrow + datetime.timedelta(days=10),
        court="Juzgado 3",
        acting_user=officer,
    )
    alerts = _alerts()
    assert [(a.key, a.severity, a.kind) for a in alerts] == [
        (f"logbooks.hearing_unobserved:{hearing.pk}", "high", "hearing_unobserved")
    ]
    assert case.defender.legal_name not in alerts[0].reason
    demarche(case, officer, type="trial_observation", status="planned", taken_on=tomorrow)
    assert _alerts() == []


def test_a_released_defender_s_hearing_still_needs_an_observer_until_the_proceeding_ends(
    case, officer
):
    """The trial goes on after a release (issue 21): the alert follows the proceeding."""
    detention = record_detention(case, acting_user=officer)
    hearing = hearing_add(
        detention=detention,
        date=timezone.localdate() + datetime.timedelta(days=1),
        court="Juzgado 3",
        acting_user=officer,
    )
    detention.released_on = timezone.localdate()
    detention.save(update_fields=["released_on"])
    assert [a.key for a in _alerts()] == [f"logbooks.hearing_unobserved:{hearing.pk}"]
    proceeding_update(proceeding=hearing.proceeding, status="acquitted", acting_user=officer)
    assert _alerts() == []


def test_a_hearing_of_a_free_defender_without_observer_raises_the_alert_until_one_is_planned(
    case, officer, org
):
    proceeding = proceeding_create(
        case=case, court="Tribunal 2", defender_role="slapp_defendant", acting_user=officer
    )
    hearing = hearing_schedule(
        proceeding=proceeding,
        date=timezone.localdate() + datetime.timedelta(days=2),
        acting_user=officer,
    )
    later = hearing_schedule(
        proceeding=proceeding,
        date=timezone.localdate() + datetime.timedelta(days=3),
        acting_user=officer,
    )
    alerts = _alerts()
    assert [a.key for a in alerts] == [f"logbooks.hearing_unobserved:{hearing.pk}"]
    assert alerts[0].case == case and "Tribunal" not in alerts[0].reason
    row = hearing_observer_plan(hearing=hearing, organisation=org, acting_user=officer)
    assert _alerts() == []
    # An observer who did not attend no longer counts as planned; nor does a later hearing.
    hearing_observer_record(observer_row=row, status="absent", acting_user=officer)
    assert [a.key for a in _alerts()] == [f"logbooks.hearing_unobserved:{hearing.pk}"]
    assert later.pk not in {a.key.rsplit(":", 1)[1] for a in _alerts()}


def test_each_unobserved_hearing_is_its_own_alert_of_its_own_kind(case, officer):
    from alerts.models import Alert
    from alerts.services.sweep import sweep

    detention = record_detention(case, acting_user=officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for court in ("Juzgado 3", "Juzgado 4"):
        hearing_add(detention=detention, date=tomorrow, court=court, acting_user=officer)
    sweep(now=timezone.now())
    alerts = list(Alert.objects.unscoped().filter(case=case, kind="hearing_unobserved"))
    assert [a.kind for a in alerts] == ["hearing_unobserved"] * 2
    assert len({a.cause for a in alerts}) == 2
    assert all(a.get_kind_display() == "Hearing without an observer" for a in alerts)
