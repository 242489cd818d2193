"""The audit trail is a hash chain: any edited or deleted row is named by verify_audit."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from hrdcase.audit import GENESIS, audit_record
from hrdcase.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(officer):
    return [
        audit_record(action="case.view", actor=officer, target=officer, ip="10.0.0.1"),
        audit_record(action="case.share", actor=officer, data={"level": "full", "to": "B"}),
        audit_record(action="auth.login_failed", ip="2001:db8::1", data={"username": "x"}),
        audit_record(action="token.create", actor=officer),
    ]


def _tamper(sql: str, params: list) -> None:
    """Change a row behind the application's back, as an attacker with database access would.
    On PostgreSQL the append-only trigger has to be bypassed first (superuser only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def _verify(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_each_event_links_to_the_one_before(chain, officer, org):
    assert chain[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    first = AuditEvent.objects.get(pk=chain[0].pk)
    assert first.actor_id == officer.pk
    assert first.actor_label == officer.email
    assert first.organisation_id == org.pk
    assert first.target_type == "accounts.user"
    assert "4 events" in _verify()


def test_an_edited_event_is_named(chain):
    _tamper(
        "UPDATE hrdcase_auditevent SET data = %s WHERE id = %s", ['{"level": "none"}', chain[1].pk]
    )
    with pytest.raises(CommandError, match=rf"event {chain[1].pk}: hash does not match"):
        _verify()


def test_a_deleted_event_breaks_the_next_link(chain):
    _tamper("DELETE FROM hrdcase_auditevent WHERE id = %s", [chain[2].pk])
    with pytest.raises(CommandError, match=rf"event {chain[3].pk}: previous hash"):
        _verify()


def test_a_truncated_head_is_caught_with_the_head_kept_outside(chain):
    from io import StringIO

    out = StringIO()
    call_command("audit_head", stdout=out)
    head = out.getvalue().strip()
    assert head == f"{chain[3].pk}:{chain[3].hash}"
    _verify("--head", head)

    _tamper("DELETE FROM hrdcase_auditevent WHERE id = %s", [chain[3].pk])
    with pytest.raises(CommandError, match=rf"event {chain[3].pk}: the recorded head is missing"):
        _verify("--head", head)


def test_a_malformed_head_is_a_clear_error(chain):
    with pytest.raises(CommandError, match="ID:HASH"):
        _verify("--head", "not-a-head")


def test_an_action_that_rolls_back_leaves_no_event(officer):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="case.share", actor=officer)
        raise RuntimeError("the share failed")
    assert not AuditEvent.objects.exists()


@pytest.mark.postgresql
def test_postgresql_refuses_update_and_delete(chain):
    for statement in (
        "UPDATE hrdcase_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM hrdcase_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [chain[0].pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[0].pk).delete()
