"""The retention purger of logbooks: what a purged case keeps (the shape) and loses (words,
documents)."""

from __future__ import annotations

import pytest

from cases.registries.purgers import registered_purgers
from logbooks.models import Attachment, AttachmentContent, DiplomaticAction, LogEntry
from logbooks.services.attachments import attachment_add
from tests.logbooks.factories import demarche, log

pytestmark = pytest.mark.django_db


def test_the_purger_blanks_summaries_outcomes_and_destroys_attachments(case, officer):
    entry = log(case, officer, summary="Sensitive narrative")
    attachment_add(entry=entry, filename="name.pdf", data=b"%PDF-1.4 x", acting_user=officer)
    demarche(case, officer, outcome="Sensitive outcome")
    registered_purgers()["logbooks"](case)
    registered_purgers()["logbooks"](case)  # idempotent
    assert LogEntry.objects.unscoped().get(pk=entry.pk).summary == ""
    assert DiplomaticAction.objects.unscoped().get(case=case).outcome == ""
    assert not AttachmentContent.objects.exists()
    purged = Attachment.objects.unscoped().get()
    assert purged.filename == "" and purged.purged_at is not None
