"""Models that exercise hrdcase primitives in tests."""

import uuid

from django.db import models

from hrdcase.fields import EncryptedTextField


class Secret(models.Model):
    """A row with two encrypted columns, to test binding to the row *and* the column."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=50, blank=True)
    secret = EncryptedTextField(max_length=200)
    note = EncryptedTextField(blank=True, null=True)

    def __str__(self) -> str:
        return self.label


# --- tenancy ---------------------------------------------------------------------------------
from hrdcase.tenancy import TenantModel  # noqa: E402


class Note(TenantModel):
    """A tenant-owned row, to test the fail-closed manager and the access helper."""

    title = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.title


class NoteComment(TenantModel):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="comments")
    text = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.text
