"""A Signal number is used only once verified: a code sent through Signal (the stand-in
server on loopback records it), entered within its life, with a few attempts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alerts.models import NotificationPreference, SignalNumber
from alerts.selectors.channels import verified_signal_users
from alerts.services.channels import (
    signal_number_remove,
    signal_number_start,
    signal_number_verify,
)
from alerts.services.preferences import notification_preferences_save
from hrdcase.models import AuditEvent
from tests.alerts.channel_servers import signal_server

pytestmark = pytest.mark.django_db

NUMBER = "+57 300 123-4567"


@pytest.fixture
def signal(settings):
    with signal_server() as server:
        settings.SIGNAL_URL = server.url
        settings.SIGNAL_NUMBER = "+4915100000000"
        yield server


def _start(user, signal) -> str:
    signal_number_start(user=user, number=NUMBER, acting_user=user)
    (sent,) = signal.accepted[-1:]
    assert sent["recipients"] == ["+573001234567"]
    return re.search(r"\b(\d{6})\b", sent["message"]).group(1)


def test_it_verifies_a_number_with_the_code_sent_through_signal(signal, officer):
    code = _start(officer, signal)
    row = SignalNumber.objects.get(user=officer)
    assert not row.is_verified and code not in row.code_hash  # only a hash is kept
    assert officer.pk not in verified_signal_users([officer.pk])
    signal_number_verify(user=officer, code=code, acting_user=officer)
    assert SignalNumber.objects.get(user=officer).is_verified
    assert verified_signal_users([officer.pk]) == {officer.pk}
    assert AuditEvent.objects.filter(action="alerts.signal_number_verified").count() == 1
    # the code is single-use
    with pytest.raises(ValidationError, match="No code is waiting"):
        signal_number_verify(user=officer, code=code, acting_user=officer)


def test_a_wrong_code_counts_and_the_last_attempt_voids_it(signal, officer, settings):
    settings.SIGNAL_CODE_ATTEMPTS = 3
    code = _start(officer, signal)
    wrong = "000000" if code != "000000" else "111111"
    for left in (2, 1):
        with pytest.raises(ValidationError, match=f"{left} attempts? left"):
            signal_number_verify(user=officer, code=wrong, acting_user=officer)
    with pytest.raises(ValidationError, match="no attempt left"):
        signal_number_verify(user=officer, code=wrong, acting_user=officer)
    # even the right code no longer works: ask for a new one
    with pytest.raises(ValidationError, match="No code is waiting"):
        signal_number_verify(user=officer, code=code, acting_user=officer)
    assert not SignalNumber.objects.get(user=officer).is_verified


def test_an_expired_code_is_refused(signal, officer):
    code = _start(officer, signal)
    SignalNumber.objects.filter(user=officer).update(
        code_expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        signal_number_verify(user=officer, code=code, acting_user=officer)
    assert not SignalNumber.objects.get(user=officer).is_verified


def test_codes_are_not_sent_more_than_once_a_minute(signal, officer):
    _start(officer, signal)
    with pytest.raises(ValidationError, match="wait a minute"):
        signal_number_start(user=officer, number=NUMBER, acting_user=officer)
    assert len(signal.accepted) == 1


def test_it_refuses_a_number_without_country_code_or_another_users_number(signal, officer, viewer):
    with pytest.raises(ValidationError, match="country code"):
        signal_number_start(user=officer, number="3001234567", acting_user=officer)
    with pytest.raises(ValidationError, match="Only you"):
        signal_number_start(user=officer, number=NUMBER, acting_user=viewer)
    assert signal.accepted == []


def test_a_server_that_fails_leaves_no_code_waiting(signal, officer):
    signal.fail_next = 1
    with pytest.raises(ValidationError, match="could not be sent"):
        signal_number_start(user=officer, number=NUMBER, acting_user=officer)
    assert SignalNumber.objects.get(user=officer).code_hash == ""
    _start(officer, signal)  # and one may ask again at once


def test_without_a_server_there_is_no_signal(settings, officer):
    settings.SIGNAL_URL = ""
    with pytest.raises(ValidationError, match="not set up"):
        signal_number_start(user=officer, number=NUMBER, acting_user=officer)


def test_a_changed_number_is_verified_again(signal, officer):
    signal_number_verify(user=officer, code=_start(officer, signal), acting_user=officer)
    SignalNumber.objects.filter(user=officer).update(code_sent_at=None)
    signal_number_start(user=officer, number="+573009999999", acting_user=officer)
    assert not SignalNumber.objects.get(user=officer).is_verified


# --- urgent alerts always reach a channel ---------------------------------------------------


def test_urgent_e_mail_goes_off_only_with_a_verified_signal(signal, officer):
    with pytest.raises(ValidationError, match="urgent alerts always reach you"):
        notification_preferences_save(user=officer, email={"alert": False}, acting_user=officer)
    with pytest.raises(ValidationError, match="Verify your Signal number"):
        notification_preferences_save(
            user=officer, email={}, signal={"alert": True}, acting_user=officer
        )
    signal_number_verify(user=officer, code=_start(officer, signal), acting_user=officer)
    # Signal on for the kind (its default for urgent kinds): e-mail may go off
    notification_preferences_save(user=officer, email={"alert": False}, acting_user=officer)
    # but not Signal off and e-mail off together
    with pytest.raises(ValidationError, match="urgent alerts always reach you"):
        notification_preferences_save(
            user=officer, email={"alert": False}, signal={"alert": False}, acting_user=officer
        )
    # removing the number brings the urgent e-mail back
    signal_number_remove(user=officer, acting_user=officer)
    assert "alert" not in NotificationPreference.objects.get(user=officer).email
