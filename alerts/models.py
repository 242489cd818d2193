"""Urgent alerts, their escalation policies, check-in schedules and the notification outbox.

A ``Notification`` row is the in-app notification (``read_at``) and the e-mail job
(``status``) at once. It is written in the same transaction as what it announces, and
dispatched after commit; the beat sweep re-queues rows left pending, so a lost broker
message only delays delivery (docs/alerts.md).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet, member_in_force

if TYPE_CHECKING:
    from accounts.models import User

#: the case-file part a viewer must hold to see a case's alerts: owners and ``full`` partners.
FULL_LEVEL_PERMISSION = "view_case_identity"
#: what a partner must hold to raise an urgent alert on a case it follows (``feedback``
#: and ``full`` shares; issue 21): it reaches the owner's chain.
PARTNER_LEVEL_PERMISSION = "view_case"

#: An alert not resolved yet (raised or acknowledged). The open-alert reads filter with it
#: and the partial indexes below are built on it: PostgreSQL uses a partial index only when
#: it can prove the query's condition implies the index's, so both say it the same way.
UNRESOLVED = ~Q(status="resolved")


def _visible_through_cases(
    queryset: models.QuerySet, user: User, where: Q | None = None
) -> models.QuerySet:
    """Rows of ``queryset`` (each on a ``case``, its ``organisation`` the case's owner) that
    ``user``'s organisation owns or whose case it holds with ``full`` access.

    One set of ids from two indexed lookups, like ``Case.objects.ids_granted``: own rows by
    their organisation index, partner rows by the cases a share granted
    (``Case.objects.shared_ids``). Not "owner OR EXISTS(permission)", which made PostgreSQL
    walk every alert of the network (383 ms on the organisation dashboard at benchmark
    scale), nor ``case_id IN (all granted case ids)``, which reaches the owner's alerts
    through every one of its cases (19 ms there); docs/performance.md.
    """
    from cases.models import Case

    base = queryset.model._base_manager
    own = base.filter(organisation_id=user.organisation_id).order_by().values("pk")
    shared_cases = Case.objects.shared_ids(user, FULL_LEVEL_PERMISSION)
    partner = base.filter(case_id__in=shared_cases).order_by().values("pk")
    if where is not None:  # narrow each half: only matching rows are fetched afterwards
        own, partner = own.filter(where), partner.filter(where)
    return queryset.filter(pk__in=own.union(partner, all=True))


# --- alerts ----------------------------------------------------------------------------------


class AlertQuerySet(TenantQuerySet):
    def visible_to(self, user: User, *, where: Q | None = None) -> Self:
        """Alerts of cases the user's organisation owns or holds with ``full`` access; a
        ``feedback`` or ``relocation`` partner does not see them (they hold no identity and
        an alert is about the defender's safety). ``where`` narrows each half of the id
        union (the open alerts of a dashboard: not every alert of the organisation)."""
        if not member_in_force(user):
            return self.none()._mark_scoped()
        return _visible_through_cases(self, user, where)._mark_scoped()

    def raised_by_partner(self, user: User) -> Self:
        """Alerts the user's organisation raised on another organisation's case it still
        follows (a live share that opens the case: ``feedback`` or ``full``). What it sees
        of them is the partner's view (``alerts.selectors.alerts.partner_alert_for``): the
        acknowledgement, never the owner's recipients or notes."""
        if not member_in_force(user):
            return self.none()._mark_scoped()
        from cases.models import Case

        followed = Case.objects.shared_ids(user, PARTNER_LEVEL_PERMISSION)
        return (
            self.filter(raised_by_organisation_id=user.organisation_id, case_id__in=followed)
            .exclude(organisation_id=user.organisation_id)
            ._mark_scoped()
        )


class Alert(TenantModel):
    """An urgent alert on a case. ``organisation`` is the case's owner: its policy escalates."""

    class Kind(models.TextChoices):
        DETAINED = "detained", _("Detained")
        ATTACKED = "attacked", _("Attacked")
        MISSING = "missing", _("Missing")
        RAID = "raid", _("Raid or search")
        IMMINENT_THREAT = "imminent_threat", _("Imminent threat")
        TRAVEL_BLOCKED = "travel_blocked", _("Travel blocked")
        MISSED_CHECK_IN = "missed_check_in", _("Missed check-in")
        OTHER = "other", _("Other")
        # Raised automatically, each saying what raised it (never "Imminent threat").
        RISK_HIGH = "risk_high", _("Risk raised to high")
        RISK_CRITICAL = "risk_critical", _("Risk raised to critical")
        DETENTION_RECORDED = "detention_recorded", _("Detention recorded")
        HEARING_UNOBSERVED = "hearing_unobserved", _("Hearing without an observer")

    class Severity(models.TextChoices):
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Raised by a person")
        AUTOMATIC = "automatic", _("Raised automatically")

    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="alerts", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.HIGH
    )
    message = EncryptedTextField(
        _("message"),
        max_length=2000,
        help_text=_(
            "What happened, in a few words. Stored encrypted; never sent by e-mail or shown "
            "in notifications."
        ),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by"),
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    #: stable key of the event an automatic alert stands for: one alert per event.
    auto_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    #: what the alert is about (``alerts.causes``): an automatic alert whose cause has an
    #: open alert on the case joins that alert's history instead of opening another.
    cause = models.CharField(max_length=100, blank=True, default="")
    #: the author of the change that raised an automatic alert (a risk assessment, a
    #: detention record): never among its recipients, nor at any escalation step.
    caused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: the organisation of whoever raised it by hand: a ``feedback`` partner sees the
    #: alerts it raised (their acknowledgement, not the owner's internals).
    raised_by_organisation = models.ForeignKey(
        settings.TENANT_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=13, choices=Status.choices, default=Status.RAISED
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    #: seconds from raising to the first acknowledgement (the measure of the response).
    seconds_to_acknowledge = models.PositiveIntegerField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution_note = EncryptedTextField(_("resolution"), blank=True, max_length=2000)
    #: how many escalation steps of the policy have fired (0: only the first recipients).
    escalation_step = models.PositiveSmallIntegerField(default=0)
    #: when the next policy step is due while unacknowledged; None: no step left.
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    #: when the recipients of the current step are reminded again while unacknowledged.
    renotify_at = models.DateTimeField(null=True, blank=True)
    #: re-notification round of the current step (part of the dedupe key).
    renotify_round = models.PositiveIntegerField(default=0)

    objects = TenantManager.from_queryset(AlertQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"], name="alert_org_open"),
            models.Index(fields=["status", "next_escalation_at"], name="alert_escalation_due"),
            models.Index(fields=["status", "renotify_at"], name="alert_renotify_due"),
            # Alerts raised in a period (network dashboard).
            models.Index(fields=["organisation", "created_at"], name="alert_org_created"),
            # The open alert of a case for a cause (automatic alerts join it).
            models.Index(fields=["case", "cause", "status"], name="alert_case_cause"),
            # A feedback partner's own alerts.
            models.Index(fields=["raised_by_organisation", "-created_at"], name="alert_raiser_org"),
            # The open alerts a user may see (Home, the alerts list's "open"): each half of
            # the id union reads only these, never the resolved alerts' heap rows (SQLite
            # has no INCLUDE: a plain partial index there).
            models.Index(
                fields=["organisation"],
                include=["id"],
                condition=UNRESOLVED,
                name="alert_org_unresolved",
            ),
            models.Index(
                fields=["case"], include=["id"], condition=UNRESOLVED, name="alert_case_unresolved"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="manual", raised_by__isnull=False)
                | Q(source="automatic", auto_key__isnull=False),
                name="alert_has_a_raiser_or_key",
            ),
            models.CheckConstraint(
                condition=Q(status="raised")
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="alert_acknowledged_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved")
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="alert_resolved_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        if self.seconds_to_acknowledge is None:
            return None
        return timedelta(seconds=self.seconds_to_acknowledge)


class AlertEvent(TenantModel):
    """A later event of an alert's cause that joined the open alert instead of opening
    another (issue 22): a detention recorded while a manual "Detained" alert is open, the
    risk rising again. ``auto_key`` keeps "once per event" for these events too."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Alert.Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Alert.Severity.choices)
    #: what raised it, as the automatic alert would have said it. Stored encrypted.
    reason = EncryptedTextField(_("what happened"), max_length=2000)
    auto_key = models.CharField(max_length=200, unique=True)
    caused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("alert event")
        verbose_name_plural = _("alert events")

    def __str__(self) -> str:
        return self.get_kind_display()


class AlertLinkUse(models.Model):
    """A signed acknowledge/resolve link of a notification, used: its nonce, so a link works
    once (``alerts.services.links``). Platform bookkeeping, read by nonce only."""

    nonce = models.CharField(max_length=64, primary_key=True)
    notification = models.ForeignKey(
        "alerts.Notification", on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=12)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.action


# --- escalation policies ----------------------------------------------------------------------


class EscalationPolicy(TenantModel):
    """An organisation's escalation policy: its steps, in order of delay."""

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("escalation policy")
        verbose_name_plural = _("escalation policies")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_policy_per_organisation")
        ]

    def __str__(self) -> str:
        return str(_("Escalation policy"))


class EscalationStep(TenantModel):
    """After ``after_seconds`` unacknowledged, notify a role of the organisation or the
    coordinators of a protection network."""

    class Target(models.TextChoices):
        ROLE = "role", _("A role of the organisation")
        NETWORK_COORDINATORS = "network_coordinators", _("Coordinators of a protection network")

    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="steps")
    after_seconds = models.PositiveIntegerField(
        _("after (seconds)"), validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 3600)]
    )
    target = models.CharField(_("notify"), max_length=24, choices=Target.choices)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, blank=True)
    #: blank with NETWORK_COORDINATORS: every network the organisation belongs to.
    network = models.ForeignKey(
        "accounts.ProtectionNetwork",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network"),
    )

    class Meta:
        ordering = ["after_seconds"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "after_seconds"], name="step_delay_unique"),
            models.CheckConstraint(
                condition=Q(target="role", network__isnull=True) & ~Q(role="")
                | Q(target="network_coordinators", role=""),
                name="step_target_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.after_minutes} min → {self.describe()}"

    @property
    def after_minutes(self) -> float:
        minutes = self.after_seconds / 60
        return int(minutes) if minutes == int(minutes) else round(minutes, 2)

    def describe(self) -> str:
        if self.target == self.Target.ROLE:
            return str(_("%(role)s of the organisation") % {"role": Role(self.role).label})
        if self.network_id:
            return str(_("coordinators of %(network)s") % {"network": self.network})
        return str(_("coordinators of the organisation's protection networks"))


# --- check-ins -------------------------------------------------------------------------------


class CheckInScheduleQuerySet(TenantQuerySet):
    def visible_to(self, user: User) -> Self:
        if not member_in_force(user):
            return self.none()._mark_scoped()
        return _visible_through_cases(self, user)._mark_scoped()


class CheckInSchedule(TenantModel):
    """The defender is expected to check in every ``interval_hours``; a missed check-in
    (``grace_minutes`` after it was due) raises an alert."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    interval_hours = models.PositiveSmallIntegerField(
        _("check in every (hours)"),
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text=_("E.g. every 12 hours during a journey or a trial week."),
    )
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace period (minutes)"),
        default=60,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("How long after a missed check-in the alert is raised."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantManager.from_queryset(CheckInScheduleQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(active=True), name="one_active_check_in_schedule"
            )
        ]

    def __str__(self) -> str:
        return f"every {self.interval_hours} h"


class CheckInQuerySet(CheckInScheduleQuerySet):
    pass


class CheckIn(TenantModel):
    """The defender was heard from (by whoever heard: owner or ``full`` partner)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(
        CheckInSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="check_ins"
    )
    at = models.DateTimeField(_("heard from at"))
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True, max_length=500)

    objects = TenantManager.from_queryset(CheckInQuerySet)()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "-at"], name="checkin_case_latest")]


# --- the outbox ------------------------------------------------------------------------------


class NotificationQuerySet(TenantQuerySet):
    def for_recipient(self, user):
        """A user's own notifications, written for the organisation they are a member of now:
        the notification centre's one scope (a member moved to another organisation leaves
        the old one's behind)."""
        return self.filter(recipient=user, organisation_id=user.organisation_id)._mark_scoped()

    def visible_to(self, user):
        # A notification is its recipient's alone, even within their organisation.
        if not member_in_force(user):
            return self.none()._mark_scoped()
        return self.for_recipient(user)


class Notification(TenantModel):
    """``organisation`` is the recipient's organisation (the tenant who may read it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        #: in-app only: nothing to send by e-mail.
        SKIPPED = "skipped", _("In-app only")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    #: shown in-app and used as the e-mail subject: a pseudonym at most, never an identity
    #: or a free-text narrative (e-mail leaves our control).
    subject = models.CharField(_("subject"), max_length=200)
    url = models.CharField(_("link"), max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    #: what the notification is about when it is neither a case nor an alert (a partner's
    #: shared logbook entry): opening that object marks the notification read.
    source_id = models.UUIDField(null=True, blank=True)
    #: one notification per recipient per event: a doubled sweep or retried service
    #: cannot notify twice.
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    #: when a worker claimed it (status ``sending``): a claim far older than any send is a
    #: worker that died mid-send, and the sweep releases it.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    #: not sent (by any channel of the recipient) before this: the end of the recipient's
    #: quiet hours for a non-urgent kind (``alerts.services.quiet_hours``). None: at once.
    deliver_after = models.DateTimeField(null=True, blank=True)

    objects = TenantManager.from_queryset(NotificationQuerySet)()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["status", "created_at"], name="notif_status_age"),
            # The inbox: a user's latest notifications, a page at a time.
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            # Opening a shared entry marks its notifications read (and the API inbox's
            # "unread" marker asks the same).
            models.Index(fields=["recipient", "source_id"], name="notif_recipient_source"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def category(self) -> str | None:
        """The inbox category of the kind (``alerts.kinds``)."""
        from alerts.kinds import category_of

        return category_of(self.kind)

    @property
    def category_label(self) -> str:
        from alerts.kinds import Category

        return str(Category(self.category).label) if self.category else ""


class NotificationPreference(models.Model):
    """Which kinds of notification reach a user by e-mail (every notification reaches the
    inbox). Only the user's own choices are stored: a kind absent from ``email`` takes its
    default (``alerts.kinds``); urgent kinds are e-mailed whatever is stored here.

    The user's own row, not tenant data: it is read by ``notify`` for the recipients and
    written by the user alone (``alerts.services.preferences``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    #: kind -> whether it is sent by e-mail.
    email = models.JSONField(default=dict, blank=True)
    #: kind -> whether it is sent by Signal (to the user's verified number, if any).
    signal = models.JSONField(default=dict, blank=True)
    #: quiet hours, in the user's time zone (both or neither): non-urgent notifications
    #: wait until they end. ``quiet_start`` > ``quiet_end`` spans midnight.
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(_("Notification preferences"))


class PipelineState(models.Model):
    """One row (pk=1): when the beat sweep last ran and what it did, for the health page.
    Platform-level, not tenant data."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_sweep_at = models.DateTimeField(null=True, blank=True)
    last_sweep_ms = models.PositiveIntegerField(default=0)
    last_result = models.JSONField(default=dict, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("alert pipeline health")
        verbose_name_plural = _("alert pipeline health")

    def __str__(self) -> str:
        return str(_("Alert pipeline"))


# --- channels beyond e-mail (issue 22) ---------------------------------------------------------


class ChannelDelivery(TenantModel):
    """A notification's delivery through a channel other than e-mail (Signal, the
    organisation's webhook): the same outbox life cycle as the notification's own e-mail
    (``pending`` -> ``sending`` claimed by a conditional update -> ``sent`` / ``failed``),
    per channel, so one channel's trouble holds back no other. ``organisation`` is the
    notification's (the recipient's)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        #: nothing to send any more (the number was removed, the webhook turned off).
        SKIPPED = "skipped", _("Not sent")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=20)
    #: one delivery per channel per event and destination (a webhook once per organisation).
    dedupe_key = models.CharField(max_length=220, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: the recipient's quiet hours (copied from the notification): not sent before.
    deliver_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("channel delivery")
        verbose_name_plural = _("channel deliveries")
        indexes = [
            models.Index(fields=["status", "channel", "created_at"], name="delivery_status_age"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.status}"


class SignalNumber(models.Model):
    """A user's Signal number and its verification: used only once verified (a code sent
    through Signal, entered on the page, within ``SIGNAL_CODE_MINUTES`` and
    ``SIGNAL_CODE_ATTEMPTS`` tries). The user's own row, like their preferences."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="signal_number",
    )
    #: E.164 (+ and digits); a member's phone number: stored encrypted.
    number = EncryptedTextField(_("Signal number"), max_length=20)
    verified_at = models.DateTimeField(null=True, blank=True)
    #: HMAC of the pending code (never the code itself); blank: no code pending.
    code_hash = models.CharField(max_length=128, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Signal number")
        verbose_name_plural = _("Signal numbers")

    def __str__(self) -> str:
        return str(_("Signal number"))

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class OrganisationWebhook(TenantModel):
    """An organisation's webhook (its on-call or chat tool): HMAC-SHA256-signed JSON for the
    kinds its administrators chose, once per event (not once per member)."""

    url = models.URLField(_("URL"), max_length=500)
    secret = EncryptedTextField(_("signing secret"), max_length=200)
    #: the kinds of notification posted (``alerts.kinds``).
    kinds = models.JSONField(default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_webhook_per_organisation")
        ]

    def __str__(self) -> str:
        return str(_("Webhook"))
