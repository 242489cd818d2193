"""The dispatch probe's flood (issue 24: "a flood of 10,000 reminders never delays an urgent
alert beyond its usual p95"): reminders, pending, queued on the default queue in the
reminders sweep's batches, and counted while they wait. The probe itself needs live workers
and runs in `make bench` only."""

from __future__ import annotations

import pytest

from alerts.kinds import KINDS
from alerts.models import Notification
from bench import dispatch
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_flood_is_pending_reminders_queued_on_the_default_queue_in_batches(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(dispatch, "FLOOD", 250)
    queued: list[tuple[list, dict]] = []
    from alerts.tasks import dispatch_notifications_task

    monkeypatch.setattr(
        dispatch_notifications_task,
        "apply_async",
        lambda args, **options: queued.append((args[0], options)),
    )
    recipient = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch._flood(recipient) == 250

    assert [len(ids) for ids, _options in queued] == [100, 100, 50]  # the sweep's batches
    assert {options.get("queue") for _ids, options in queued} == {None}  # the default queue
    rows = Notification.objects.unscoped().filter(dedupe_key__startswith=dispatch.FLOOD_KEY)
    assert {(row.recipient_id, row.kind) for row in rows} == {(recipient.pk, "follow_up")}
    assert not KINDS["follow_up"].urgent
    assert dispatch._flood_waiting() == 250
    rows.filter(pk__in=queued[0][0]).update(status=Notification.Status.SENT)
    assert dispatch._flood_waiting() == 150
