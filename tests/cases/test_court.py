"""Court proceedings (issue 21, item 3): a proceeding on any case, with or without a
detention, its hearings, the missions planned to observe them, who may see and do what, the
API, and migration 0010 (hearings of detentions attached to a proceeding)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import BenchmarkMilestone, Hearing, HearingObserver, Proceeding
from cases.services import court as services
from cases.services.detention import hearing_add
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    UserFactory,
    record_detention,
    share_case,
)
from tests.queries import get_counting

pytestmark = pytest.mark.django_db


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def case(org, officer):
    return CaseFactory(organisation=org, pseudonym="Ceiba", lead_officer=officer)


@pytest.fixture
def proceeding(case, officer):
    return services.proceeding_create(
        case=case,
        court="Juzgado penal 3 de Popayán",
        case_number="2026-00412",
        charges="Rebellion; SLAPP for defamation",
        defender_role="slapp_defendant",
        lawyer="Ana Lawyer, +57 300 000 0000",
        acting_user=officer,
    )


@pytest.fixture
def hearing(proceeding, officer):
    return services.hearing_schedule(proceeding=proceeding, date=_in(5), acting_user=officer)


@pytest.fixture
def partners(case, officer):
    full = OrganisationFactory(name="Full NGO")
    feedback = OrganisationFactory(name="Feedback mission")
    share_case(case, full, "full", acting_user=officer)
    share_case(case, feedback, "feedback", acting_user=officer)
    return {
        "full": UserFactory(organisation=full, role=Role.OFFICER),
        "feedback": UserFactory(organisation=feedback, role=Role.OFFICER),
    }


# --- services -------------------------------------------------------------------------------


def test_it_records_a_proceeding_of_a_free_defender_encrypted_and_audited(proceeding, case):
    assert proceeding.case == case and proceeding.status == "open"
    raw = (
        Proceeding.objects.unscoped()
        .filter(pk=proceeding.pk)
        .values_list("case_number", "charges", "lawyer")[0]
    )
    assert not any("2026-00412" in value or "Rebellion" in value for value in raw)
    assert Proceeding.objects.unscoped().get(pk=proceeding.pk).charges.startswith("Rebellion")
    assert AuditEvent.objects.filter(action="court.proceeding_create").count() == 1


def test_it_refuses_bad_input_naming_the_field_and_writes_nothing(case, officer):
    with pytest.raises(ValidationError) as error:
        services.proceeding_create(
            case=case, court="", defender_role="villain", status="won", acting_user=officer
        )
    assert set(error.value.message_dict) == {"court", "defender_role", "status"}
    assert not Proceeding.objects.unscoped().exists()


def test_a_viewer_and_a_partner_cannot_record_a_proceeding(case, viewer, partners):
    for user in (viewer, partners["full"]):
        with pytest.raises(PermissionDenied):
            services.proceeding_create(case=case, court="Court", acting_user=user)


def test_a_hearing_outside_detention_plans_no_benchmark_and_takes_the_court(hearing, proceeding):
    assert hearing.court == proceeding.court and hearing.detention is None
    assert hearing.proceeding == proceeding
    assert not BenchmarkMilestone.objects.unscoped().exists()


def test_a_hearing_of_a_proceeding_linked_to_a_detention_gets_its_milestone(case, officer):
    detention = record_detention(case, acting_user=officer, detained_since=_in(-10))
    proceeding = services.proceeding_create(
        case=case, court="Juzgado 3", detention=detention, acting_user=officer
    )
    detention.refresh_from_db()
    assert detention.proceeding == proceeding
    hearing = services.hearing_schedule(proceeding=proceeding, date=_in(3), acting_user=officer)
    assert hearing.detention == detention
    assert detention.milestones.get(hearing=hearing).kind == "trial_observation"
    # The milestone and the hearing link to each other's page.
    client = verified_client(officer)
    page = client.get(reverse("cases:proceeding", args=[case.pk, proceeding.pk])).content.decode()
    assert "Trial observation" in page
    assert reverse("cases:detention", args=[case.pk, detention.incident_id]) in page
    plan = client.get(reverse("cases:detention", args=[case.pk, detention.incident_id]))
    assert f"#hearing-{hearing.pk}" in plan.content.decode()
    # Before the arrest the defender was free: that hearing is the proceeding's alone.
    earlier = services.hearing_schedule(proceeding=proceeding, date=_in(-30), acting_user=officer)
    assert earlier.detention is None and not earlier.milestones.exists()


def test_a_hearing_added_on_the_detention_page_joins_the_detentions_proceeding(case, officer):
    detention = record_detention(case, acting_user=officer, detained_since=_in(-10))
    first = hearing_add(detention=detention, date=_in(1), court="Juzgado 3", acting_user=officer)
    second = hearing_add(detention=detention, date=_in(9), court="Juzgado 3", acting_user=officer)
    detention.refresh_from_db()
    assert first.proceeding == second.proceeding == detention.proceeding
    assert detention.proceeding.charges == detention.charges
    assert Proceeding.objects.unscoped().count() == 1


def test_the_owner_plans_its_own_or_a_partner_mission_never_a_stranger(
    hearing, officer, org, partners
):
    mine = services.hearing_observer_plan(
        hearing=hearing, organisation=org, observer=officer, acting_user=officer
    )
    theirs = services.hearing_observer_plan(
        hearing=hearing, organisation=partners["feedback"].organisation, acting_user=officer
    )
    assert (mine.observer, mine.status, theirs.observer) == (officer, "planned", None)
    with pytest.raises(ValidationError) as error:
        services.hearing_observer_plan(
            hearing=hearing, organisation=OrganisationFactory(), acting_user=officer
        )
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.hearing_observer_plan(
            hearing=hearing,
            organisation=org,
            observer=partners["full"],
            acting_user=officer,
        )
    assert "observer" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.hearing_observer_plan(
            hearing=hearing,
            organisation=partners["full"].organisation,
            observer=partners["full"],
            acting_user=officer,
        )
    assert "observer" in error.value.message_dict  # a partner names its own people
    # Planning again names the observer, never a second row.
    services.hearing_observer_plan(hearing=hearing, organisation=org, acting_user=officer)
    assert HearingObserver.objects.filter(hearing=hearing).count() == 2


def test_a_partner_cannot_plan_observers_through_the_owners_service(hearing, partners):
    with pytest.raises(PermissionDenied):
        services.hearing_observer_plan(
            hearing=hearing,
            organisation=partners["full"].organisation,
            acting_user=partners["full"],
        )


def test_support_plans_the_receiving_mission_without_opening_the_case(hearing, case):
    """The support app has checked the accepted request; the receiver does not see the case."""
    mission = OrganisationFactory(name="Norwegian mission")
    officer = UserFactory(organisation=mission, role=Role.OFFICER)
    row = services.hearing_observer_plan_for_support(
        hearing=hearing,
        organisation=mission,
        observer=officer,
        acting_user=officer,
        source="support:42",
    )
    assert (row.organisation, row.observer, row.status, row.source) == (
        mission,
        officer,
        "planned",
        "support:42",
    )
    assert [r.hearing for r in HearingObserver.objects.filter(organisation=mission)] == [hearing]
    client = verified_client(officer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # Only the mission's own writers, for their own organisation.
    viewer = UserFactory(organisation=mission, role=Role.VIEWER)
    for user, organisation in ((viewer, mission), (officer, OrganisationFactory())):
        with pytest.raises(PermissionDenied):
            services.hearing_observer_plan_for_support(
                hearing=hearing, organisation=organisation, acting_user=user
            )
    # ...and it records its own attendance afterwards.
    services.hearing_observer_record(observer_row=row, status="attended", acting_user=officer)
    row.refresh_from_db()
    assert row.status == "attended"
    stranger = UserFactory(organisation=OrganisationFactory(), role=Role.OFFICER)
    with pytest.raises(PermissionDenied):
        services.hearing_observer_record(observer_row=row, status="absent", acting_user=stranger)


def test_a_purge_blanks_the_proceedings_free_text(proceeding, hearing, case):
    services.proceedings_purge(case)
    proceeding.refresh_from_db()
    hearing.refresh_from_db()
    assert (proceeding.court, proceeding.case_number, proceeding.charges, proceeding.lawyer) == (
        "",
        "",
        "",
        "",
    )
    assert hearing.court == "" and proceeding.status == "open"


# --- pages ---------------------------------------------------------------------------------------


def test_an_officer_records_a_proceeding_schedules_a_hearing_and_plans_an_observer(
    officer_client, case, org, officer
):
    response = officer_client.post(
        reverse("cases:proceeding_create", args=[case.pk]),
        {
            "court": "Tribunal de Quibdó",
            "case_number": "Q-17",
            "defender_role": "witness",
            "status": "open",
        },
    )
    proceeding = Proceeding.objects.unscoped().get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:proceeding", args=[case.pk, proceeding.pk])
    response = officer_client.post(
        reverse("cases:hearing_schedule", args=[case.pk, proceeding.pk]),
        {"date": _in(4).isoformat()},
    )
    assert response.status_code == 302
    hearing = Hearing.objects.unscoped().get(proceeding=proceeding)
    response = officer_client.post(
        reverse("cases:observer_plan", args=[case.pk, hearing.pk]),
        {"organisation": org.pk, "observer": officer.pk},
    )
    assert response.status_code == 302
    row = HearingObserver.objects.get(hearing=hearing)
    page = officer_client.get(reverse("cases:proceeding", args=[case.pk, proceeding.pk]))
    body = page.content.decode()
    assert "Tribunal de Quibdó" in body and "Q-17" in body and org.name in body
    response = officer_client.post(
        reverse("cases:observer_record", args=[case.pk, row.pk]), {"status": "attended"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "attended"
    case_page = officer_client.get(
        reverse("cases:section", args=[case.pk, "incidents"])
    ).content.decode()
    assert "Court proceedings" in case_page and "Tribunal de Quibdó" in case_page


def test_bad_input_on_the_pages_is_a_400_naming_the_field(officer_client, case, proceeding):
    response = officer_client.post(
        reverse("cases:proceeding_create", args=[case.pk]), {"court": "", "status": "open"}
    )
    assert response.status_code == 400 and "court" in response.context["form"].errors
    response = officer_client.post(
        reverse("cases:hearing_schedule", args=[case.pk, proceeding.pk]), {"date": "9999-12-31"}
    )
    assert response.status_code == 400
    assert not Hearing.objects.unscoped().exists()


def test_an_admin_edits_the_proceeding(admin_client_org, case, proceeding):
    response = admin_client_org.post(
        reverse("cases:proceeding", args=[case.pk, proceeding.pk]),
        {"court": "Tribunal superior", "defender_role": "defendant", "status": "appeal"},
    )
    assert response.status_code == 302
    proceeding.refresh_from_db()
    assert (proceeding.court, proceeding.status) == ("Tribunal superior", "appeal")


def test_a_viewer_reads_but_cannot_write(viewer_client, case, proceeding, hearing):
    url = reverse("cases:proceeding", args=[case.pk, proceeding.pk])
    body = viewer_client.get(url).content.decode()
    assert proceeding.court in body and "Plan the observer" not in body
    assert viewer_client.post(url, {"court": "X", "status": "open"}).status_code == 403
    assert (
        viewer_client.post(
            reverse("cases:hearing_schedule", args=[case.pk, proceeding.pk]),
            {"date": _in(3).isoformat()},
        ).status_code
        == 403
    )


def test_a_full_partner_reads_a_feedback_partner_and_another_mission_get_404(
    case, proceeding, hearing, partners, outsider_client
):
    url = reverse("cases:proceeding", args=[case.pk, proceeding.pk])
    full = verified_client(partners["full"])
    assert full.get(url).status_code == 200
    assert full.post(url, {"court": "X", "status": "open"}).status_code == 404
    feedback = verified_client(partners["feedback"])
    for client in (feedback, outsider_client):
        assert client.get(url).status_code == 404
        assert client.post(reverse("cases:proceeding_create", args=[case.pk])).status_code == 404
    for page_url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:section", args=[case.pk, "logbook"]),
    ):
        assert proceeding.court not in feedback.get(page_url).content.decode()
    assert feedback.get(reverse("cases:section", args=[case.pk, "incidents"])).status_code == 404


# --- API -----------------------------------------------------------------------------------------


def test_the_api_records_a_proceeding_a_hearing_and_its_observer(officer_client, case, org):
    base = f"/api/v1/cases/{case.pk}"
    response = officer_client.post(
        f"{base}/proceedings/",
        {"court": "Juzgado 5", "defender_role": "slapp_defendant"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["defender_role"] == "slapp_defendant" and body["hearings"] == []
    response = officer_client.post(
        f"{base}/proceedings/{body['id']}/hearings/",
        {"date": _in(6).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201
    hearing = response.json()
    assert (hearing["court"], hearing["detention"], hearing["observers"]) == (
        "Juzgado 5",
        None,
        [],
    )
    response = officer_client.post(
        f"{base}/hearings/{hearing['id']}/observers/",
        {"organisation": str(org.pk)},
        content_type="application/json",
    )
    assert response.status_code == 201
    row = response.json()
    assert row["observer"] is None and row["status"] == "planned"
    response = officer_client.patch(
        f"{base}/hearings/{hearing['id']}/observers/{row['id']}/",
        {"status": "absent"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "absent"
    response = officer_client.patch(
        f"{base}/proceedings/{body['id']}/",
        {"status": "dismissed"},
        content_type="application/json",
    )
    assert response.json()["status"] == "dismissed"
    response = officer_client.post(
        f"{base}/proceedings/", {"court": "", "status": "won"}, content_type="application/json"
    )
    assert response.status_code == 400 and {"court", "status"} <= set(response.json())


def test_the_observer_api_is_no_oracle_of_other_organisations(
    officer_client, case, org, officer, hearing, partners
):
    """The organisation is checked first, one message for any id that is not the owner's or
    a partner's (known or not); an observer is named only among the acting organisation's own
    members: the answers tell nothing of who works where."""
    import uuid

    url = f"/api/v1/cases/{case.pk}/hearings/{hearing.pk}/observers/"
    stranger = OrganisationFactory(name="Stranger NGO")
    stranger_member = UserFactory(organisation=stranger, role=Role.OFFICER)

    def post(**data):
        data = {key: str(value) for key, value in data.items()}
        return officer_client.post(url, data, content_type="application/json")

    answers = [
        post(organisation=uuid.uuid4()),
        post(organisation=stranger.pk),
        post(organisation=stranger.pk, observer=stranger_member.pk),
        post(organisation=stranger.pk, observer=uuid.uuid4()),
    ]
    assert {response.status_code for response in answers} == {400}
    assert len({str(response.json()) for response in answers}) == 1
    assert set(answers[0].json()) == {"organisation"}
    # A partner's staff is never the owner's to name, member or not.
    full = partners["full"]
    answers = [
        post(organisation=full.organisation_id, observer=full.pk),
        post(organisation=full.organisation_id, observer=uuid.uuid4()),
        post(organisation=full.organisation_id, observer=officer.pk),
    ]
    assert {response.status_code for response in answers} == {400}
    assert len({str(response.json()) for response in answers}) == 1
    assert "own organisation" in str(answers[0].json()["observer"])
    assert not HearingObserver.objects.filter(hearing=hearing).exists()
    # The owner names its own member, as on the page.
    response = post(organisation=org.pk, observer=officer.pk)
    assert response.status_code == 201 and response.json()["observer"] is not None


def test_the_api_lists_hearings_at_a_fixed_query_count(officer_client, case, officer, org):
    url = f"/api/v1/cases/{case.pk}/proceedings/"
    proceeding = services.proceeding_create(case=case, court="Juzgado", acting_user=officer)
    hearing = services.hearing_schedule(proceeding=proceeding, date=_in(2), acting_user=officer)
    services.hearing_observer_plan(hearing=hearing, organisation=org, acting_user=officer)
    few = get_counting(officer_client, url, max_queries=30, contains="Juzgado")
    for days in (3, 4, 5):
        more = services.hearing_schedule(proceeding=proceeding, date=_in(days), acting_user=officer)
        services.hearing_observer_plan(
            hearing=more, organisation=org, observer=officer, acting_user=officer
        )
    services.proceeding_create(case=case, court="Juzgado 2", acting_user=officer)
    get_counting(officer_client, url, queries=len(few.queries), contains="Juzgado 2")
    hearings = officer_client.get(f"/api/v1/cases/{case.pk}/hearings/").json()
    assert [h["date"] for h in hearings["results"]] == [_in(d).isoformat() for d in (2, 3, 4, 5)]


def test_the_api_answers_404_to_a_feedback_partner_and_403_to_a_viewer(
    case, proceeding, hearing, partners, viewer_client
):
    base = f"/api/v1/cases/{case.pk}"
    feedback = verified_client(partners["feedback"])
    assert feedback.get(f"{base}/proceedings/").status_code == 404
    assert feedback.get(f"{base}/hearings/{hearing.pk}/").status_code == 404
    assert viewer_client.get(f"{base}/proceedings/{proceeding.pk}/").status_code == 200
    response = viewer_client.post(
        f"{base}/hearings/{hearing.pk}/observers/",
        {"organisation": str(case.organisation_id)},
        content_type="application/json",
    )
    assert response.status_code == 403


# --- migration 0010 ------------------------------------------------------------------------------


def test_migration_0010_gives_each_detention_with_hearings_a_proceeding(case, officer):
    detention = record_detention(case, acting_user=officer, detained_since=_in(-20))
    quiet = record_detention(CaseFactory(organisation=case.organisation), acting_user=officer)
    for days, court in ((-5, "Juzgado 1"), (4, "Juzgado 2")):
        Hearing.objects.create(
            organisation=case.organisation,
            detention=detention,
            date=_in(days),
            court=court,
            recorded_by=officer,
        )
    migration = importlib.import_module("cases.migrations.0010_court_proceedings")
    state = MigrationLoader(connection).project_state(("cases", "0010_court_proceedings"))
    migration.forwards(state.apps, None)
    migration.forwards(state.apps, None)  # twice: nothing doubles

    proceeding = Proceeding.objects.unscoped().get()
    detention.refresh_from_db()
    quiet.refresh_from_db()
    assert detention.proceeding == proceeding and quiet.proceeding is None
    assert (proceeding.case, proceeding.court, proceeding.status) == (case, "Juzgado 1", "open")
    assert proceeding.charges == detention.charges and proceeding.lawyer == detention.lawyer
    assert set(detention.hearings.values_list("proceeding_id", flat=True)) == {proceeding.pk}
    # The old detention page and its hearing form keep working.
    client = verified_client(officer)
    url = reverse("cases:detention", args=[case.pk, detention.incident_id])
    assert "Juzgado 2" in client.get(url).content.decode()
    later = hearing_add(detention=detention, date=_in(9), court="Juzgado 2", acting_user=officer)
    assert later.proceeding == proceeding


def test_the_demo_gives_yarumo_a_proceeding_with_a_hearing_in_five_days_once():
    from accounts import demo as accounts_demo
    from cases import demo as cases_demo

    accounts_demo.seed()
    cases_demo.seed()
    cases_demo.seed()
    [proceeding] = Proceeding.objects.unscoped().select_related("case")
    assert proceeding.case.pseudonym == "Yarumo"
    assert [h.date for h in proceeding.hearings.all()] == [_in(5)]


def test_the_hearings_api_filters_by_proceeding_and_names_a_bad_one(officer_client, case, officer):
    """Schemathesis found a 500: the filter looked the proceeding up through its fail-closed
    manager. An id filters the case's hearings; any other id lists nothing; a non-id is 400."""
    first = services.proceeding_create(case=case, court="Juzgado 1", acting_user=officer)
    second = services.proceeding_create(case=case, court="Juzgado 2", acting_user=officer)
    services.hearing_schedule(proceeding=first, date=_in(2), acting_user=officer)
    services.hearing_schedule(proceeding=second, date=_in(3), acting_user=officer)
    url = f"/api/v1/cases/{case.pk}/hearings/"
    only = officer_client.get(url, {"proceeding": str(second.pk)}).json()["results"]
    assert [h["date"] for h in only] == [_in(3).isoformat()]
    other = officer_client.get(url, {"proceeding": "e3e70682-c209-1cac-a29f-6fbed82c07cd"})
    assert other.status_code == 200 and other.json()["results"] == []
    bad = officer_client.get(url, {"proceeding": "not-an-id"})
    assert bad.status_code == 400 and "proceeding" in bad.json()
