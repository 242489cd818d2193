"""The form attaching a document to an entry."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from logbooks.files import ACCEPT_ATTRIBUTE


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach a document"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is a setting (HRDCASE_ATTACHMENT_MAX_MB): say the one in force.
        self.fields["file"].help_text = _(
            "PDF, JPEG, PNG, plain text, ODT or DOCX, at most %(size)s MB. Stored encrypted; "
            "the type is checked from the content, not the name."
        ) % {"size": settings.LOGBOOKS_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
