"""A user's private calendar feed: the secret URL a calendar application subscribes to.

Only the SHA-256 of the token is stored, as for the accounts' invitation links: the raw token
is shown once, when the feed is created, and a copy of the database opens no feed. A feed
answers while it is not revoked, its user is active in an organisation in force, and the
user has not been signed out everywhere since it was made (``session_generation``: a
deactivation, a change of organisation and "sign out everywhere" all bump it), so whatever
ends a user's sessions ends their feed too (DESIGN.md, "When access ends").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import TenantModel


class CalendarFeed(TenantModel):
    """``organisation`` is the user's when the feed was made: a feed never follows its user
    into another organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    #: the user's ``session_generation`` when the feed was made (see the module docstring).
    session_generation = models.PositiveIntegerField(editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            # One live feed per user: making a new one revokes the old one.
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
