"""Writes and audited reads of an entry's documents: the bytes are checked by their content
and sealed to their row (``logbooks.files``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict
from logbooks import files
from logbooks.access import require_log_write, require_own
from logbooks.models import Attachment, AttachmentContent, LogEntry

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def attachment_add(*, entry: LogEntry, filename: str, data: bytes, acting_user: User) -> Attachment:
    require_own(entry, acting_user)
    require_log_write(case=entry.case, acting_user=acting_user)
    if not entry.is_current:
        raise StateConflict(_("Attach files to the current version of the entry."), allowed=[])
    checked = files.check_upload(filename=filename, data=data)
    attachment = Attachment(
        organisation_id=entry.organisation_id,
        entry=entry,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=checked.sha256,
        uploaded_by=acting_user,
    )
    attachment.save()
    kid, nonce, sealed = files.seal(
        attachment_pk=attachment.pk, sha256=checked.sha256, data=checked.data
    )
    AttachmentContent.objects.create(
        attachment=attachment, key_id=kid, nonce=nonce, ciphertext=sealed
    )
    audit_record(
        action="logbooks.attachment_add",
        actor=acting_user,
        target=attachment,
        data={
            "entry": str(entry.pk),
            "content_type": checked.content_type,
            "size": len(checked.data),
        },
    )
    return attachment


def attachment_read(*, attachment: Attachment, acting_user: User, ip: str | None = None) -> bytes:
    """The decrypted bytes, for a user who reached ``attachment`` through ``visible_to``;
    every download is audited."""
    if attachment.purged_at is not None:
        raise Http404
    content = AttachmentContent.objects.filter(attachment=attachment).first()
    if content is None:
        raise Http404
    data = files.open_sealed(
        attachment_pk=attachment.pk,
        sha256=attachment.sha256,
        kid=content.key_id,
        nonce=content.nonce,
        ciphertext=content.ciphertext,
    )
    audit_record(
        action="logbooks.attachment_download",
        actor=acting_user,
        target=attachment,
        ip=ip,
        data={"entry": str(attachment.entry_id), "size": attachment.size},
    )
    return data
