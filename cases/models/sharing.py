"""Shares between organisations, who viewed what, and coordination requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet, member_in_force


class _BetweenTwoQuerySet(TenantQuerySet):
    """Rows two organisations both see: ``organisation`` and the one named by ``other``."""

    other = ""

    def visible_to(self, user):
        if not member_in_force(user):
            return self.none()._mark_scoped()
        org = user.organisation_id
        return self.filter(Q(organisation_id=org) | Q(**{f"{self.other}_id": org}))._mark_scoped()


def live_condition(now=None) -> Q:
    """A share that opens the case now: active and not past its expiry (``CaseShare.is_active``
    as SQL). The beat sweep only tidies expired shares up; every read checks the expiry."""
    now = now or timezone.now()
    return Q(status=CaseShare.Status.ACTIVE) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class CaseShareQuerySet(_BetweenTwoQuerySet):
    other = "partner"

    def live(self, now=None):
        """Shares that open the case now (``live_condition``)."""
        return self.filter(live_condition(now))

    def lapsed(self, now=None):
        """Shares still marked active whose expiry has passed (the sweep has not run yet):
        their permission rows must not open anything."""
        now = now or timezone.now()
        return self.filter(status=CaseShare.Status.ACTIVE, expires_at__lte=now)


class CoordinationRequestQuerySet(_BetweenTwoQuerySet):
    other = "holder"


class CaseShare(TenantModel):
    """The owner organisation (``organisation``) shares a case with ``partner`` at a level.
    While active, the level's object permissions are granted to the partner's group."""

    class Level(models.TextChoices):
        FULL = "full", _("Full: identity, risk, shared logbook; may add entries and referrals")
        FEEDBACK = (
            "feedback",
            _("Feedback: pseudonym, status, shared entries; may add shared entries"),
        )
        RELOCATION = "relocation", _("Relocation: only the referrals addressed to the organisation")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended (consent no longer covers it)")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    class EndReason(models.TextChoices):
        """Why a share ended: both sides are told, in these words."""

        REVOKED = "revoked", _("revoked by the case owner")
        REPLACED = "replaced", _("replaced by a share at another level")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("the defender withdrew the consent")
        NETWORK_LEFT = "network_left", _("the partner left the protection network")
        EXPIRED = "expired", _("the share expired")
        PARTNER_DEACTIVATED = "partner_deactivated", _("the partner organisation was deactivated")
        PURGED = "purged", _("the case was purged under the retention policy")
        DECLINED = "declined", _("declined by the partner")
        LEFT = "left", _("left by the partner")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shared with"),
    )
    level = models.CharField(_("access level"), max_length=12, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    reason = models.TextField(
        _("reason"), max_length=2000, help_text=_("Why this organisation needs this access.")
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(
        _("why it ended"), max_length=20, choices=EndReason.choices, blank=True
    )
    # A share opens the case at once (an emergency cannot wait for the partner); accepting
    # it says the partner took it on, and takes it off the partner's "shares to accept".
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TenantManager.from_queryset(CaseShareQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case share")
        verbose_name_plural = _("case shares")
        constraints = [
            # One live share per partner: changing the level replaces it.
            models.UniqueConstraint(
                fields=["case", "partner"],
                condition=Q(status="active"),
                name="one_active_share_per_partner",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="share_expiry"),
            # A partner's lapsed shares, excluded from what its permission rows open.
            models.Index(fields=["partner", "status", "expires_at"], name="share_partner_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} -> {self.partner_id} ({self.level}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class CaseAccessLog(TenantModel):
    """ "Who viewed this case": reads of identity and other sensitive parts, shown to the
    owner organisation. ``organisation`` is the case owner's (whose log it is); ``viewer_
    organisation`` is who looked."""

    class Part(models.TextChoices):
        IDENTITY = "identity", _("Identity")
        SUMMARY = "summary", _("Summary")
        RISK = "risk", _("Risk assessment")
        FILE = "file", _("Case file")
        EXPORT = "export", _("Export")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewer_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    part = models.CharField(max_length=10, choices=Part.choices)
    break_glass = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "-at"], name="case_access_log_recent")]


class CoordinationRequest(TenantModel):
    """One organisation asks another, which perhaps follows the same defender, to coordinate.
    ``organisation`` is the requester; ``case`` is the *holder's* case, which the requester
    never sees until the holder shares it. The holder sees the requester's organisation and
    message, nothing else."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        SHARED = "shared", _("Answered: case shared")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="coordination_requests"
    )
    requester_case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="coordination_requests_sent"
    )
    holder = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = EncryptedTextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager.from_queryset(CoordinationRequestQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "requester_case"],
                condition=Q(status="open"),
                name="one_open_request_per_pair",
            )
        ]


class DuplicateHintCheck(TenantModel):
    """One "does another organisation follow this defender?" check, made when a member of the
    owner opened the case page (``organisation`` is theirs). The hint is an oracle: an officer
    who registers or renames a defender learns whether a person of that name is protected
    somewhere. So a check is made at most once a day per case and name, the checks of a name
    the organisation never checked before ("first" checks) are limited per user and day,
    every hint shown is audited (``case.duplicate_hint``), and the organisation's admins see
    per user how many checks and hints each one triggered."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    # The blind index checked: a renamed defender is a new name.
    name_index = models.CharField(max_length=16)
    first = models.BooleanField(help_text="No earlier check of this case under this name.")
    matched = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["user", "-at"], name="hint_check_user_recent"),
            models.Index(fields=["case", "name_index", "-at"], name="hint_check_case_recent"),
        ]
