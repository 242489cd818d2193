"""A --scale 0.01 smoke run of the benchmark: the generator and every registered operation,
in-process (no gunicorn, no timing). The full benchmark is `make bench`, outside the suite."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation, User
from bench import operations as ops
from bench import runner, seeders
from cases.access import get_case_for
from cases.models import Case, CaseCounter, CaseGroupObjectPermission, CaseShare, Defender

SCALE = 0.01


@pytest.fixture
def seeded(db):
    return seeders.seed_dataset(SCALE, log=lambda message: None)


def test_it_seeds_the_scaled_data_set(seeded):
    bench = Organisation.objects.filter(code__startswith="BX")
    assert bench.count() == seeded.counts["organisations"] == 6
    assert set(bench.values_list("kind", flat=True)) == set(Organisation.Kind.values)
    assert all(org.group.name == f"org:{org.code}" for org in bench)
    assert User.objects.count() == seeded.counts["users"] == 20
    assert Case.objects.unscoped().count() == seeded.counts["cases"] == 1_000
    assert Defender.objects.unscoped().count() == 1_000
    shared = CaseShare.objects.unscoped().values("case").distinct().count()
    assert 80 <= shared <= 120  # ~10% of the cases
    assert CaseGroupObjectPermission.objects.count() == seeded.counts["case permissions"]
    officer = User.objects.get(email=seeders.BENCH_USER_EMAILS["officer"])
    assert Case.objects.visible_to(officer).count() == seeded.counts["bench officer sees"] == 20


def test_it_writes_what_the_application_reads(seeded):
    officer = User.objects.get(email=seeders.BENCH_USER_EMAILS["officer"])
    shared_case = Case.objects.visible_to(officer).exclude(organisation=officer.organisation)[0]
    _case, access = get_case_for(officer, shared_case.pk)
    assert access.level in (CaseShare.Level.FULL, CaseShare.Level.FEEDBACK)
    own = Case.objects.owned_by(officer.organisation).select_related("defender")[0]
    # Encrypted with the row's associated data: the ORM decrypts what COPY/INSERT wrote.
    assert own.summary and own.defender.legal_name
    # References continue after the seeded ones.
    counter = CaseCounter.objects.get(organisation=own.organisation, year=own.opened_on.year)
    assert own.reference <= f"{own.organisation.code}-{own.opened_on.year}-{counter.last:04d}"


def test_it_refuses_to_seed_twice_or_beside_real_data(seeded):
    with pytest.raises(seeders.SeedRefused, match="already holds bench data"):
        seeders.seed_dataset(SCALE, log=lambda message: None)
    seeders.reset_bench_data(log=lambda message: None)
    assert not Organisation.objects.exists()
    assert not Case.objects.unscoped().exists()
    assert not User.objects.exists()
    _assert_no_app_rows()
    Organisation.objects.create(
        name="Real", code="REAL", kind="ngo", country="KE", group=_group("org:REAL")
    )
    with pytest.raises(seeders.SeedRefused, match="did not write"):
        seeders.seed_dataset(SCALE, log=lambda message: None)


def test_it_refuses_without_debug_or_the_explicit_flag(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="HRDCASE_DEBUG"):
        call_command("bench_seed", scale=SCALE)


def test_it_runs_every_operation_with_a_fixed_query_count(seeded):
    ctx = ops.prepare_context()
    results = [runner.measure_queries(op, ctx) for op in ops.operations()]
    assert {r.operation for r in results} >= {
        "case list",
        "case list (status + risk filter)",
        "case list (search)",
        "case logbook",
        "case overview",
        "API case list (50)",
    }
    for result in results:
        assert result.errors == [], result.operation
        assert result.queries and result.fixed_queries, (result.operation, result.queries)
    assert {r.operation for r in results} >= {
        "inbox: shared entries (NGO)",
        "home (officer)",
        "home (coordinator)",
        "iCal feed (officer)",
        "network dashboard (uncached)",
        "network dashboard (another period: first view)",
        "organisation dashboard",
        "visa queue (mission)",
        "city calendar",
    }
    by_name = {r.operation: r for r in results}
    for name in ["case list", "case list (status + risk filter)", "case list (search)"]:
        assert "cases_case" in by_name[name].main_sql, name
    for name in ["case logbook", "case overview"]:
        assert "cases_case" in by_name[name].main_sql, name
    assert "alerts_notification" in by_name["inbox: shared entries (NGO)"].main_sql
    assert "relocation_visareferral" in by_name["visa queue (mission)"].main_sql
    # Pages of many aggregates: the floor is every SELECT they run.
    for name in ["network dashboard (uncached)", "organisation dashboard", "city calendar"]:
        assert len(by_name[name].floor_sqls) > 5, name
    # Home reads every source of the queue; the feed reads every kind of event.
    home_sql = " ".join(by_name["home (officer)"].floor_sqls)
    for table in ["alerts_alert", "cases_task", "relocation_visareferral", "logbooks_logentry"]:
        assert table in home_sql, table
    feed_sql = " ".join(by_name["iCal feed (officer)"].floor_sqls)
    for table in ["work_calendarfeed", "cases_hearing", "relocation_shelterreferral"]:
        assert table in feed_sql, table
    network_sql = " ".join(by_name["network dashboard (uncached)"].floor_sqls)
    assert "logbooks_logentry" in network_sql and "alerts_alert" in network_sql
    assert "cases_defender" in network_sql  # today's open cases, computed too
    # Another period's first view: its own aggregates, today's open cases from beat's copy.
    first_view = " ".join(by_name["network dashboard (another period: first view)"].floor_sqls)
    assert "relocation_visareferral" in first_view and "cases_defender" not in first_view
    table = runner.render_table(results)
    assert "case list" in table and "(guide 50)" in table


def test_it_seeds_the_apps_rows_the_pages_read(seeded):
    from alerts.kinds import SHARED_ENTRY
    from alerts.models import Alert, Notification
    from logbooks.models import ActionParticipant, DiplomaticAction, LogEntry
    from logbooks.selectors.inbox import inbox_for
    from relocation.models import (
        CapacityPeriod,
        GrantRequest,
        RelocationRequest,
        ShelterProgramme,
        ShelterReferral,
        VisaReferral,
    )

    counts = seeded.counts
    assert LogEntry.objects.unscoped().count() == counts["logbook entries"] == 10_000
    shared = LogEntry.objects.unscoped().filter(visibility="shared").count()
    assert 0.10 <= shared / 10_000 <= 0.25
    # Threads: one current version each; corrections supersede the first version.
    heads = LogEntry.objects.unscoped().filter(version=1).count()
    assert LogEntry.objects.unscoped().filter(is_current=True).count() == heads
    assert LogEntry.objects.unscoped().filter(version=2, supersedes__isnull=False).exists()
    assert LogEntry.objects.unscoped().filter(follow_up_on__isnull=False).exists()
    entry = LogEntry.objects.unscoped().first()
    assert entry.summary  # decrypts: the row's associated data
    ngo = User.objects.get(email=seeders.BENCH_USER_EMAILS["ngo"])
    inbox = inbox_for(ngo)
    assert inbox.count() > 0
    # Partners' shared entries reach the NGO's inbox as notifications, most of them read.
    told = Notification.objects.for_recipient(ngo).filter(kind=SHARED_ENTRY)
    assert told.count() == counts["shared-entry notifications (bench NGO)"] > 0
    read = counts["shared-entry notifications read (bench NGO)"]
    assert told.filter(read_at__isnull=False).count() == read > 0
    assert inbox.filter(is_unread=True).count() == told.filter(read_at__isnull=True).count() > 0
    assert DiplomaticAction.objects.unscoped().count() == counts["diplomatic actions"] == 500
    assert DiplomaticAction.objects.unscoped().first().outcome is not None
    assert ActionParticipant.objects.filter(status="accepted").exists()
    referrals = (
        VisaReferral.objects.unscoped().count()
        + ShelterReferral.objects.unscoped().count()
        + GrantRequest.objects.unscoped().count()
    )
    assert referrals == 200
    assert RelocationRequest.objects.unscoped().count() == counts["relocation requests"]
    officer = User.objects.get(email=seeders.BENCH_USER_EMAILS["officer"])
    queue = VisaReferral.objects.addressed_to(officer.organisation).filter(status="pending")
    assert queue.count() == counts["bench mission visa queue"] > 0
    assert queue.first().note_for_mission
    city = User.objects.get(email=seeders.BENCH_USER_EMAILS["city"])
    assert city.organisation.kind == "shelter_city"
    assert ShelterProgramme.objects.owned_by(city.organisation).count() == 1
    assert CapacityPeriod.objects.owned_by(city.organisation).count() == 3
    stays = ShelterReferral.objects.addressed_to(city.organisation)
    assert stays.filter(status="hosting").count() == 10
    assert stays.filter(status="confirmed").count() == 8
    assert Alert.objects.unscoped().count() == counts["alerts"] == 500
    assert Alert.objects.unscoped().filter(status="resolved").count() > 300
    assert (
        not Alert.objects.unscoped()
        .filter(status="acknowledged", seconds_to_acknowledge__isnull=True)
        .exists()
    )
    assert Alert.objects.unscoped().first().message
    alert_notifications = Notification.objects.unscoped().exclude(kind=SHARED_ENTRY)
    assert alert_notifications.count() == counts["notifications"] > 0
    coordinator = User.objects.get(email=seeders.BENCH_USER_EMAILS["coordinator"])
    network = coordinator.organisation.networks.get(name="Bench network 00")
    assert network.members.count() == 6  # every bench organisation at this scale


def _assert_no_app_rows():
    from alerts.models import Alert, Notification
    from logbooks.models import ActionParticipant, DiplomaticAction, LogEntry
    from relocation.models import (
        CapacityPeriod,
        GrantRequest,
        RelocationRequest,
        ShelterProgramme,
        ShelterReferral,
        VisaReferral,
    )

    for model in [LogEntry, DiplomaticAction, RelocationRequest, VisaReferral]:
        assert not model.objects.unscoped().exists(), model
    for model in [ShelterReferral, GrantRequest, ShelterProgramme, CapacityPeriod]:
        assert not model.objects.unscoped().exists(), model
    assert not Alert.objects.unscoped().exists()
    assert not Notification.objects.unscoped().exists()
    assert not ActionParticipant.objects.exists()


def _group(name):
    from django.contrib.auth.models import Group

    return Group.objects.create(name=name)


def test_it_resets_only_bench_data_beside_real_data(db):
    from tests.factories import CaseFactory, OrganisationFactory, UserFactory, share_case

    real = OrganisationFactory(name="Real mission", code="REAL")
    partner = OrganisationFactory(name="Real NGO", code="RNGO", kind="ngo")
    officer = UserFactory(organisation=real, role="officer", email="officer@real.example")
    case = CaseFactory(organisation=real)
    share_case(case, partner, "full", acting_user=officer)
    seeders.seed_dataset(SCALE, force=True, log=lambda message: None)
    assert Organisation.objects.count() == 8
    seeders.reset_bench_data(log=lambda message: None)
    assert set(Organisation.objects.values_list("code", flat=True)) == {"REAL", "RNGO"}
    assert list(User.objects.all()) == [officer]
    assert list(Case.objects.unscoped().all()) == [case]
    assert CaseGroupObjectPermission.objects.filter(group=partner.group).count() == 5


def test_every_operation_can_be_selected_alone():
    """``BENCH_ONLY`` splits on commas: a name holding one could never be measured alone."""
    from bench.operations import operations, probes

    names = [op.name for op in operations()] + [probe.name for probe in probes()]
    assert all("," not in name for name in names)
    assert len(set(names)) == len(names)
