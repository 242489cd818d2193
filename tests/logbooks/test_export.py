"""Briefing export: only what the user may see, redacted by default, identity only on request
and with identity access (and then logged), audited, CSV formula injection neutralised."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import CaseAccessLog
from hrdcase.models import AuditEvent
from tests.conftest import verified_client
from tests.logbooks.factories import demarche, followed_case, log

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(db):
    return followed_case()


def _export(user, case, **data):
    return verified_client(user).post(reverse("logbooks:export", args=[case.pk]), data)


def test_the_pdf_briefing_is_a_pdf_and_redacted_by_default(followed):
    response = _export(followed.owner, followed.case, format="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    csv = _export(followed.owner, followed.case, format="csv").content.decode("utf-8-sig")
    assert followed.case.pseudonym in csv
    assert followed.case.defender.legal_name not in csv
    assert not CaseAccessLog.objects.unscoped().filter(part="identity").exists()


def test_identity_only_when_asked_and_allowed_and_then_logged(followed):
    name = followed.case.defender.legal_name
    owner = _export(followed.owner, followed.case, format="csv", include_identity="on")
    assert name in owner.content.decode("utf-8-sig")
    log_row = CaseAccessLog.objects.unscoped().get(part="identity")
    assert log_row.user == followed.owner
    # a feedback partner may not see the identity: the tick is ignored
    feedback = _export(followed.feedback, followed.case, format="csv", include_identity="on")
    assert name not in feedback.content.decode("utf-8-sig")
    assert CaseAccessLog.objects.unscoped().filter(part="identity").count() == 1


def test_the_export_is_audited_with_format_redaction_and_counts(followed):
    demarche(followed.case, followed.owner)
    _export(followed.full, followed.case, format="csv")
    event = AuditEvent.objects.get(action="logbooks.export")
    assert event.actor_id == followed.full.pk
    assert event.data == {"format": "csv", "redacted": True, "entries": 3, "actions": 1}


def test_unshared_outcomes_stay_out_of_a_partner_s_export(followed):
    demarche(followed.case, followed.owner, outcome="SECRET-OUTCOME")
    csv = _export(followed.full, followed.case, format="csv").content.decode("utf-8-sig")
    assert "Ministry of Foreign Affairs" in csv
    assert "SECRET-OUTCOME" not in csv
    pdf = _export(followed.full, followed.case, format="pdf").content
    assert b"SECRET-OUTCOME" not in pdf


def test_csv_neutralises_formula_injection(followed):
    log(followed.case, followed.owner, summary='=HYPERLINK("http://evil","x")')
    log(followed.case, followed.owner, summary="+1+1")
    csv = _export(followed.owner, followed.case, format="csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'+1+1" in csv
    assert "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv


@pytest.mark.parametrize(
    "summary", ['=HYPERLINK("http://evil","x")', "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_every_formula_start_is_quoted_in_the_csv(followed, summary):
    import csv
    import io

    # The summary is stored stripped ("\t=1" as "=1"): still a formula start, still quoted.
    stored = log(followed.case, followed.owner, summary=summary).summary
    body = _export(followed.owner, followed.case, format="csv").content.decode("utf-8-sig")
    texts = [row[-1] for row in csv.reader(io.StringIO(body, newline="")) if row[0] == "entry"]
    assert "'" + stored in texts
    assert stored not in texts


def test_the_form_offers_identity_only_to_those_who_may_see_it(followed):
    url = reverse("logbooks:export", args=[followed.case.pk])
    assert "include_identity" in verified_client(followed.owner).get(url).content.decode()
    assert "include_identity" not in verified_client(followed.feedback).get(url).content.decode()
