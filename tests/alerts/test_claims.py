"""A claim finds its row by its primary key, whatever PostgreSQL's statistics say.

In an alert storm the notifications table fills with pending rows faster than autoanalyze
sees them: the statistics still say "pending" is rare. The planner then preferred the
status index for a claim (``status = 'pending' AND id = ...``), which read every pending
row to find one: each claim cost more as the backlog grew (docs/performance.md, session 14).
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from alerts.models import Notification
from alerts.services import dispatch
from tests.alerts.factories import raise_alert
from tests.queries import counting

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]

BACKLOG = 3_000


def _copies(row: Notification, count: int, status: str) -> list[Notification]:
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    values = {f.attname: getattr(row, f.attname) for f in fields}
    return [
        Notification(**{**values, "id": uuid.uuid4(), "dedupe_key": f"copy-{n}", "status": status})
        for n in range(count)
    ]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(line for (line,) in cursor.fetchall())


def test_a_claim_reads_its_row_by_primary_key_in_a_backlog_the_statistics_have_not_seen(
    case, admin_user
):
    raise_alert(case, admin_user)  # the lead officer is told
    first = Notification.objects.unscoped().earliest("created_at")
    Notification.objects.unscoped().bulk_create(_copies(first, BACKLOG, "sent"))
    with connection.cursor() as cursor:  # the statistics: everything was sent
        cursor.execute("ANALYZE alerts_notification")
    # The storm: thousands pending, not analyzed yet.
    Notification.objects.unscoped().update(status="pending")

    with counting(queries=1) as claim:
        assert dispatch._claim(Notification, first.pk)
    plan = _plan(claim.sql[0])
    assert "alerts_notification_pkey" in plan and "notif_status_age" not in plan, plan
    first.refresh_from_db()
    assert (first.status, first.attempts) == ("sending", 1)
    assert not dispatch._claim(Notification, first.pk)  # claimed once only

    # The sweep's re-queue of a hundred rows, the same way.
    others = Notification.objects.unscoped().exclude(pk=first.pk)
    batch = [first.pk, *others.values_list("pk", flat=True)[:99]]
    requeue = dispatch.rows_in_status(Notification, batch, "pending")
    assert requeue.count() == 99  # all but the claimed one
    plan = requeue.explain()
    assert "alerts_notification_pkey" in plan and "notif_status_age" not in plan, plan
