"""E-mail subjects that no stored value can break.

A newline in a case pseudonym made every alert e-mail about the case fail: the mail library
refuses a line break in a header (header injection guard), the task retried 10 times and
gave up. Names are now checked at input (tests/cases/test_names.py); these tests write the
bad value straight into the database, as a row older than the check would hold it."""

from __future__ import annotations

import pytest
from django.core import mail

from alerts.models import Notification
from alerts.services.dispatch import notification_send
from alerts.services.notify import notify
from cases.models import Case
from tests.alerts.factories import raise_alert

pytestmark = pytest.mark.django_db

#: a line break (with a header an attacker would like to add), a right-to-left override and
#: a paragraph separator.
BAD_PSEUDONYM = "Ceiba\r\nBcc: spy@example.org\u202eabc\u2029x"


def test_an_alert_on_a_case_whose_pseudonym_breaks_lines_is_e_mailed_on_one_line(
    case, officer, admin_user, eager_celery, django_capture_on_commit_callbacks
):
    Case.objects.unscoped().filter(pk=case.pk).update(pseudonym=BAD_PSEUDONYM)
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(case, officer)  # the raiser (lead officer) is not notified

    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    message = mail.outbox[0]
    assert message.subject == (
        "[hrdcase] Urgent alert: Ceiba Bcc: spy@example.org abc x (Detained)"
    )
    assert message.bcc == [] and message.extra_headers == {}
    assert message.message()["Bcc"] is None  # nothing was injected into the headers
    sent = alert.notifications.get()
    assert sent.status == "sent" and sent.last_error == ""
    # The notification centre shows the same single line.
    assert sent.subject == "Urgent alert: Ceiba Bcc: spy@example.org abc x (Detained)"


def test_a_notification_stored_with_a_line_break_is_still_sent(officer):
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due", dedupe_key="e")
    # A row written before subjects were made one line.
    Notification.objects.unscoped().filter(recipient=officer).update(
        subject="Follow-up due: Ceiba\nBcc: spy@example.org"
    )
    note = Notification.objects.for_recipient(officer).get()
    assert notification_send(notification_id=note.pk) is True
    assert mail.outbox[0].subject == "[hrdcase] Follow-up due: Ceiba Bcc: spy@example.org"
    assert "\n" not in mail.outbox[0].body.splitlines()[0]


def test_notify_stores_a_subject_of_one_line_that_fits_its_column(officer):
    (note,) = notify(
        recipients=[officer],
        kind="follow_up",
        subject="Follow-up due:\tCeiba\u2028\u200f" + "x" * 300,
        dedupe_key="long",
    )
    note.refresh_from_db()
    assert note.subject.startswith("Follow-up due: Ceiba x")
    assert len(note.subject) == 200 and note.subject.endswith("\u2026")
