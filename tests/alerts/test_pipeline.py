"""The outbox mechanics in-process: the claim, the release on failure, the sweep's re-queue
and release of stale claims, and the health page staff watch it on. The real worker is
exercised in tests/integration."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alerts.models import Notification, PipelineState
from alerts.services.dispatch import MAX_ATTEMPTS, notification_send, notifications_send
from alerts.services.notify import notify
from alerts.services.sweep import sweep
from tests.alerts import failing_backends
from tests.alerts.factories import raise_alert
from tests.conftest import verified_client
from tests.factories import UserFactory
from tests.queries import counting

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.alerts.failing_backends.FlakySMTPBackend"
    failing_backends.DOWN["value"] = False
    yield failing_backends.DOWN
    failing_backends.DOWN["value"] = False


def _one(officer) -> Notification:
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due: Ceiba", dedupe_key="e")
    return Notification.objects.for_recipient(officer).get()


def test_a_notification_is_sent_once_whoever_asks(officer):
    note = _one(officer)
    assert notification_send(notification_id=note.pk) is True
    assert notification_send(notification_id=note.pk) is False  # redelivered message
    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert (note.status, note.attempts) == ("sent", 1) and note.sent_at is not None


def test_notify_is_deduplicated_per_recipient_and_event(officer, admin_user):
    first = notify(recipients=[officer, admin_user], kind="k", subject="s", dedupe_key="ev")
    again = notify(recipients=[officer, admin_user], kind="k", subject="s", dedupe_key="ev")
    assert len(first) == 2 and again == []


def test_an_smtp_failure_releases_the_claim_for_the_retry(officer, flaky):
    note = _one(officer)
    flaky["value"] = True
    with pytest.raises(smtplib.SMTPException):
        notification_send(notification_id=note.pk)
    note.refresh_from_db()
    assert note.status == "pending" and "SMTPServerDisconnected" in note.last_error
    flaky["value"] = False
    assert notification_send(notification_id=note.pk) is True
    assert len(mail.outbox) == 1


def test_it_gives_up_after_many_attempts(officer, flaky):
    note = _one(officer)
    Notification.objects.unscoped().filter(pk=note.pk).update(attempts=MAX_ATTEMPTS - 1)
    flaky["value"] = True
    assert notification_send(notification_id=note.pk) is False
    note.refresh_from_db()
    assert note.status == "failed"


def test_a_batch_reads_its_rows_once_and_claims_each_on_its_own(case, officer, flaky):
    """A burst of alerts (issue 24) is dispatched in batches: one read for the batch, then a
    claim and a mark per e-mail (a worker killed in the middle leaves the rest pending). A
    row read before its claim still gives up on the attempts its claims counted."""
    for n in range(4):
        UserFactory(organisation=case.organisation, role="admin", email=f"admin{n}@b.example")
    raise_alert(case, UserFactory(organisation=case.organisation, role="officer"))
    ids = list(Notification.objects.unscoped().values_list("pk", flat=True))
    assert len(ids) == 5
    with counting(queries=1 + 2 * len(ids)):
        assert notifications_send(notification_ids=ids).sent == len(ids)
    assert len(mail.outbox) == len(ids)

    note = _one(UserFactory(organisation=case.organisation, role="officer"))
    Notification.objects.unscoped().filter(pk=note.pk).update(attempts=MAX_ATTEMPTS - 1)
    flaky["value"] = True
    result = notifications_send(notification_ids=[note.pk])
    note.refresh_from_db()
    assert (note.status, note.attempts, result.failed) == ("failed", MAX_ATTEMPTS, [])


def test_the_task_retries_with_backoff_on_smtp_errors(officer, flaky, eager_celery):
    from alerts.tasks import dispatch_notifications_task

    note = _one(officer)
    flaky["value"] = True
    with (
        mock.patch.object(dispatch_notifications_task, "retry", side_effect=RuntimeError) as retry,
        pytest.raises(RuntimeError),
    ):
        dispatch_notifications_task.apply(args=[[str(note.pk)]], throw=True)
    assert retry.called
    assert (
        dispatch_notifications_task.acks_late and dispatch_notifications_task.reject_on_worker_lost
    )


def test_the_sweep_requeues_pending_notifications_older_than_a_minute(
    officer, django_capture_on_commit_callbacks
):
    note = _one(officer)
    with (
        mock.patch("alerts.tasks.dispatch_notifications_task.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep(now=timezone.now() + timedelta(seconds=30))
        assert not apply_async.called
        sweep(now=timezone.now() + timedelta(seconds=61))
    apply_async.assert_called_once_with(args=[[str(note.pk)]])


def test_the_sweep_releases_a_claim_whose_worker_died(officer, django_capture_on_commit_callbacks):
    note = _one(officer)
    long_ago = timezone.now() - timedelta(minutes=10)
    Notification.objects.unscoped().filter(pk=note.pk).update(status="sending", claimed_at=long_ago)
    with (
        mock.patch("alerts.tasks.dispatch_notifications_task.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = sweep()
    assert result["released"] == 1
    apply_async.assert_called_once_with(args=[[str(note.pk)]])
    note.refresh_from_db()
    assert note.status == "pending"


def test_a_broker_down_at_commit_loses_nothing(
    case, officer, admin_user, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "alerts.tasks.dispatch_notifications_task.apply_async",
            side_effect=OSError("broker down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert = raise_alert(case, officer)  # no exception reaches the user
    assert alert.notifications.filter(status="pending").exists()


def test_the_sweep_records_its_last_run(officer):
    now = timezone.now()
    sweep(now=now)
    state = PipelineState.objects.get()
    assert state.last_sweep_at == now and "reminders" in state.last_result


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.alerts.failing_backends.RefusingBackend"
    failing_backends.REFUSED.clear()
    yield failing_backends.REFUSED
    failing_backends.REFUSED.clear()


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"admin@a.example": (550, b"5.1.1 mailbox unavailable")}),
        ValueError("a value the mail library refuses"),
    ],
    ids=["recipient-refused", "any-other-error"],
)
def test_one_failing_notification_does_not_hold_back_its_batch(
    officer, admin_user, viewer, refusing, error
):
    from alerts.tasks import dispatch_notifications_task

    by_user = {
        n.recipient_id: n
        for n in notify(
            recipients=[officer, admin_user, viewer], kind="k", subject="Ceiba", dedupe_key="b"
        )
    }
    # The failing one in the middle: the one after it used to wait for the retry.
    batch = [str(by_user[u.pk].pk) for u in (officer, admin_user, viewer)]
    failing = str(by_user[admin_user.pk].pk)
    refusing[admin_user.email] = error
    with mock.patch.object(
        dispatch_notifications_task, "retry", side_effect=Retry("later")
    ) as retry:
        dispatch_notifications_task.apply(args=[batch])

    # The others are sent at once...
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, viewer.email])
    # ...and the task asks to retry the failing one alone, soon (back-off starts at 1 s).
    retry.assert_called_once()
    assert retry.call_args.kwargs["args"] == [[failing]]
    assert 0 <= retry.call_args.kwargs["countdown"] <= 1
    note = Notification.objects.unscoped().get(pk=failing)
    assert note.status == "pending" and type(error).__name__ in note.last_error

    # The retry, delivered later once the server accepts the address, sends it once.
    refusing.clear()
    dispatch_notifications_task.apply(args=retry.call_args.kwargs["args"])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [officer.email, viewer.email, admin_user.email]
    )
    assert set(
        Notification.objects.unscoped().filter(pk__in=batch).values_list("status", flat=True)
    ) == {"sent"}


def test_a_batch_whose_notifications_all_went_out_is_not_retried(officer, admin_user):
    from alerts.tasks import dispatch_notifications_task

    notes = notify(recipients=[officer, admin_user], kind="k", subject="Ceiba", dedupe_key="c")
    with mock.patch.object(dispatch_notifications_task, "retry") as retry:
        result = dispatch_notifications_task.apply(args=[[str(n.pk) for n in notes]])
    assert result.get() == 2 and not retry.called and len(mail.outbox) == 2


def test_once_its_retries_are_spent_the_sweep_keeps_the_notification(
    officer, refusing, django_capture_on_commit_callbacks
):
    """``apply`` runs each retry at once: the task gives up after its retries and the row
    stays pending for the sweep, which re-queues it until MAX_ATTEMPTS marks it failed."""
    from alerts.tasks import MAX_RETRIES, dispatch_notifications_task

    note = _one(officer)
    refusing[officer.email] = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    dispatch_notifications_task.apply(args=[[str(note.pk)]])
    note.refresh_from_db()
    assert (note.status, note.attempts) == ("pending", MAX_RETRIES + 1)
    with (
        mock.patch("alerts.tasks.dispatch_notifications_task.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep(now=timezone.now() + timedelta(minutes=2))
    apply_async.assert_called_once_with(args=[[str(note.pk)]])


def test_the_health_page_for_platform_staff(case, officer):
    raise_alert(case, officer)
    sweep()
    staff = UserFactory(is_staff=True, is_superuser=True, organisation=None)
    page = verified_client(staff).get(reverse("admin:alerts_pipelinestate_changelist"))
    assert page.status_code == 200
    assert b"Oldest pending" in page.content and b"Last sweep" in page.content
    assert case.pseudonym.encode() not in page.content
