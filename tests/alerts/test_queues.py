"""Routing of the alert pipeline's tasks (issue 24): the deliveries of urgent kinds and the
urgent sweep (escalation) on the urgent queue, consumed by a worker of its own; everything
else (reminders, other notifications' e-mails, password resets, the reminders sweep) on the
default queue. The real workers are exercised in tests/integration/test_alerts_pipeline.py
(a flood of reminders does not delay an urgent alert)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from alerts.models import Notification
from alerts.services.notify import is_urgent, notify, queue_options
from alerts.services.sweep import REMINDER_PARTS, URGENT_PARTS, sweep
from tests.alerts.factories import raise_alert

pytestmark = pytest.mark.django_db

DISPATCH = "alerts.tasks.dispatch_notifications_task"


def _queue_of(name: str, options: dict | None = None) -> str:
    """The queue Celery itself publishes to for these options (its router, our routes)."""
    from hrdcase.celery import app

    return app.amqp.router.route(dict(options or {}), name, (), {})["queue"].name


def test_the_urgent_kinds_go_to_the_urgent_queue_and_the_others_do_not():
    assert settings.ALERTS_URGENT_QUEUE == "urgent"
    for kind in ("alert", "alert_escalation", "alert_reminder"):
        assert is_urgent(kind), kind
        assert _queue_of(DISPATCH, queue_options(urgent=is_urgent(kind))) == "urgent"
    for kind in ("follow_up", "risk_review", "shared_entry", "alert_acknowledged", "unknown"):
        assert not is_urgent(kind), kind
        assert _queue_of(DISPATCH, queue_options(urgent=is_urgent(kind))) == "celery"


def test_an_alerts_notifications_are_queued_on_the_urgent_queue(
    case, officer, admin_user, django_capture_on_commit_callbacks
):
    with (
        mock.patch(f"{DISPATCH}.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert = raise_alert(case, officer)
    ids = {str(pk) for pk in alert.notifications.values_list("pk", flat=True)}
    assert ids
    queued = {pk for call in apply_async.call_args_list for pk in call.kwargs["args"][0]}
    assert queued == ids
    assert {call.kwargs.get("queue") for call in apply_async.call_args_list} == {"urgent"}


def test_a_reminder_is_queued_on_the_default_queue(officer, django_capture_on_commit_callbacks):
    with (
        mock.patch(f"{DISPATCH}.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        (note,) = notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key="f")
    apply_async.assert_called_once_with(args=[[str(note.pk)]])  # routed as usual: default
    assert _queue_of(DISPATCH) == "celery"


def test_the_sweep_requeues_each_kind_on_its_own_queue(officer, django_capture_on_commit_callbacks):
    with (
        mock.patch(f"{DISPATCH}.apply_async"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key="f")
        notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="a")
    reminder = Notification.objects.for_recipient(officer).get(kind="follow_up")
    urgent = Notification.objects.for_recipient(officer).get(kind="alert")
    with (
        mock.patch(f"{DISPATCH}.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep(now=timezone.now() + timedelta(seconds=61))
    # the urgent kind first, on the urgent queue; the reminder on the default queue
    assert apply_async.call_args_list == [
        mock.call(args=[[str(urgent.pk)]], queue="urgent"),
        mock.call(args=[[str(reminder.pk)]]),
    ]
    # as beat runs them: the urgent sweep re-queues the urgent kind only, the reminders
    # sweep the others (a backlog of reminders costs the urgent worker nothing)
    later = timezone.now() + timedelta(seconds=200)
    with (
        mock.patch(f"{DISPATCH}.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep(now=later, parts=URGENT_PARTS)
    assert apply_async.call_args_list == [mock.call(args=[[str(urgent.pk)]], queue="urgent")]
    with (
        mock.patch(f"{DISPATCH}.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sweep(now=later, parts=REMINDER_PARTS)
    assert apply_async.call_args_list == [mock.call(args=[[str(reminder.pk)]])]


def test_the_two_sweeps_share_the_parts_out_and_beat_puts_them_on_their_queues():
    from hrdcase.celery import app

    assert not set(URGENT_PARTS) & set(REMINDER_PARTS)
    assert set(URGENT_PARTS) >= {"released", "requeued", "escalation", "signal_fallbacks"}
    assert REMINDER_PARTS == ("requeued_other", "reminders")
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    urgent_sweep = schedule["alerts.tasks.urgent_sweep_task"]
    assert urgent_sweep["options"]["queue"] == "urgent"
    assert "queue" not in schedule["alerts.tasks.reminders_sweep_task"]["options"]
    # whoever sends it, the urgent sweep is routed to the urgent queue
    assert _queue_of("alerts.tasks.urgent_sweep_task") == "urgent"
    for name in (
        "alerts.tasks.reminders_sweep_task",
        "accounts.tasks.password_reset_send",
        "dashboards.tasks.warm_network_figures_task",
        "alerts.tasks.dispatch_deliveries_task",
    ):
        assert _queue_of(name) == "celery", name
    app.loader.import_default_modules()
    assert {"alerts.tasks.urgent_sweep_task", "alerts.tasks.reminders_sweep_task"} <= set(app.tasks)


def test_the_reminders_sweep_neither_escalates_nor_requeues_urgent_kinds(officer):
    result = sweep(parts=REMINDER_PARTS)
    assert set(result) == {"requeued_other", "reminders"}
    result = sweep(parts=URGENT_PARTS)
    assert "reminders" not in result and "escalation_fired" in result and "requeued" in result


def test_the_compose_file_runs_a_worker_per_queue_and_no_webhook_may_reach_its_services():
    from pathlib import Path

    import yaml

    from alerts.channels.webhook import SERVICE_NAMES

    compose = Path(__file__).resolve().parents[2] / "docker-compose.yml"
    services = yaml.safe_load(compose.read_text())["services"]
    assert "--queues=celery" in services["worker"]["command"]
    assert "--queues=${HRDCASE_URGENT_QUEUE:-urgent}" in services["worker-urgent"]["command"]
    assert set(services) <= SERVICE_NAMES
    # When the cores are all busy, the default worker's container gives way (1024: the rest).
    assert services["worker"]["cpu_shares"] < 1024
    assert all("cpu_shares" not in services[name] for name in ("web", "worker-urgent", "beat"))


def test_a_retry_stays_on_the_urgent_queue():
    """``self.retry`` re-publishes with the message's own exchange and routing key: a batch of
    urgent e-mails retried after a failure goes back to the urgent queue, not the default.
    (A queue name of its own: CI's broker is a real Redis shared by parallel test workers.)"""
    import uuid

    from celery.app.task import Context
    from kombu import Exchange, Queue

    from alerts.tasks import dispatch_notifications_task
    from hrdcase.celery import app

    name = f"urgent-{uuid.uuid4().hex[:8]}"
    request = Context(
        id="retried",
        args=[["a"]],
        kwargs={},
        delivery_info={"exchange": name, "routing_key": name, "priority": None},
        retries=0,
    )
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        Queue(name, Exchange(name), routing_key=name)(channel).declare()
        try:
            retry = dispatch_notifications_task.signature_from_request(request, args=[["a"]])
            retry.apply_async(connection=connection)
            assert channel.queue_declare(queue=name, passive=True).message_count == 1
        finally:
            channel.queue_purge(name)
            channel.queue_delete(name)
