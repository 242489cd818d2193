"""What the defender agreed to (do no harm): the service layer refuses what it does not cover."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import TenantModel

#: a consent's revocation note: refused beyond, never cut.
REVOCATION_NOTE_MAX_LENGTH = 2000


class Consent(TenantModel):
    class Scope(models.TextChoices):
        SHARE_ORGANISATION = "share_organisation", _("Share the case with a named organisation")
        SHARE_NETWORK = "share_network", _("Share the case within a protection network")
        PUBLIC_ACTION = "public_action", _("Public action (statements, public visits)")
        RELOCATION = "relocation", _("Relocation support")
        CONTACT_CHANNEL = "contact_channel", _("Contact through a channel")

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone or video call")
        SECURE_MESSAGE = "secure_message", _("By secure message")
        WRITTEN = "written", _("In writing (signed)")
        THROUGH_NGO = "through_ngo", _("Through the NGO that follows the defender")
        REPRESENTATIVE = "representative", _("Through a lawyer or family member")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("what the defender agreed to"), max_length=20, choices=Scope.choices)
    partner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("For sharing with a named organisation."),
    )
    network = models.ForeignKey(
        "accounts.ProtectionNetwork",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("protection network"),
        help_text=_("For sharing within a protection network."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=200,
        blank=True,
        help_text=_("For contact: which channel, e.g. Signal."),
    )
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how it was obtained"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_note = models.TextField(
        _("why it was revoked"), blank=True, max_length=REVOCATION_NOTE_MAX_LENGTH
    )

    class Meta:
        ordering = ["-given_on", "-created_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="share_organisation") | Q(partner__isnull=False),
                name="consent_share_names_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(scope="share_network") | Q(network__isnull=False),
                name="consent_share_names_network",
            ),
        ]

    def __str__(self) -> str:
        target = self.partner or self.network or self.channel
        return f"{self.get_scope_display()}{f' ({target})' if target else ''}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
