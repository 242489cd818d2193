"""Housekeeping run by beat, and the password reset e-mail sent off the request."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone, translation
from knox.models import AuthToken

from accounts.models import Invitation


@shared_task(name="accounts.tasks.clear_expired")
def clear_expired() -> dict[str, int]:
    """Drop expired sessions, unused expired invitation links and expired API tokens
    (idempotent; an expired token is refused anyway, and deleted when presented)."""
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    invitations, _ = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lt=now
    ).delete()
    tokens, _ = AuthToken.objects.filter(expiry__lt=now).delete()
    return {"sessions": sessions, "invitations": invitations, "tokens": tokens}


@shared_task(name="accounts.tasks.password_reset_send")
def password_reset_send(email: str, language: str) -> None:
    """The reset e-mail of ``email``'s account, if any, in the language of the page that asked
    (``accounts.forms.ResetRequestForm``: the page answers before anything is looked up)."""
    from accounts.forms import ResetRequestForm

    form = ResetRequestForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.send_now()
