"""Housekeeping run by beat."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import Invitation


@shared_task(name="accounts.tasks.clear_expired")
def clear_expired() -> dict[str, int]:
    """Drop expired sessions and unused expired invitation links (idempotent)."""
    sessions, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    invitations, _ = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lt=timezone.now()
    ).delete()
    return {"sessions": sessions, "invitations": invitations}
