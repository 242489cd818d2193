"""Home: the user's work queue. Every source for every persona, nothing the user could not
open (each link followed as that user answers 200), overdue tasks never dropped, a fixed
number of queries, and what to do first when nothing waits."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from accounts.testing import verified_client
from alerts.services.alerts import alert_acknowledge
from cases.models import Task
from cases.services.task import task_cancel, task_complete, task_create
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory, UserFactory
from tests.queries import get_counting
from tests.work.conftest import LEGAL_NAME, days, overdue
from work.selectors.home import LIMIT, Bucket

pytestmark = pytest.mark.django_db


def home(user):
    client = verified_client(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return client, response


def queue_items(response) -> list:
    return [item for _bucket, _title, items in response.context["queue"].buckets for item in items]


def sources(response) -> dict[str, list]:
    found: dict[str, list] = {}
    for item in queue_items(response):
        found.setdefault(item.source, []).append(item)
    return found


def links(response) -> set[str]:
    """Every link of the page's content (the menu, the header and the footer left out)."""
    body = response.content.decode()
    main = body[body.index('<main id="main"') : body.index("</main>")]
    return {
        href.replace("&amp;", "&")
        for href in re.findall(r'href="([^"#]+)"', main)
        if href.startswith("/")
    }


def assert_every_link_opens(client, response) -> None:
    found = links(response)
    for href in sorted(found):
        status = client.get(href).status_code
        assert status == 200, f"{href} answered {status}"


# --- every persona: what it sees, and that it may open all of it -----------------------------


PERSONAS = ["officer", "viewer", "admin", "ngo_officer", "city_staff", "coordinator"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_on_home_opens_for_the_user(world, persona):
    client, response = home(getattr(world, persona))
    assert links(response), "Home shows something for every persona of the world"
    assert_every_link_opens(client, response)
    assert LEGAL_NAME not in response.content.decode()


def test_the_officer_sees_every_source_of_the_mission(world):
    _client, response = home(world.officer)
    found = sources(response)
    assert set(found) == {
        "alerts",
        "tasks",
        "milestones",
        "hearings",
        "reviews",
        "visas",
        "requests",
        "grants",
        "invitations",
        "coordination",
        "shares",
    }
    assert {item.title for item in found["tasks"]} == {
        "Call the lawyer back",
        "Renew the accompaniment roster",
    }
    assert [item.title for item in found["visas"]] == ["Humanitarian — Guadua"]
    assert [item.title for item in found["requests"]] == ["AAA-2026-0002 Yarumo"]
    assert [item.title for item in found["shares"]] == [
        f"{world.objects['share'].case.reference} Roble"
    ]
    assert [item.title for item in found["invitations"]] == ["Trial observation — Tribunal of Cali"]
    # The partner's shared entry, unread
    updates = response.context["queue"].updates
    assert [u.url for u in updates] == [
        reverse("logbooks:entry_detail", args=[world.objects["entry"].pk])
    ]
    body = response.content.decode()
    assert ">Acknowledge</button>" in body and "Plan an observation" in body and "Assess" in body


def test_the_queue_is_ordered_by_urgency_then_due_day(world):
    _client, response = home(world.officer)
    buckets = [bucket for bucket, _title, _items in response.context["queue"].buckets]
    assert buckets == sorted(buckets)
    assert buckets[0] == Bucket.URGENT
    first = response.context["queue"].buckets[0][2]
    assert {item.source for item in first} == {"alerts"}
    overdue_items = dict((b, items) for b, _t, items in response.context["queue"].buckets)[
        Bucket.OVERDUE
    ]
    assert "Call the lawyer back" in [item.title for item in overdue_items]
    for _bucket, _title, items in response.context["queue"].buckets:
        dues = [item.due for item in items if item.due]
        assert dues == sorted(dues)


def test_an_acknowledged_alert_leaves_the_queue_for_alerts_in_hand(world):
    acknowledged = alert_acknowledge(alert=world.objects["alert"], acting_user=world.officer)
    client, response = home(world.officer)
    # the detention recorded joined the open "Detained" alert (one open alert per case and
    # cause, alerts.causes): acknowledged, nothing is left to acknowledge
    alerts = sources(response).get("alerts", [])
    url = reverse("alerts:detail", args=[acknowledged.pk])
    assert url not in [item.url for item in alerts]
    assert all(item.urgent and item.action is not None for item in alerts)
    assert [item.url for item in response.context["queue"].in_hand] == [url]
    body = response.content.decode()
    assert "Alerts in hand" in body and url in body
    assert client.get(url).status_code == 200


def test_the_viewer_sees_alerts_without_the_acknowledge_button(world):
    _client, response = home(world.viewer)
    assert sources(response)["alerts"]
    assert all(item.action is None for item in queue_items(response))
    assert ">Acknowledge</button>" not in response.content.decode()


def test_the_officer_s_journey_alert_acknowledged_and_task_done_leave_the_queue(org, officer):
    """An officer signs in, sees an overdue task and an alert on Home, acknowledges the
    alert, marks the task done, and both leave the queue."""
    from alerts.services.alerts import alert_raise

    case = CaseFactory(organisation=org, lead_officer=officer, pseudonym="Ceiba")
    alert = alert_raise(case=case, kind="missing", message="No news.", acting_user=officer)
    task = overdue(
        task_create(case=case, title="Visit the family", due_on=days(0), acting_user=officer), 9
    )
    client, response = home(officer)
    body = response.content.decode()
    assert "Urgent alerts" in body and "Overdue" in body and "Visit the family" in body
    [alert_item] = sources(response)["alerts"]
    [task_item] = sources(response)["tasks"]
    assert client.post(alert_item.action.url).status_code == 302
    done = client.post(task_item.action.url, {"next": task_item.action.back})
    assert done["Location"] == reverse("home")
    _client, response = home(officer)
    assert not response.context["queue"].buckets
    assert [item.url for item in response.context["queue"].in_hand] == [
        reverse("alerts:detail", args=[alert.pk])
    ]
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_each_user_sees_their_tasks_then_the_unassigned_ones(world):
    _client, response = home(world.admin)
    assert [item.title for item in sources(response)["tasks"]] == [
        "Renew the accompaniment roster",  # unassigned, due today
        "Brief the ambassador",  # the admin's own, due tomorrow
    ]
    # A viewer cannot take unassigned tasks: none of them; no task is the viewer's.
    _client, response = home(world.viewer)
    assert "tasks" not in sources(response)
    # A task due after this week waits for its week.
    _client, response = home(world.officer)
    assert "Prepare the annual report" not in response.content.decode()


def test_an_overdue_task_stays_until_done(world):
    task = world.tasks["mine_overdue"]
    overdue(task, 400)  # more than a year: never dropped
    client, response = home(world.officer)
    item = next(i for i in sources(response)["tasks"] if i.title == "Call the lawyer back")
    assert item.bucket == Bucket.OVERDUE and item.overdue
    assert "overdue" in response.content.decode()
    # One click: the Done button posts to the task's step and comes back to Home.
    done = client.post(item.action.url, {"next": item.action.back})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    _client, response = home(world.officer)
    assert "Call the lawyer back" not in [i.title for i in queue_items(response)]


def test_an_overdue_task_stays_beyond_the_limit_of_a_source(org, officer):
    for n in range(LIMIT + 3):
        task_create(title=f"Future task {n}", due_on=days(3), acting_user=officer)
    old = overdue(task_create(title="Forgotten visit", due_on=days(0), acting_user=officer), 90)
    _client, response = home(officer)
    tasks = sources(response)["tasks"]
    assert len(tasks) == LIMIT and tasks[0].title == "Forgotten visit"
    assert response.context["queue"].more  # "there are more" with a link to the task list
    assert reverse("cases:tasks") in response.content.decode()
    task_complete(task=old, acting_user=officer)
    _client, response = home(officer)
    assert "Forgotten visit" not in response.content.decode()


def test_a_cancelled_or_snoozed_task_leaves_the_queue(org, officer):
    task = task_create(title="Snooze me", due_on=days(0), acting_user=officer)
    # unscoped: test set-up of a snooze and of a cancelled task.
    Task.objects.unscoped().filter(pk=task.pk).update(snoozed_until=days(3))
    cancelled = task_create(title="Cancel me", due_on=days(0), acting_user=officer)
    task_cancel(task=cancelled, acting_user=officer)
    _client, response = home(officer)
    body = response.content.decode()
    assert "Snooze me" not in body and "Cancel me" not in body


def test_the_ngo_partner_sees_its_shares_to_accept_and_the_mission_s_update(world):
    _client, response = home(world.ngo_officer)
    assert set(sources(response)) == {"shares"}
    assert {item.title for item in sources(response)["shares"]} == {
        "AAA-2026-0001 Ceiba",
        "AAA-2026-0002 Yarumo",
    }
    updates = response.context["queue"].updates
    assert [u.url for u in updates] == [
        reverse("logbooks:entry_detail", args=[world.objects["mission_entry"].pk])
    ]
    # Nothing of the mission's own work: its alerts, tasks, reviews, decisions.
    body = response.content.decode()
    for text in ["Call the lawyer back", "Renew the accompaniment roster", "Guadua", "Cedro"]:
        assert text not in body


def test_city_staff_see_the_stays_to_answer(world):
    _client, response = home(world.city_staff)
    assert set(sources(response)) == {"stays"}
    [item] = sources(response)["stays"]
    assert item.url == reverse("relocation:shelter_detail", args=[world.objects["stay"].pk])
    # Due by the city's answer deadline (issue 20), not the arrival.
    assert item.due == timezone.localdate(world.objects["stay"].due_at)


def test_the_coordinator_sees_the_networks_and_counts_never_rows(world):
    _client, response = home(world.coordinator)
    networks = response.context["queue"].networks
    assert [row.network.name for row in networks] == ["Andes network"]
    body = response.content.decode()
    assert reverse("dashboards:network", args=[networks[0].network.pk]) in body
    # One request waits for a member's review: under 5, the count is hidden.
    assert networks[0].waiting.shown != "1"
    assert "Yarumo" not in body and "AAA-2026-0002" not in body


def test_nothing_of_the_world_reaches_another_organisation(world):
    _client, response = home(world.outsider)
    queue = response.context["queue"]
    assert not queue.buckets and not queue.updates and not queue.networks
    body = response.content.decode()
    for text in ["Ceiba", "Guadua", "Yarumo", "Roble", "Cedro", "Nogal", "Tribunal of Cali"]:
        assert text not in body
    assert "Nothing needs you now" in body


def test_a_member_of_a_deactivated_organisation_has_an_empty_queue(world):
    Organisation.objects.filter(pk=world.org.pk).update(is_active=False)
    world.officer.refresh_from_db()
    from work.selectors.home import work_queue

    queue = work_queue(world.officer)
    assert not queue.buckets and not queue.updates


# --- the empty state, per persona ------------------------------------------------------------


def test_an_empty_home_says_what_to_do_first(org, officer, viewer, admin_user):
    _client, response = home(officer)
    body = response.content.decode()
    assert "Nothing needs you now" in body
    assert reverse("cases:create") in body and "Register a defender" in body
    assert "invitation to a protection network" in body
    _client, response = home(admin_user)
    body = response.content.decode()
    assert reverse("accounts:users") in body.split("Nothing needs you now")[1]
    _client, response = home(viewer)
    body = response.content.decode()
    assert "Register a defender" not in body and reverse("cases:list") in body


def test_an_empty_home_for_the_city_and_the_coordinator(db):
    city = OrganisationFactory(kind=Organisation.Kind.SHELTER_CITY)
    _client, response = home(UserFactory(organisation=city, role=Role.OFFICER))
    body = response.content.decode()
    assert reverse("relocation:city_inbox") in body and "Register a defender" not in body
    secretariat = OrganisationFactory()
    _client, response = home(UserFactory(organisation=secretariat, role=Role.COORDINATOR))
    body = response.content.decode()
    assert "belongs to no protection network yet" in body


def test_platform_staff_see_no_queue(db):
    staff = UserFactory(organisation=None, is_staff=True, is_superuser=True)
    _client, response = home(staff)
    assert "platform staff" in response.content.decode()
    assert not response.context["queue"].buckets


def test_home_asks_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# --- a fixed number of queries ---------------------------------------------------------------


def _more_of_everything(world, n: int) -> None:
    """``n`` more rows for several sources of the officer's queue."""
    for i in range(n):
        case = CaseFactory(organisation=world.org, lead_officer=world.officer)
        task_create(
            case=case,
            title=f"Extra {i}",
            due_on=days(1),
            assignee=world.officer,
            acting_user=world.officer,
        )
        from alerts.services.alerts import alert_raise

        alert_raise(case=case, kind="missing", message="No news.", acting_user=world.officer)
        from tests.factories import share_case

        share_case(
            CaseFactory(organisation=world.other_mission),
            world.org,
            "full",
            acting_user=world.other_officer,
        )


def test_home_costs_the_same_queries_with_many_items(world):
    client = verified_client(world.officer)
    first = get_counting(client, reverse("home"), max_queries=20, contains="Call the lawyer back")
    _more_of_everything(world, LIMIT + 2)
    get_counting(client, reverse("home"), queries=len(first.queries), contains="Extra")


def test_the_coordinator_s_home_costs_a_fixed_number_of_queries(world):
    client = verified_client(world.coordinator)
    first = get_counting(client, reverse("home"), max_queries=20, contains="Andes network")
    NetworkFactory(name="Second network", members=[world.coordinator.organisation, world.org])
    get_counting(client, reverse("home"), queries=len(first.queries), contains="Second network")


@pytest.mark.parametrize(
    ("kind", "asked", "skipped"),
    [
        ("mission", {"visa_items", "invitation_items"}, {"stay_items"}),
        ("shelter_city", {"stay_items"}, {"visa_items", "invitation_items"}),
        ("ngo", set(), {"visa_items", "invitation_items", "stay_items"}),
    ],
)
def test_home_asks_only_the_sources_an_organisation_of_its_kind_can_fill(kind, asked, skipped):
    from work.selectors.home import SOURCES, sources_of_kind

    names = {source.__name__ for source in sources_of_kind(kind)}
    assert asked <= names and not skipped & names
    assert names | skipped == {source.__name__ for source in SOURCES}


# --- what Home reads -------------------------------------------------------------------------


def _encrypted_columns() -> set[str]:
    from django.apps import apps

    from hrdcase.fields import EncryptedTextField

    return {
        f'"{model._meta.db_table}"."{field.column}"'
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    }


@pytest.mark.parametrize("persona", ["officer", "ngo_officer", "city_staff", "coordinator"])
def test_home_reads_and_decrypts_nothing_it_does_not_show(world, persona):
    """Home's items show labels, dates and names only: no encrypted field is read for them
    (a request's medical needs, a case's summary, an alert's message), so none is decrypted
    in the web process for nothing. They cost time too: the visa items' read decrypted ~100
    fields of 11 requests and cases, 5 of Home's 27 ms at scale 1.0."""
    user = getattr(world, persona)
    response = get_counting(verified_client(user), reverse("home"), contains=user.full_name)
    encrypted = _encrypted_columns()
    read = {column for sql in response.queries for column in encrypted if column in sql}
    assert not read, read


def test_an_answer_past_its_hour_is_overdue_though_its_day_is_today():
    """An emergency grant due at 03:00: at 15:00 its page says overdue and its grantor's
    admins were escalated; Home put it under "Due today" until midnight."""
    import datetime
    from unittest import mock

    from tests.relocation import factories as f
    from work.selectors.home import work_queue

    created = datetime.datetime(2026, 12, 7, 3, 0, tzinfo=datetime.UTC)
    ngo = OrganisationFactory(kind=Organisation.Kind.NGO)
    officer = UserFactory(organisation=ngo, role=Role.OFFICER)
    case = CaseFactory(organisation=ngo)
    f.give_relocation_consent(case, officer)
    grantor = f.grantor(name="Protection Fund", kind=Organisation.Kind.NGO)
    with mock.patch("django.utils.timezone.now", return_value=created):
        grant = f.grant(f.approved_request(case, officer, urgency="emergency"), grantor, officer)
    grantor_officer = f.staff(grantor)

    def bucket_at(hour: int) -> Bucket:
        now = datetime.datetime.combine(grant.due_at.date(), datetime.time(hour), datetime.UTC)
        with mock.patch("django.utils.timezone.now", return_value=now):
            [bucket] = [b for b, _title, items in work_queue(grantor_officer).buckets if items]
        return bucket

    assert grant.due_at.time() == datetime.time(3)
    assert bucket_at(2) == Bucket.TODAY
    assert bucket_at(15) == Bucket.OVERDUE
