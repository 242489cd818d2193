"""The retention purger of logbooks (``cases.retention``): a purged case keeps its logbook's
shape for the statistics, not its words or documents."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Case
from logbooks.models import Attachment, AttachmentContent, DiplomaticAction, LogEntry


def purge_case(case: Case) -> None:
    """Blank summaries and outcomes, destroy attachment bytes and names. Kinds, dates, types
    and statuses stay for the statistics."""
    # unscoped: retention runs for the owner over every organisation's rows of the case.
    for entry in LogEntry.objects.unscoped().filter(case=case):
        entry.summary = ""
        entry.save(update_fields=["summary"])
    for action in DiplomaticAction.objects.unscoped().filter(case=case):
        action.outcome = ""
        action.save(update_fields=["outcome"])
    attachments = Attachment.objects.unscoped().filter(entry__case=case)
    AttachmentContent.objects.filter(attachment__in=attachments.values("pk")).delete()
    now = timezone.now()
    for attachment in attachments.filter(purged_at__isnull=True):
        attachment.filename = ""
        attachment.purged_at = now
        attachment.save(update_fields=["filename", "purged_at"])
