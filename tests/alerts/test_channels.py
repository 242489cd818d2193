"""Channels beyond e-mail (issue 22, item 4): Signal through a signal-cli REST API stand-in
and an organisation's webhook through a receiver that checks the signature, both real HTTP
servers on loopback. Delivery, retry on 5xx, the claim (nothing sent twice), what a message
may carry, and which channels each recipient's choices select."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from alerts.channels.base import ChannelError
from alerts.models import ChannelDelivery, Notification, NotificationPreference, SignalNumber
from alerts.services.channels import webhook_save
from alerts.services.dispatch import (
    MAX_ATTEMPTS,
    delivery_send,
    email_fallback,
    notification_send,
)
from alerts.services.notify import notify
from alerts.services.sweep import sweep
from tests.alerts.channel_servers import signal_server, verify_signature, webhook_receiver
from tests.alerts.factories import raise_alert
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

SECRET = "a-long-random-signing-secret"
SENDER = "+4915100000000"


@pytest.fixture
def signal(settings):
    with signal_server() as server:
        settings.SIGNAL_URL = server.url
        settings.SIGNAL_NUMBER = SENDER
        yield server


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]  # the receiver listens on loopback
    with webhook_receiver(SECRET) as server:
        yield server


def verified(user, number="+573001234567"):
    return SignalNumber.objects.create(user=user, number=number, verified_at=timezone.now())


def hook(admin, receiver, kinds=("alert", "follow_up")):
    return webhook_save(
        organisation=admin.organisation,
        url=f"{receiver.url}/hook",
        secret=SECRET,
        kinds=list(kinds),
        active=True,
        acting_user=admin,
    )


def _deliveries(channel):
    return ChannelDelivery.objects.unscoped().filter(channel=channel)


# --- Signal -----------------------------------------------------------------------------------


def test_it_sends_an_urgent_alert_by_signal_and_e_mail_by_default(signal, org, officer, admin_user):
    verified(officer)
    case = CaseFactory(organisation=org, lead_officer=officer)
    alert = raise_alert(case, admin_user, message="Held at the 5th precinct by Major Ruiz.")
    (delivery,) = _deliveries("signal")
    assert delivery.notification.recipient_id == officer.pk
    assert delivery_send(delivery_id=delivery.pk) is True
    assert delivery_send(delivery_id=delivery.pk) is False  # a redelivered message
    (sent,) = signal.accepted
    assert sent["number"] == SENDER and sent["recipients"] == ["+573001234567"]
    text = sent["message"]
    assert case.pseudonym in text and f"/alerts/{alert.pk}/" in text
    # the recipient's own signed acknowledge / resolve links (H22a's alerts.services.links)
    assert "Acknowledge: http" in text and "Resolve: http" in text and "/alerts/act/" in text
    # never the identity nor the alert's free text
    assert "precinct" not in text and "Ruiz" not in text
    assert case.defender.legal_name not in text
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    # e-mail too: urgent kinds stay e-mailed unless the user turned e-mail off for them
    note = Notification.objects.for_recipient(officer).get(alert=alert, kind="alert")
    assert note.status == "pending"


def test_a_signal_server_answering_5xx_is_retried_then_sent_once(signal, officer):
    from unittest import mock

    from alerts.tasks import dispatch_deliveries_task

    verified(officer)
    notify(recipients=[officer], kind="alert", subject="Urgent alert: Ceiba", dedupe_key="a")
    (delivery,) = _deliveries("signal")
    signal.fail_next = 1
    with mock.patch.object(dispatch_deliveries_task, "retry", side_effect=Retry("later")) as retry:
        dispatch_deliveries_task.apply(args=[[str(delivery.pk)]])
    assert retry.call_args.kwargs["args"] == [[str(delivery.pk)]]  # retried alone, later
    delivery.refresh_from_db()
    assert delivery.status == "pending" and "HTTP 503" in delivery.last_error
    assert signal.accepted == []
    # the retry (or the sweep, a minute later) sends it
    assert dispatch_deliveries_task.apply(args=[[str(delivery.pk)]]).get() == 1
    assert len(signal.accepted) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")


def test_a_signal_delivery_is_given_up_after_the_attempts(signal, officer):
    verified(officer)
    notify(recipients=[officer], kind="alert", subject="Urgent alert: Ceiba", dedupe_key="a")
    (delivery,) = _deliveries("signal")
    ChannelDelivery.objects.unscoped().filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1)
    signal.fail_next = 1
    assert delivery_send(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == "failed"


def _signal_only(user):
    """The member left urgent alerts to Signal alone (e-mail off for them)."""
    verified(user)
    NotificationPreference.objects.create(user=user, email={"alert": False}, signal={"alert": True})


def test_an_urgent_alert_left_to_signal_is_e_mailed_when_signal_fails_for_good(
    signal, officer, django_capture_on_commit_callbacks
):
    from unittest import mock

    _signal_only(officer)
    (note,) = notify(recipients=[officer], kind="alert", subject="Urgent: Ceiba", dedupe_key="a")
    assert note.status == "skipped"  # not e-mailed: Signal carries it
    (delivery,) = _deliveries("signal")
    ChannelDelivery.objects.unscoped().filter(pk=delivery.pk).update(attempts=MAX_ATTEMPTS - 1)
    signal.fail_next, signal.fail_status = 1, 500
    with (
        mock.patch("alerts.tasks.dispatch_notifications_task.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert delivery_send(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "HTTP 500" in delivery.last_error
    note.refresh_from_db()
    assert note.status == "pending"
    # an urgent kind: on the urgent queue
    assert mock.call(args=[[str(note.pk)]], queue="urgent") in apply_async.call_args_list
    assert notification_send(notification_id=note.pk) is True
    (sent,) = mail.outbox
    assert sent.to == [officer.email]


def test_the_sweep_e_mails_an_urgent_alert_whose_signal_delivery_had_failed(
    signal, officer, django_capture_on_commit_callbacks
):
    from unittest import mock

    _signal_only(officer)
    (note,) = notify(recipients=[officer], kind="alert", subject="Urgent: Ceiba", dedupe_key="a")
    # failed before anything reopened its e-mail (a worker gone between the two)
    _deliveries("signal").update(status="failed", attempts=MAX_ATTEMPTS)
    with (
        mock.patch("alerts.tasks.dispatch_notifications_task.apply_async"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = sweep()
    assert result["signal_fallbacks"] == 1
    note.refresh_from_db()
    assert note.status == "pending"
    assert sweep()["signal_fallbacks"] == 0  # once


def _send_signal_then_queued_e_mails(delivery, capture) -> list[str]:
    """Run the Signal delivery; then the e-mails it queued (if any), each message handed
    to the worker twice (a redelivery) and the delivery's own message redelivered too. The
    ids of the notifications queued, on the urgent queue."""
    from unittest import mock

    with (
        mock.patch("alerts.tasks.dispatch_notifications_task.apply_async") as apply_async,
        capture(execute=True),
    ):
        assert delivery_send(delivery_id=delivery.pk) is False
        assert delivery_send(delivery_id=delivery.pk) is False  # redelivered: claimed, done
    queued = []
    for call in apply_async.call_args_list:
        assert call.kwargs["queue"] == "urgent"
        queued += call.kwargs["args"][0]
    for pk in queued * 2:
        notification_send(notification_id=pk)
    return queued


@pytest.mark.parametrize("change", ["removed", "re-entered, not verified yet"])
def test_an_urgent_alert_left_to_signal_is_e_mailed_once_when_the_number_is_gone_at_the_send(
    signal, officer, change, django_capture_on_commit_callbacks
):
    _signal_only(officer)
    (note,) = notify(recipients=[officer], kind="alert", subject="Urgent: Ceiba", dedupe_key="a")
    assert note.status == "skipped"  # not e-mailed: Signal carries it
    if change == "removed":
        SignalNumber.objects.filter(user=officer).delete()
    else:
        number = SignalNumber.objects.get(user=officer)
        number.number, number.verified_at = "+573009999999", None
        number.save()
    (delivery,) = _deliveries("signal")
    queued = _send_signal_then_queued_e_mails(delivery, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == ("skipped", "no destination for this channel")
    assert signal.accepted == []
    assert queued == [str(note.pk)]
    (sent,) = mail.outbox  # once, however often the messages came
    assert sent.to == [officer.email]
    note.refresh_from_db()
    assert (note.status, note.attempts) == ("sent", 1)
    assert sweep()["signal_fallbacks"] == 0 and len(mail.outbox) == 1


def test_an_urgent_alert_left_to_signal_is_e_mailed_once_when_the_worker_has_no_signal_server(
    signal, settings, officer, django_capture_on_commit_callbacks
):
    _signal_only(officer)
    (note,) = notify(recipients=[officer], kind="alert", subject="Urgent: Ceiba", dedupe_key="a")
    assert note.status == "skipped"
    settings.SIGNAL_URL = ""  # HRDCASE_SIGNAL_URL unset on the worker that sends it
    (delivery,) = _deliveries("signal")
    queued = _send_signal_then_queued_e_mails(delivery, django_capture_on_commit_callbacks)
    assert queued == [str(note.pk)] and signal.accepted == []
    (sent,) = mail.outbox
    assert sent.to == [officer.email]
    assert sweep()["signal_fallbacks"] == 0 and len(mail.outbox) == 1


def test_the_sweep_e_mails_an_urgent_alert_whose_signal_delivery_was_skipped_left_behind(
    signal, officer, django_capture_on_commit_callbacks
):
    from unittest import mock

    _signal_only(officer)
    (note,) = notify(recipients=[officer], kind="alert", subject="Urgent: Ceiba", dedupe_key="a")
    # skipped for want of a number, and the worker gone before it reopened the e-mail
    _deliveries("signal").update(status="skipped", last_error="no destination for this channel")
    with (
        mock.patch("alerts.tasks.dispatch_notifications_task.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep()["signal_fallbacks"] == 1
        assert sweep()["signal_fallbacks"] == 0  # once
    assert mock.call(args=[[str(note.pk)]], queue="urgent") in apply_async.call_args_list
    assert notification_send(notification_id=note.pk) is True
    assert notification_send(notification_id=note.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("who", ["member", "organisation"])
def test_no_fallback_reaches_a_deactivated_member(
    signal, org, officer, who, django_capture_on_commit_callbacks
):
    from accounts.models import Organisation, User

    _signal_only(officer)
    (note,) = notify(recipients=[officer], kind="alert", subject="Urgent: Ceiba", dedupe_key="a")
    SignalNumber.objects.filter(user=officer).delete()
    if who == "member":
        User.objects.filter(pk=officer.pk).update(is_active=False)  # no receiver ran
    else:
        Organisation.objects.filter(pk=org.pk).update(is_active=False)
    (delivery,) = _deliveries("signal")
    assert _send_signal_then_queued_e_mails(delivery, django_capture_on_commit_callbacks) == []
    delivery.refresh_from_db()
    assert delivery.status == "skipped" and delivery.last_error.endswith("deactivated")
    # a row skipped for want of a number before the deactivation: the sweep leaves it too
    _deliveries("signal").update(last_error="no destination for this channel")
    assert sweep()["signal_fallbacks"] == 0
    assert email_fallback(notification_id=note.pk) is False  # nor called directly
    note.refresh_from_db()
    assert note.status == "skipped"
    assert mail.outbox == [] and signal.accepted == []


def test_a_non_urgent_kind_left_to_signal_is_not_e_mailed_when_the_number_is_gone(
    signal, officer, django_capture_on_commit_callbacks
):
    verified(officer)
    NotificationPreference.objects.create(
        user=officer, email={"follow_up": False}, signal={"follow_up": True}
    )
    (note,) = notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key="f")
    assert note.status == "skipped"
    SignalNumber.objects.filter(user=officer).delete()
    (delivery,) = _deliveries("signal")
    assert _send_signal_then_queued_e_mails(delivery, django_capture_on_commit_callbacks) == []
    assert sweep()["signal_fallbacks"] == 0
    note.refresh_from_db()
    assert note.status == "skipped" and mail.outbox == []


def test_a_number_removed_before_the_send_sends_nothing(signal, officer):
    verified(officer)
    notify(recipients=[officer], kind="alert", subject="Urgent alert: Ceiba", dedupe_key="a")
    SignalNumber.objects.filter(user=officer).delete()
    (delivery,) = _deliveries("signal")
    assert delivery_send(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == "skipped" and signal.accepted == []


def test_the_sweep_releases_a_dead_workers_signal_claim_and_queues_it_again(
    signal, officer, django_capture_on_commit_callbacks
):
    from unittest import mock

    verified(officer)
    notify(recipients=[officer], kind="alert", subject="Urgent alert: Ceiba", dedupe_key="a")
    (delivery,) = _deliveries("signal")
    long_ago = timezone.now() - timedelta(minutes=10)
    ChannelDelivery.objects.unscoped().filter(pk=delivery.pk).update(
        status="sending", claimed_at=long_ago, attempts=1
    )
    with (
        mock.patch("alerts.tasks.dispatch_deliveries_task.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = sweep()
    assert result["released"] >= 1
    assert mock.call(args=[[str(delivery.pk)]], queue="urgent") in apply_async.call_args_list
    assert delivery_send(delivery_id=delivery.pk) is True
    assert len(signal.accepted) == 1


# --- webhook ----------------------------------------------------------------------------------


def test_the_webhook_gets_one_signed_post_per_event_and_organisation(
    receiver, org, officer, admin_user, viewer
):
    hook(admin_user, receiver)
    case = CaseFactory(organisation=org, lead_officer=officer)
    alert = raise_alert(case, admin_user, message="Taken by men in plain clothes.")
    (delivery,) = _deliveries("webhook")  # one, however many members are notified
    assert delivery_send(delivery_id=delivery.pk) is True
    assert delivery_send(delivery_id=delivery.pk) is False
    (body,) = receiver.accepted
    assert receiver.rejected == []
    assert body["kind"] == "alert" and body["urgent"] is True
    assert body["pseudonym"] == case.pseudonym
    assert body["link"].endswith(f"/alerts/{alert.pk}/")
    assert body["id"] == str(delivery.pk)
    assert receiver.headers[0]["X-Hrdcase-Delivery"] == str(delivery.pk)
    flat = str(body)
    assert "plain clothes" not in flat and case.defender.legal_name not in flat
    assert "/alerts/act/" not in flat  # links bound to one member never go to a tool


def test_the_webhook_is_retried_on_5xx(receiver, admin_user, officer):
    hook(admin_user, receiver)
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due: Ceiba", dedupe_key="f")
    (delivery,) = _deliveries("webhook")
    receiver.fail_next = 2
    for _attempt in range(2):
        with pytest.raises(ChannelError):
            delivery_send(delivery_id=delivery.pk)
    assert delivery_send(delivery_id=delivery.pk) is True
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 3)
    assert len(receiver.accepted) == 1


def test_a_receiver_refuses_a_wrong_secret(receiver, admin_user, officer):
    hooked = hook(admin_user, receiver)
    hooked.secret = "another-secret-of-enough-length"
    hooked.save()
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due: Ceiba", dedupe_key="f")
    (delivery,) = _deliveries("webhook")
    with pytest.raises(ChannelError, match="HTTP 401"):
        delivery_send(delivery_id=delivery.pk)
    assert receiver.accepted == [] and receiver.rejected == ["signature"]


def test_the_signature_is_what_the_docs_say():
    from alerts.channels.webhook import signature, signed_headers

    headers = signed_headers(SECRET, b'{"a":1}', "id-1", now=1_700_000_000)
    assert headers["X-Hrdcase-Timestamp"] == "1700000000"
    assert headers["X-Hrdcase-Signature"] == signature(SECRET, "1700000000", b'{"a":1}')
    fresh = signed_headers(SECRET, b"{}", "id-2")
    assert verify_signature(SECRET, b"{}", fresh) == ""
    assert verify_signature(SECRET, b"{ }", fresh) == "signature"  # the body was changed
    assert verify_signature(SECRET, b'{"a":1}', headers) == "stale"  # an old replay


def test_the_webhook_takes_only_the_kinds_chosen(receiver, admin_user, officer):
    hook(admin_user, receiver, kinds=["alert"])
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due", dedupe_key="f")
    assert not _deliveries("webhook").exists()


# --- e-mail is unchanged --------------------------------------------------------------------


def test_e_mail_still_goes_through_the_email_channel(officer):
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due: Ceiba", dedupe_key="e")
    note = Notification.objects.for_recipient(officer).get()
    assert notification_send(notification_id=note.pk) is True
    assert mail.outbox[0].subject == "[hrdcase] Follow-up due: Ceiba"
    assert not ChannelDelivery.objects.unscoped().exists()  # no Signal, no webhook


# --- channel selection ------------------------------------------------------------------------


def test_signal_reaches_only_a_verified_number(signal, officer):
    SignalNumber.objects.create(user=officer, number="+573001234567")  # not verified
    notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="a")
    assert not _deliveries("signal").exists()


def test_no_signal_while_the_server_is_not_configured(settings, officer):
    settings.SIGNAL_URL = ""
    verified(officer)
    notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="a")
    assert not _deliveries("signal").exists()


def test_signal_follows_the_users_choice_per_kind(signal, officer):
    verified(officer)
    NotificationPreference.objects.create(
        user=officer, signal={"follow_up": True, "alert_escalation": False}
    )
    notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key="f")
    notify(recipients=[officer], kind="alert_escalation", subject="Escalated", dedupe_key="e")
    notify(recipients=[officer], kind="share", subject="Shared", dedupe_key="s")  # default off
    notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="a")  # default on
    kinds = sorted(_deliveries("signal").values_list("notification__kind", flat=True))
    assert kinds == ["alert", "follow_up"]


def test_an_urgent_alert_leaves_e_mail_only_for_a_verified_signal(signal, settings, officer):
    NotificationPreference.objects.create(user=officer, email={"alert": False})
    verified(officer)
    notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="a")
    note = Notification.objects.for_recipient(officer).get()
    assert note.status == "skipped" and _deliveries("signal").count() == 1
    # Signal gone (server unset): the same choice falls back to e-mail, never to nothing
    settings.SIGNAL_URL = ""
    notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="b")
    note = Notification.objects.for_recipient(officer).get(dedupe_key=f"b:{officer.pk}")
    assert note.status == "pending"


def test_in_the_inbox_only_goes_through_no_channel(signal, receiver, admin_user, officer):
    verified(officer)
    hook(admin_user, receiver)
    notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="a", email=False)
    assert not ChannelDelivery.objects.unscoped().exists()


# --- health -----------------------------------------------------------------------------------


def test_the_health_page_shows_each_channel(signal, receiver, org, officer, admin_user):
    from django.urls import reverse

    from alerts.admin import channel_health
    from tests.conftest import verified_client
    from tests.factories import UserFactory

    verified(officer)
    hook(admin_user, receiver)
    case = CaseFactory(organisation=org, lead_officer=officer)
    raise_alert(case, admin_user)
    (signal_delivery,) = _deliveries("signal")
    assert delivery_send(delivery_id=signal_delivery.pk) is True
    (webhook_delivery,) = _deliveries("webhook")
    ChannelDelivery.objects.unscoped().filter(pk=webhook_delivery.pk).update(status="failed")
    rows = {row["name"]: row for row in channel_health(timezone.now())}
    assert (rows["signal"]["sent"], rows["signal"]["pending"]) == (1, 0)
    assert (rows["signal"]["waiting"], rows["signal"]["oldest_pending_age"]) == (0, None)
    assert rows["webhook"]["failed"] == 1
    assert (rows["webhook"]["pending"], rows["webhook"]["oldest_pending_age"]) == (0, None)
    assert rows["email"]["pending"] >= 1 and rows["email"]["oldest_pending_age"] is not None
    staff = UserFactory(is_staff=True, is_superuser=True, organisation=None)
    page = verified_client(staff).get(reverse("admin:alerts_pipelinestate_changelist"))
    body = page.content.decode()
    assert page.status_code == 200 and "Per channel" in body
    assert "Signal" in body and "Webhook" in body and "E-mail" in body
    assert case.pseudonym not in body


def test_the_health_page_counts_per_channel_what_waits_for_quiet_hours_and_the_oldest_due(
    signal, receiver, officer, admin_user
):
    """A non-urgent kind written in the member's quiet hours waits by e-mail and by Signal
    (counted apart, and left out of the oldest pending age); the webhook does not wait."""
    from unittest import mock
    from zoneinfo import ZoneInfo

    from django.urls import reverse

    from alerts.admin import channel_health
    from alerts.services.preferences import notification_preferences_save
    from tests.conftest import verified_client
    from tests.factories import UserFactory

    now = timezone.now().replace(microsecond=0)
    officer.time_zone = "America/Bogota"
    officer.save(update_fields=["time_zone"])
    local = now.astimezone(ZoneInfo("America/Bogota"))
    quiet = tuple((local + timedelta(hours=h)).time().replace(second=0) for h in (-3, 3))
    verified(officer)
    notification_preferences_save(
        user=officer, email={}, signal={"follow_up": True}, quiet=quiet, acting_user=officer
    )
    hook(admin_user, receiver)  # alert, follow_up
    with mock.patch("django.utils.timezone.now", return_value=now - timedelta(minutes=90)):
        notify(recipients=[officer], kind="follow_up", subject="Due", dedupe_key="f")  # waits
    with mock.patch("django.utils.timezone.now", return_value=now - timedelta(minutes=50)):
        notify(recipients=[officer], kind="alert", subject="Urgent", dedupe_key="a")  # does not
    (waiting,) = _deliveries("signal").filter(deliver_after__gt=now)
    assert waiting.notification.kind == "follow_up"

    rows = {row["name"]: row for row in channel_health(now)}
    for name in ("email", "signal"):
        assert (rows[name]["pending"], rows[name]["waiting"]) == (2, 1), name
        # the follow-up, older, waits on purpose: the oldest *due* one is the alert's
        assert rows[name]["oldest_pending_age"] == timedelta(minutes=50), name
    assert (rows["webhook"]["pending"], rows["webhook"]["waiting"]) == (2, 0)
    assert rows["webhook"]["oldest_pending_age"] == timedelta(minutes=90)

    staff = UserFactory(is_staff=True, is_superuser=True, organisation=None)
    page = verified_client(staff).get(reverse("admin:alerts_pipelinestate_changelist"))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("1 waiting for quiet hours") == 2  # e-mail and Signal, not the webhook


def test_a_webhook_into_the_platforms_own_network_is_refused(
    settings, receiver, admin_user, officer
):
    from django.core.exceptions import ValidationError

    hook(admin_user, receiver)  # set while local relays were allowed (the tests' loopback)
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError, match="private network"):
        webhook_save(
            organisation=admin_user.organisation,
            url="https://169.254.169.254/latest/meta-data/",
            secret=SECRET,
            kinds=["alert"],
            active=True,
            acting_user=admin_user,
        )
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due", dedupe_key="f")
    (delivery,) = _deliveries("webhook")
    with pytest.raises(ChannelError, match="internal address"):
        delivery_send(delivery_id=delivery.pk)
    assert receiver.accepted == []


def test_allowing_http_does_not_open_the_platforms_own_network(
    settings, receiver, admin_user, officer
):
    from django.core.exceptions import ValidationError

    hook(admin_user, receiver)  # saved while loopback was allow-listed
    settings.WEBHOOK_ALLOWED_HOSTS = []  # HRDCASE_WEBHOOK_ALLOW_HTTP alone: the scheme only
    with pytest.raises(ValidationError, match="private network"):
        hook(admin_user, receiver)
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due", dedupe_key="f")
    (delivery,) = _deliveries("webhook")
    with pytest.raises(ChannelError, match="internal address"):
        delivery_send(delivery_id=delivery.pk)
    assert receiver.accepted == []


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/x", "http://redis:6379/"],
)
def test_link_local_and_the_compose_services_are_refused_even_allow_listed(
    settings, admin_user, url
):
    from urllib.parse import urlparse

    from django.core.exceptions import ValidationError

    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_HOSTS = [urlparse(url).hostname]
    with pytest.raises(ValidationError, match="private network"):
        webhook_save(
            organisation=admin_user.organisation,
            url=url,
            secret=SECRET,
            kinds=["alert"],
            active=True,
            acting_user=admin_user,
        )


def test_a_webhook_connects_to_the_address_it_checked_not_a_second_lookup(
    settings, receiver, admin_user, officer
):
    """DNS rebinding: the name resolves to a public address when checked, then to loopback.
    The post goes to the public address checked (here refused by the test's network), never
    to the loopback receiver, and the name is resolved once."""
    import socket
    from unittest import mock

    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.create_connection
    port = int(receiver.url.rsplit(":", 1)[1])
    lookups, connected = [], []

    def rebinding(host, *args, **kwargs):
        if host != "hook.example":
            return real_getaddrinfo(host, *args, **kwargs)
        lookups.append(host)
        ip = "93.184.216.34" if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    def connect(address, *args, **kwargs):
        connected.append(address[0])
        if address[0] == "93.184.216.34":
            raise ConnectionRefusedError("not in the test's network")
        return real_connect(address, *args, **kwargs)

    from alerts.models import OrganisationWebhook

    hook(admin_user, receiver)
    OrganisationWebhook.objects.unscoped().update(url=f"http://hook.example:{port}/hook")
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due", dedupe_key="f")
    (delivery,) = _deliveries("webhook")
    with (
        mock.patch("socket.getaddrinfo", rebinding),
        mock.patch("socket.create_connection", connect),
        pytest.raises(ChannelError, match=r"reaching hook\.example"),
    ):
        delivery_send(delivery_id=delivery.pk)
    assert receiver.accepted == []
    assert lookups == ["hook.example"]
    assert connected == ["93.184.216.34"]


def test_an_alert_e_mail_carries_the_recipients_action_links(org, officer, admin_user):
    case = CaseFactory(organisation=org, lead_officer=officer)
    alert = raise_alert(case, admin_user)
    note = Notification.objects.for_recipient(officer).get(alert=alert, kind="alert")
    assert notification_send(notification_id=note.pk) is True
    (sent,) = mail.outbox
    assert "Acknowledge: http" in sent.body and "/alerts/act/" in sent.body
