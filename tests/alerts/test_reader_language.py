"""Notifications in the reader's language (hrdcase.later): a subject is written when it is
read, once per recipient's language and time zone, whoever acted and in whatever language
(or none: the beat sweep); the e-mail is written in the recipient's language too."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Role
from alerts.models import Notification
from alerts.services.notify import notify
from alerts.services.sweep import sweep
from hrdcase.later import label, later, later_date
from tests.alerts.factories import raise_alert
from tests.factories import CaseFactory, RiskAssessmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _subject(user) -> str:
    return Notification.objects.for_recipient(user).get().subject


def test_an_alert_reaches_each_recipient_in_their_language(case, officer, admin_user):
    officer.language = "fr"
    officer.save(update_fields=["language"])
    admin_user.language = "ar"
    admin_user.save(update_fields=["language"])
    raiser = UserFactory(organisation=case.organisation, role=Role.OFFICER, language="es")
    with translation.override("es"):  # the raiser's own language is nobody else's
        raise_alert(case, raiser, kind="detained")
    assert _subject(officer) == f"Alerte urgente : {case.pseudonym} (Détenu)"
    assert _subject(admin_user) == f"تنبيه عاجل: {case.pseudonym} (احتُجز)"


def test_a_reminder_of_the_sweep_is_in_the_recipient_s_language(org, officer):
    officer.language = "ar"
    officer.save(update_fields=["language"])
    english = UserFactory(organisation=org, role=Role.OFFICER)
    reviewed = CaseFactory(organisation=org, lead_officer=officer)
    other = CaseFactory(organisation=org, lead_officer=english)
    for case in (reviewed, other):
        RiskAssessmentFactory(case=case, next_review_date=timezone.localdate())
    with translation.override("fr"):  # whatever language the worker happens to run in
        sweep()
    notes = Notification.objects.unscoped().filter(kind="risk_review")
    assert {n.recipient_id: n.subject for n in notes} == {
        officer.pk: f"مراجعة المخاطر مستحقة: {reviewed.pseudonym}",
        english.pk: f"Risk review due: {other.pseudonym}",
    }


def test_dates_are_written_in_the_reader_s_format_and_time_zone(org, officer):
    officer.language = "fr"
    officer.time_zone = "America/Bogota"
    officer.save(update_fields=["language", "time_zone"])
    # 02:30 UTC on 17 March is still 16 March in Bogotá
    due = datetime.datetime(2026, 3, 17, 2, 30, tzinfo=datetime.UTC)
    from relocation.selectors.deadlines import later_due

    notify(
        recipients=[officer],
        kind="follow_up",
        subject=later("%(day)s / %(due)s", day=later_date(due.date()), due=later_due(due)),
        dedupe_key="dates",
    )
    in_bogota = due.astimezone(zoneinfo.ZoneInfo("America/Bogota"))
    with translation.override("fr"):
        expected = f"{date_format(due.date())} / {date_format(in_bogota, 'DATETIME_FORMAT')}"
    assert _subject(officer) == expected
    assert "mars" in expected and "21:30" in expected and "17 mars" not in expected.split("/")[1]


def test_the_email_is_written_in_the_recipient_s_language(
    case, officer, admin_user, eager_celery, django_capture_on_commit_callbacks
):
    officer.language = "fr"
    officer.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        raise_alert(case, admin_user)
    [email] = mail.outbox
    assert email.to == [officer.email]
    assert "Ouvrez hrdcase pour voir les détails" in email.body
    assert email.subject.startswith("[hrdcase] Alerte urgente : ")


def test_a_plain_subject_is_stored_as_given(org, officer):
    officer.language = "fr"
    officer.save(update_fields=["language"])
    notify(recipients=[officer], kind="follow_up", subject="Follow-up due: Ceiba", dedupe_key="p")
    assert _subject(officer) == "Follow-up due: Ceiba"


def test_a_choice_label_waits_for_the_reader(case):
    from alerts.models import Alert

    alert = Alert(kind="detained")
    lazy_label = label(alert, "kind")
    with translation.override("fr"):
        french = str(lazy_label)
    with translation.override("en"):
        assert str(lazy_label) == "Detained" and french != "Detained"
