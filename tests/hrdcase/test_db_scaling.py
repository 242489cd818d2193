"""Ready to outgrow one machine (issue 24): the read replica router and PgBouncer settings.

The replica is tested with a second alias, ``replica``, that mirrors the test database
(tests/settings.py: ``TEST: {"MIRROR": "default"}``): another connection to the same data, so
which alias each query went through is what is asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from accounts.models import Organisation, Role
from cases.models import Case
from hrdcase.db_router import ReplicaRouter, use_replica
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.factories import CaseFactory, NetworkFactory, OrganisationFactory, UserFactory
from tests.queries import captured_on

ROOT = Path(__file__).resolve().parents[2]
BOTH = ["default", "replica"]


@pytest.fixture
def replica_reads(settings):
    settings.REPLICA_READS = True
    cache.clear()  # the dashboards' cached figures: computed by the request under test
    yield
    cache.clear()


@pytest.fixture
def coordinator(db):
    mission = OrganisationFactory(name="Mission A", kind=Organisation.Kind.MISSION)
    desk = OrganisationFactory(name="Capital desk", kind=Organisation.Kind.CAPITAL)
    network = NetworkFactory(name="Andes network", members=[mission, desk])
    for _ in range(6):
        CaseFactory(organisation=mission, opened_on=date(2026, 3, 10))
    user = UserFactory(organisation=desk, role=Role.COORDINATOR)
    user.network = network
    return user


def _capture(client, url, **params):
    with (
        captured_on("default") as primary,
        captured_on("replica") as replica,
    ):
        response = client.get(url, params)
    return response, [q["sql"] for q in primary], [q["sql"] for q in replica]


def _writes(sqls: list[str]) -> list[str]:
    return [s for s in sqls if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_dashboard_reads_its_figures_on_the_replica_and_nothing_else(replica_reads, coordinator):
    client = verified_client(coordinator)
    url = reverse("dashboards:network", args=[coordinator.network.pk])
    response, primary, replica = _capture(client, url, period="2026")
    assert response.status_code == 200
    # the aggregates of the members' cases, entries, referrals, alerts: on the replica, and
    # not on the primary, which reads only the inbox badge (notifications scoped to the user)
    tables = ("cases_case", "logbooks_logentry", "relocation_visareferral", "alerts_alert")
    for table in tables:
        assert any(table in sql for sql in replica), table
    figures_on_primary = [
        sql
        for sql in primary
        if any(table in sql for table in tables) and "alerts_notification" not in sql
    ]
    assert figures_on_primary == []
    # the session, the user and the access check (membership): on the primary
    assert any("django_session" in sql for sql in primary)
    assert any("accounts_" in sql for sql in primary)
    assert not any("django_session" in sql or "accounts_" in sql for sql in replica)
    assert _writes(replica) == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_an_export_reads_on_the_replica_and_writes_its_audit_row_on_the_primary(
    replica_reads, coordinator
):
    client = verified_client(coordinator)
    network = coordinator.network
    url = reverse("dashboards:network_export_all", args=[network.pk])
    before = AuditEvent.objects.filter(action="dashboard.export_all").count()
    response, primary, replica = _capture(client, url, period="2026")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert any("cases_case" in sql for sql in replica)
    assert _writes(replica) == []
    assert any("hrdcase_auditevent" in sql for sql in _writes(primary))
    assert not any("hrdcase_auditevent" in sql for sql in replica)  # the chain's head too
    assert AuditEvent.objects.filter(action="dashboard.export_all").count() == before + 1


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_organisation_dashboard_reads_its_caseload_on_the_replica(replica_reads, officer):
    CaseFactory(organisation=officer.organisation, lead_officer=officer)
    response, primary, replica = _capture(
        verified_client(officer), reverse("dashboards:organisation")
    )
    assert response.status_code == 200
    assert any("cases_case" in sql and "COUNT" in sql.upper() for sql in replica)
    # what is due and the open alerts are lists scoped to the user: the primary
    assert any("alerts_alert" in sql for sql in primary)
    assert not any("alerts_alert" in sql for sql in replica)
    assert _writes(replica) == []


@pytest.mark.django_db(transaction=True)
def test_the_router_rules(settings):
    router = ReplicaRouter()
    settings.REPLICA_READS = True
    assert router.db_for_read(Case) is None  # outside use_replica(): the primary
    with use_replica():
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_read(Organisation) is None  # tenancy: always the primary
        assert router.db_for_read(AuditEvent) is None
        with transaction.atomic():  # a transaction on the primary reads its own writes
            assert router.db_for_read(Case) is None
        assert router.db_for_write(Case) == "default"
        # read-after-write: the rest of the block reads the primary
        assert router.db_for_read(Case) is None
    with use_replica():
        assert router.db_for_read(Case) == "replica"  # a new block, a new start
    settings.REPLICA_READS = False  # no replica configured: use_replica() changes nothing
    with use_replica():
        assert router.db_for_read(Case) is None
    assert router.allow_migrate("replica", "cases") is False
    assert router.allow_migrate("default", "cases") is None


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_write_in_a_replica_block_pins_its_later_reads_to_the_primary(settings, officer):
    settings.REPLICA_READS = True
    case = CaseFactory(organisation=officer.organisation, lead_officer=officer)
    with (
        captured_on("replica") as replica,
        use_replica(),
    ):
        assert Case.objects.unscoped().filter(pk=case.pk).exists()  # the replica
        Case.objects.unscoped().filter(pk=case.pk).update(closing_reason="")  # the primary
        assert Case.objects.unscoped().filter(pk=case.pk).exists()  # the primary now
    assert len(replica) == 1 and _writes([q["sql"] for q in replica]) == []


# --- settings (a fresh interpreter each: they are read at import) ----------------------------


def _settings(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HRDCASE_", "DATABASE_"))}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", f"import hrdcase.settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean, "HRDCASE_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_replica_url_adds_the_replica_alias(tmp_path):
    env = {
        "HRDCASE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://u@primary.example:5432/hrdcase",
        "HRDCASE_REPLICA_URL": "postgres://u@replica.example:5432/hrdcase",
    }
    result = _settings(
        env,
        "s.DATABASES['replica']['HOST'], s.REPLICA_READS, s.DATABASES['replica']['OPTIONS']",
    )
    assert result.stdout.strip() == ("replica.example True {'options': '-c jit=off'}"), (
        result.stderr
    )
    result = _settings({**env, "HRDCASE_REPLICA_URL": ""}, "'replica' in s.DATABASES")
    assert result.stdout.strip() == "False", result.stderr


def test_pgbouncer_turns_server_side_cursors_off_and_sends_no_startup_options(tmp_path):
    env = {
        "HRDCASE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://u@pgbouncer.example:6432/hrdcase",
        "HRDCASE_DB_POOLER": "pgbouncer",
        "HRDCASE_REPLICA_URL": "postgres://u@replica-pool.example:6432/hrdcase",
    }
    result = _settings(
        env,
        "s.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'],"
        " 'options' in s.DATABASES['default'].get('OPTIONS', {}),"
        " s.DATABASES['replica']['DISABLE_SERVER_SIDE_CURSORS'],"
        " s.DATABASES['default']['CONN_MAX_AGE']",
    )
    # CONN_MAX_AGE: a kept client connection to PgBouncer holds no server session
    assert result.stdout.strip() == "True False True 60", result.stderr
    result = _settings({**env, "HRDCASE_DB_POOLER": "pgpool"}, "1")
    assert result.returncode != 0 and "HRDCASE_DB_POOLER" in result.stderr
    sqlite = {**env, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    sqlite.pop("HRDCASE_REPLICA_URL")
    result = _settings(sqlite, "1")
    assert result.returncode != 0 and "needs a PostgreSQL" in result.stderr


def test_redis_sentinel_names_its_master(tmp_path):
    env = {
        "HRDCASE_VAR_DIR": str(tmp_path),
        "CELERY_BROKER_URL": "sentinel://:pw@s1:26379;sentinel://:pw@s2:26379",
        "HRDCASE_REDIS_SENTINEL_MASTER": "hrdcase",
    }
    result = _settings(env, "s.CELERY_BROKER_TRANSPORT_OPTIONS")
    assert result.stdout.strip() == "{'visibility_timeout': 3600, 'master_name': 'hrdcase'}", (
        result.stderr
    )
    result = _settings({**env, "HRDCASE_REDIS_SENTINEL_MASTER": ""}, "1")
    assert result.returncode != 0 and "HRDCASE_REDIS_SENTINEL_MASTER" in result.stderr
