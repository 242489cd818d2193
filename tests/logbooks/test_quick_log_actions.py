"""One way to record a démarche or an observation (issue 21, item 4): the quick log's
diplomatic kinds record the diplomatic action too (seen by partners and invited missions), a
trial observation carries the hearing, attendance, outcome and next date, and migration 0007
links old shared quick-log entries to an action."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import HearingObserver
from cases.services.court import hearing_schedule, proceeding_create
from logbooks.models import DiplomaticAction, LogEntry
from logbooks.services.actions import Observation, action_invite
from logbooks.services.entries import quick_log_record
from tests.conftest import verified_client
from tests.factories import NetworkFactory, OrganisationFactory, UserFactory
from tests.logbooks.factories import followed_case, log

pytestmark = pytest.mark.django_db


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def hearing(case, officer):
    proceeding = proceeding_create(case=case, court="Juzgado 4", acting_user=officer)
    return hearing_schedule(proceeding=proceeding, date=_in(0), acting_user=officer)


def _quick(client, case, **data):
    return client.post(
        reverse("logbooks:quick_log", args=[case.pk]),
        {"visibility": "shared", "summary": "Raised it with the ministry.", **data},
    )


def test_a_quick_log_demarche_records_the_action_an_invited_mission_sees(
    officer_client, officer, case, org
):
    response = _quick(officer_client, case, kind="demarche", authority="Ministry of Justice")
    assert response.status_code == 302
    entry = LogEntry.objects.visible_to(officer).get()
    action = DiplomaticAction.objects.visible_to(officer).get()
    assert (action.type, action.authority, action.status, action.entry_id) == (
        "demarche",
        "Ministry of Justice",
        "done",
        entry.pk,
    )
    assert action.outcome_shared and action.outcome == entry.summary
    invited = OrganisationFactory(name="Invited mission")
    NetworkFactory().members.add(org, invited)
    action_invite(action=action, organisation=invited, acting_user=officer)
    invitee = verified_client(UserFactory(organisation=invited, role=Role.OFFICER))
    body = invitee.get(reverse("logbooks:action_detail", args=[action.pk])).content.decode()
    assert "Ministry of Justice" in body and case.pseudonym not in body
    assert [row["id"] for row in invitee.get("/api/v1/actions/").json()["results"]] == [
        str(action.pk)
    ]


def test_a_partners_quick_log_demarche_shows_in_who_already_raised_it():
    followed = followed_case()
    client = verified_client(followed.feedback)
    response = _quick(client, followed.case, kind="demarche", authority="Governor's office")
    assert response.status_code == 302
    owner = verified_client(followed.owner)
    actions = owner.get(f"/api/v1/cases/{followed.case.pk}/actions/").json()["results"]
    assert [(a["organisation"], a["authority"]) for a in actions] == [
        ("Feedback mission", "Governor's office")
    ]
    assert actions[0]["outcome"] == "Raised it with the ministry."  # shared with the entry


def test_an_internal_quick_log_visit_stays_an_entry_no_follower_sees(case, officer):
    """An internal entry is the author's alone: recorded as an action it would show every
    follower (and invited missions) the mission, the prison and the day of the visit."""
    followed = followed_case()
    for kind in ("prison_visit", "demarche", "trial_observation"):
        quick_log_record(
            case=followed.case,
            kind=kind,
            summary="INTERNAL notes",
            visibility="internal",
            authority="La Picota prison",
            acting_user=followed.full,
        )
    assert not DiplomaticAction.objects.unscoped().exists()
    owner = verified_client(followed.owner)
    assert owner.get(f"/api/v1/cases/{followed.case.pk}/actions/").json()["results"] == []
    page = owner.get(reverse("logbooks:case_actions", args=[followed.case.pk])).content.decode()
    assert "La Picota" not in page
    # The quick log (internal by default): an internal démarche logged there records none.
    client = verified_client(followed.full)
    response = client.post(
        reverse("logbooks:quick_log", args=[followed.case.pk]),
        {
            "kind": "demarche",
            "visibility": "internal",
            "summary": "x",
            "authority": "Ministry of Justice",
        },
    )
    assert response.status_code == 302
    assert not DiplomaticAction.objects.unscoped().exists()


def test_the_owners_internal_trial_observation_records_its_observer_only(
    officer, case, org, hearing
):
    entry = quick_log_record(
        case=case,
        kind="trial_observation",
        summary="INTERNAL: the judge adjourned.",
        visibility="internal",
        observation=Observation(
            hearing=hearing, attended=True, hearing_outcome="adjourned", next_hearing_on=_in(30)
        ),
        acting_user=officer,
    )
    assert not DiplomaticAction.objects.unscoped().exists()
    row = HearingObserver.objects.get(hearing=hearing)
    assert (row.organisation, row.status, row.observer, row.source) == (
        org,
        "attended",
        officer,
        f"entry:{entry.pk}",
    )
    dates = list(hearing.proceeding.hearings.values_list("date", flat=True))
    assert dates == [_in(0), _in(30)]  # the owner's own next hearing


def test_a_partners_internal_trial_observation_names_no_hearing(case, officer):
    followed = followed_case()
    proceeding = proceeding_create(
        case=followed.case, court="Juzgado 1", acting_user=followed.owner
    )
    observed = hearing_schedule(proceeding=proceeding, date=_in(0), acting_user=followed.owner)
    before = LogEntry.objects.unscoped().count()
    with pytest.raises(ValidationError) as error:
        quick_log_record(
            case=followed.case,
            kind="trial_observation",
            summary="x",
            visibility="internal",
            observation=Observation(hearing=observed, attended=True),
            acting_user=followed.full,
        )
    assert "hearing" in error.value.message_dict
    assert LogEntry.objects.unscoped().count() == before  # one transaction
    assert not HearingObserver.objects.exists()


def test_the_hearing_outcome_and_next_date_follow_the_outcome_rule(case, officer):
    """What the hearing came to is part of the outcome: a viewer who may not read an
    unshared outcome reads neither (page and API)."""
    from logbooks.services.actions import action_create

    followed = followed_case()
    proceeding = proceeding_create(
        case=followed.case, court="Juzgado 1", acting_user=followed.owner
    )
    observed = hearing_schedule(proceeding=proceeding, date=_in(0), acting_user=followed.owner)
    action = action_create(
        case=followed.case,
        type="trial_observation",
        authority="Juzgado 1",
        taken_on=_in(0),
        status="done",
        outcome="Convicted; appeal next.",
        outcome_shared=False,
        observation=Observation(
            hearing=observed, attended=True, hearing_outcome="convicted", next_hearing_on=_in(40)
        ),
        acting_user=followed.full,
    )
    owner = verified_client(followed.owner)
    row = owner.get(f"/api/v1/actions/{action.pk}/").json()
    assert (row["outcome"], row["hearing_outcome"], row["next_hearing_on"]) == (None, "", None)
    listed = owner.get(f"/api/v1/cases/{followed.case.pk}/actions/").json()["results"][0]
    assert (listed["hearing_outcome"], listed["next_hearing_on"]) == ("", None)
    page = owner.get(reverse("logbooks:action_detail", args=[action.pk])).content.decode()
    assert "Convicted" not in page and "Next hearing" not in page
    own = verified_client(followed.full).get(f"/api/v1/actions/{action.pk}/").json()
    assert (own["hearing_outcome"], own["next_hearing_on"]) == ("convicted", _in(40).isoformat())


def test_a_note_stays_an_entry_and_quiet_diplomacy_too(case, officer):
    for kind in ("note", "quiet_diplomacy", "public_statement"):
        quick_log_record(case=case, kind=kind, summary="x", authority="Y", acting_user=officer)
    assert not DiplomaticAction.objects.visible_to(officer).exists()


def test_a_trial_observation_records_the_hearing_its_outcome_and_the_next_hearing(
    officer_client, officer, case, org, hearing
):
    response = _quick(
        officer_client,
        case,
        kind="trial_observation",
        summary="The judge adjourned; the prosecution asked for more time.",
        hearing=hearing.pk,
        attended="true",
        hearing_outcome="adjourned",
        next_hearing_on=_in(30).isoformat(),
    )
    assert response.status_code == 302, response.content
    action = DiplomaticAction.objects.visible_to(officer).get()
    assert (action.hearing, action.attended, action.hearing_outcome) == (hearing, True, "adjourned")
    # Never the court when no authority is given: every follower reads the authority.
    assert action.authority == "Court (hearing)"
    row = HearingObserver.objects.get(hearing=hearing)
    assert (row.organisation, row.status, row.observer) == (org, "attended", officer)
    dates = list(hearing.proceeding.hearings.values_list("date", flat=True))
    assert dates == [_in(0), _in(30)]  # the next hearing, on the same proceeding


def test_a_partners_next_hearing_date_stays_on_its_action(case, officer):
    followed = followed_case()
    proceeding = proceeding_create(
        case=followed.case, court="Juzgado 1", acting_user=followed.owner
    )
    observed = hearing_schedule(proceeding=proceeding, date=_in(0), acting_user=followed.owner)
    quick_log_record(
        case=followed.case,
        kind="trial_observation",
        summary="Observed from the public gallery.",
        visibility="shared",
        observation=Observation(hearing=observed, attended=True, next_hearing_on=_in(20)),
        acting_user=followed.full,
    )
    action = DiplomaticAction.objects.visible_to(followed.owner).get()
    assert action.next_hearing_on == _in(20) and proceeding.hearings.count() == 1
    assert HearingObserver.objects.get(hearing=observed).organisation == followed.full.organisation


def test_a_feedback_partner_cannot_name_a_hearing_and_nothing_is_written(case, officer):
    followed = followed_case()
    proceeding = proceeding_create(
        case=followed.case, court="Juzgado 1", acting_user=followed.owner
    )
    observed = hearing_schedule(proceeding=proceeding, date=_in(0), acting_user=followed.owner)
    before = LogEntry.objects.unscoped().count()
    with pytest.raises(ValidationError) as error:
        quick_log_record(
            case=followed.case,
            kind="trial_observation",
            summary="x",
            visibility="shared",
            observation=Observation(hearing=observed),
            acting_user=followed.feedback,
        )
    assert "hearing" in error.value.message_dict
    assert LogEntry.objects.unscoped().count() == before  # one transaction
    # ...and the quick log does not offer it the hearings (the full file's).
    page = verified_client(followed.feedback).get(reverse("cases:detail", args=[followed.case.pk]))
    assert "Juzgado 1" not in page.content.decode()


def test_bad_observation_fields_answer_400_naming_them(officer_client, case, hearing):
    response = _quick(
        officer_client,
        case,
        kind="note",
        hearing=hearing.pk,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in (200, 400)
    assert not LogEntry.objects.unscoped().exists()
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/actions/",
        {
            "type": "trial_observation",
            "authority": "Juzgado 4",
            "taken_on": _in(0).isoformat(),
            "status": "done",
            "hearing": str(hearing.pk),
            "next_hearing_on": _in(-3).isoformat(),
            "hearing_outcome": "won",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "hearing_outcome" in response.json()
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/actions/",
        {
            "type": "demarche",
            "authority": "Ministry",
            "taken_on": _in(0).isoformat(),
            "hearing": str(hearing.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "hearing" in response.json()
    assert not DiplomaticAction.objects.unscoped().exists()


def test_the_api_records_a_planned_observation_which_plans_the_observer(
    officer_client, case, org, hearing
):
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/actions/",
        {
            "type": "trial_observation",
            "authority": "",
            "taken_on": _in(0).isoformat(),
            "status": "planned",
            "hearing": str(hearing.pk),
        },
        content_type="application/json",
    )
    # The API asks for an authority (only the quick log may leave it empty).
    assert response.status_code == 400 and "authority" in response.json()
    response = officer_client.post(
        f"/api/v1/cases/{case.pk}/actions/",
        {
            "type": "trial_observation",
            "authority": "Juzgado 4",
            "taken_on": _in(0).isoformat(),
            "status": "planned",
            "hearing": str(hearing.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["hearing"] == str(hearing.pk) and body["attended"] is None
    assert body["next_hearing_on"] is None and body["entry"] is None
    assert HearingObserver.objects.get(hearing=hearing).status == "planned"


def test_migration_0007_data_links_old_shared_quick_log_entries_to_an_action(case, officer):
    shared = log(case, officer, "shared", kind="demarche", summary="Raised with the governor.")
    log(case, officer, "internal", kind="demarche", summary="Kept internal.")
    log(case, officer, "shared", kind="note", summary="A note.")
    visit = log(case, officer, "shared", kind="prison_visit", summary="Visited.")
    DiplomaticAction.objects.unscoped().all().delete()  # the entries predate the quick log's

    migration = importlib.import_module("logbooks.migrations.0007_quick_log_actions_data")
    state = MigrationLoader(connection).project_state(("logbooks", "0007_quick_log_actions_data"))
    migration.forwards(state.apps, None)
    migration.forwards(state.apps, None)  # twice: nothing doubles

    actions = {a.entry_id: a for a in DiplomaticAction.objects.visible_to(officer)}
    assert set(actions) == {shared.pk, visit.pk}
    demarche = actions[shared.pk]
    assert (demarche.type, demarche.status, demarche.taken_on) == (
        "demarche",
        "done",
        timezone.localdate(shared.occurred_at),
    )
    assert demarche.outcome == "Raised with the governor." and demarche.outcome_shared
    assert demarche.authority == "(not recorded)"
    page = verified_client(officer).get(reverse("logbooks:action_detail", args=[demarche.pk]))
    assert page.status_code == 200


def test_a_full_partner_plans_its_observation_on_the_action_form(case, officer):
    followed = followed_case()
    proceeding = proceeding_create(
        case=followed.case, court="Juzgado 7", acting_user=followed.owner
    )
    observed = hearing_schedule(proceeding=proceeding, date=_in(5), acting_user=followed.owner)
    client = verified_client(followed.full)
    url = reverse("logbooks:action_create", args=[followed.case.pk])
    assert "Juzgado 7" in client.get(url).content.decode()  # the hearing is offered
    response = client.post(
        url,
        {
            "type": "trial_observation",
            "authority": "Juzgado 7",
            "taken_on": _in(5).isoformat(),
            "status": "planned",
            "hearing": observed.pk,
        },
    )
    assert response.status_code == 302, response.content
    row = HearingObserver.objects.get(hearing=observed)
    assert (row.organisation, row.status, row.observer) == (
        followed.full.organisation,
        "planned",
        followed.full,
    )
    # The owner's proceeding page shows the partner's planned observer.
    page = verified_client(followed.owner).get(
        reverse("cases:proceeding", args=[followed.case.pk, proceeding.pk])
    )
    assert "Full NGO" in page.content.decode()
    # A feedback partner is offered no hearing on the same form.
    feedback_form = verified_client(followed.feedback).get(url).content.decode()
    assert "Juzgado 7" not in feedback_form


def test_a_planned_observation_marked_done_records_the_observer_attended(case, officer, hearing):
    from logbooks.services.actions import action_create, action_transition

    action = action_create(
        case=case,
        type="trial_observation",
        authority="Juzgado 4",
        taken_on=hearing.date,
        observation=Observation(hearing=hearing),
        acting_user=officer,
    )
    assert HearingObserver.objects.get(hearing=hearing).status == "planned"
    action_transition(action=action, to="done", outcome="Adjourned.", acting_user=officer)
    action.refresh_from_db()
    assert action.attended is True
    assert HearingObserver.objects.get(hearing=hearing).status == "attended"


def test_a_feedback_partner_reads_neither_the_court_nor_the_hearing_of_an_observation(
    case, officer
):
    """The court and the hearing's date are the full file's (docs/court.md): the action a
    full partner records names neither to a feedback partner (page, API, authority)."""
    followed = followed_case()
    proceeding = proceeding_create(
        case=followed.case, court="Juzgado Penal 9", acting_user=followed.owner
    )
    observed = hearing_schedule(
        proceeding=proceeding, date=datetime.date(2026, 1, 7), acting_user=followed.owner
    )
    entry = quick_log_record(
        case=followed.case,
        kind="trial_observation",
        summary="Observed.",
        visibility="shared",
        occurred_at=timezone.make_aware(datetime.datetime(2026, 1, 7, 10)),
        observation=Observation(
            hearing=observed, attended=True, hearing_outcome="adjourned", next_hearing_on=_in(20)
        ),
        acting_user=followed.full,
    )
    action = DiplomaticAction.objects.unscoped().get(entry=entry)
    assert "Juzgado" not in action.authority
    feedback = verified_client(followed.feedback)
    page = feedback.get(reverse("logbooks:action_detail", args=[action.pk])).content.decode()
    assert "Juzgado" not in page and "Hearing observed" not in page
    assert "Next hearing" not in page
    row = feedback.get(f"/api/v1/actions/{action.pk}/").json()
    assert (row["hearing"], row["next_hearing_on"]) == (None, None)
    listed = feedback.get(f"/api/v1/cases/{followed.case.pk}/actions/").json()["results"][0]
    assert (listed["hearing"], listed["next_hearing_on"]) == (None, None)
    assert listed["hearing_outcome"] == "adjourned"  # the shared outcome, not a date or court
    # The owner sees the full file: the hearing, its court and the next date.
    owner = verified_client(followed.owner)
    page = owner.get(reverse("logbooks:action_detail", args=[action.pk])).content.decode()
    assert "Juzgado Penal 9" in page and "Next hearing" in page
    row = owner.get(f"/api/v1/cases/{followed.case.pk}/actions/").json()["results"][0]
    assert (row["hearing"], row["next_hearing_on"]) == (str(observed.pk), _in(20).isoformat())
