"""The open alerts a user may see are read from the partial indexes of unresolved alerts.

Home and the alerts list's "open" read each half of the visible-alert union with ``NOT
status = 'resolved'``. In a year of alerts most are resolved: read through the plain
organisation index, PostgreSQL visited every alert's row to drop the resolved ones (Home's
query 5.7 ms at the bench's scale, 3.2 with these indexes; docs/performance.md, session
17). PostgreSQL uses a partial index only when it can prove the query's predicate implies
the index's, so a filter or an index condition written another way could quietly stop it:
this test catches that.
"""

from __future__ import annotations

import pytest
from django.db import connection

from alerts.selectors.alerts import alerts_for
from alerts.services.alerts import alert_resolve
from tests.alerts.factories import partner_with, raise_alert

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


def _plan(queryset) -> str:
    # Seq and bitmap scans off: on a test database of a few rows PostgreSQL would scan the
    # table whatever the indexes; what is checked is that the indexes apply at all.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    return queryset.explain()


def test_the_owner_and_a_full_partner_read_open_alerts_through_the_unresolved_indexes(
    case, officer
):
    _partner, partner_officer, _viewer = partner_with(case, "full", acting_user=officer)
    still_open = raise_alert(case, officer, kind="detained")
    resolved = raise_alert(case, officer, kind="missing")
    alert_resolve(alert=resolved, acting_user=officer, note="Released on bail.")

    for user in (officer, partner_officer):
        open_alerts = alerts_for(user, status="open")
        assert [a.pk for a in open_alerts] == [still_open.pk]
        plan = _plan(open_alerts)
        assert "alert_org_unresolved" in plan, plan
        assert "alert_case_unresolved" in plan, plan
