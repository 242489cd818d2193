"""Per-case logbook entries, their attachments, and diplomatic actions (démarche records).

Two visibility rules live here, each in ONE queryset method:

- ``LogEntry.objects.visible_to(user)``: a version of an entry is visible when its case is
  visible to the user (``Case.objects.visible_to``: owner, or a ``full``/``feedback`` share)
  AND either the entry was written by the user's organisation (every version, always), or
  that version is ``shared`` and no later version of the same entry is internal. So an
  internal entry of a partner organisation reaches that partner only, never the case owner;
  an internal entry of the owner never reaches a partner; and a correction to internal takes
  every earlier version (and, through ``Attachment.visible_to``, its documents) back from
  everyone but the author organisation (docs/logbooks.md, "Corrections and visibility").
- ``DiplomaticAction.objects.visible_to(user)``: every action on a case the user sees (so
  partners can coordinate: "who already raised it"), plus actions its organisation was
  invited to take part in (a joint action), even on a case it does not see. The outcome of
  another organisation's action is shown only when its author marked it shared
  (``outcome_visible_to``).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.models.case import NARRATIVE_MAX_LENGTH
from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet, member_in_force
from hrdcase.text import validate_single_line

if TYPE_CHECKING:
    from accounts.models import User
    from cases.access import CaseAccess


def _user_org_id(user: User) -> Any:
    return user.organisation_id if member_in_force(user) else None


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal to my organisation")
    SHARED = "shared", _("Shared with partners who follow the case")


class EntryKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    TRIAL_OBSERVATION = "trial_observation", _("Trial observation")
    PRISON_VISIT = "prison_visit", _("Prison or house-arrest visit")
    PUBLIC_STATEMENT = "public_statement", _("Public statement")
    DEMARCHE = "demarche", _("Démarche")
    QUIET_DIPLOMACY = "quiet_diplomacy", _("Quiet diplomacy")
    FEEDBACK_TO_CSO = "feedback_to_cso", _("Feedback to civil society")
    NOTE = "note", _("Note")


def _shared_and_not_taken_back() -> Q:
    """A version other organisations may read: shared, and not taken back by a later internal
    version of its entry. An internal correction says "this is no longer for partners", and
    the earlier shared texts it corrects are exactly what the author meant to take back; a
    later shared correction shares itself, not the versions before the internal one."""
    # unscoped: a correlated test on other versions of the row's own entry, inside a
    # query that the caller has already scoped.
    later_internal = LogEntry.objects.unscoped().filter(
        version_of_id=OuterRef("version_of_id"),
        version__gt=OuterRef("version"),
        visibility=Visibility.INTERNAL,
    )
    # ``is_current`` first: a current version has no later one, so the common reads (the
    # logbook, the timeline, the inbox and its badge: current versions only) never run the
    # subquery, and PostgreSQL still proves the inbox's partial index applies.
    return Q(visibility=Visibility.SHARED) & (Q(is_current=True) | ~Exists(later_internal))


def _entry_rule(organisation_id: Any) -> Q:
    """Among the entries of a case the viewer sees: every version their organisation wrote,
    and the versions of other organisations' entries still shared with partners."""
    if organisation_id is None:
        return _shared_and_not_taken_back()
    return Q(organisation_id=organisation_id) | _shared_and_not_taken_back()


def readable_versions(user: User) -> Q:
    """The entry half of ``LogEntry.objects.visible_to(user)``: which versions of the entries
    of a case the user sees are theirs to read. Alone it scopes nothing: combine it with the
    case's visibility (the inbox's shared-entry lines: ``logbooks.selectors.inbox``)."""
    return _entry_rule(_user_org_id(user))


class LogEntryQuerySet(TenantQuerySet):
    def visible_to(self, user: User) -> Self:
        """THE rule for entries (see the module docstring). Every page, API route, inbox and
        export starts here."""
        org_id = _user_org_id(user)
        if org_id is None:
            return self.none()._mark_scoped()
        cases = Case.objects.visible_ids(user)
        return self.filter(Q(case_id__in=cases) & _entry_rule(org_id))._mark_scoped()

    def seen_through(self, access: CaseAccess) -> Self:
        """The same rule for a viewer who already opened ``access.case`` (a timeline provider
        gets the access, not the user): the case is visible, so only the entry half applies."""
        org_id = access.viewer_organisation_id
        if org_id is None and access.is_owner:
            org_id = access.case.organisation_id
        return self.filter(case_id=access.case.pk).filter(_entry_rule(org_id))._mark_scoped()

    def current(self) -> Self:
        return self.filter(is_current=True)


class LogEntry(TenantModel):
    """One dated record of follow-up on a case. Never edited in place: a correction is a new
    row of the same thread (``version_of`` = the first version) and the older row stays."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="log_entries", verbose_name=_("case")
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    summary = EncryptedTextField(_("summary"), max_length=NARRATIVE_MAX_LENGTH)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    # Versioning: every row of a thread points to the first version (the first to itself).
    version_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="versions", editable=False
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="superseded_by",
        editable=False,
    )
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    is_current = models.BooleanField(default=True, editable=False)
    # Optional: the detention benchmark this entry fulfils (shown on the milestone).
    milestone = models.ForeignKey(
        "cases.BenchmarkMilestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entries",
        verbose_name=_("benchmark"),
    )

    objects = TenantManager.from_queryset(LogEntryQuerySet)()

    class Meta:
        ordering = ["-occurred_at", "-created_at"]
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        constraints = [
            models.UniqueConstraint(
                fields=["version_of", "version"], name="logentry_version_unique"
            ),
            models.UniqueConstraint(
                fields=["version_of"],
                condition=Q(is_current=True),
                name="logentry_one_current_version",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "is_current", "-occurred_at"], name="logentry_case_cur"),
            models.Index(
                fields=["visibility", "is_current", "-created_at"], name="logentry_shared_recent"
            ),
            models.Index(fields=["follow_up_on"], name="logentry_follow_up"),
            # The inbox and its menu badge: a visible case's shared entries, read from the
            # index alone (docs/performance.md, round 3).
            models.Index(
                fields=["case", "organisation", "id"],
                condition=Q(is_current=True, visibility="shared"),
                name="logentry_shared_by_case",
            ),
            # Activity per member organisation in a period (network dashboard).
            models.Index(
                fields=["organisation", "occurred_at"],
                condition=Q(is_current=True),
                name="logentry_org_current_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d} v{self.version}"

    def save(self, *args, **kwargs):
        if self.version_of_id is None:
            self.version_of_id = self.id  # the first version heads its own thread
        super().save(*args, **kwargs)

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class AttachmentQuerySet(TenantQuerySet):
    def visible_to(self, user: User) -> Self:
        """Attachments follow the version that holds them, exactly: a version taken back from
        partners takes its documents with it."""
        if _user_org_id(user) is None:
            return self.none()._mark_scoped()
        entries = LogEntry.objects.visible_to(user).values("pk")
        return self.filter(entry_id__in=entries)._mark_scoped()


class Attachment(TenantModel):
    """A document of an entry (court document, photo). The bytes are AES-GCM encrypted and
    bound to this row (``logbooks.files``); the file name is an encrypted field too,
    since names of documents often carry the defender's name."""

    entry = models.ForeignKey(LogEntry, on_delete=models.CASCADE, related_name="attachments")
    filename = EncryptedTextField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = TenantManager.from_queryset(AttachmentQuerySet)()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class AttachmentContent(models.Model):
    """The encrypted bytes, apart from the metadata so lists never load them. Reached only
    through its (scoped) attachment."""

    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, primary_key=True, related_name="content"
    )
    key_id = models.CharField(max_length=32)
    nonce = models.BinaryField(max_length=12)
    ciphertext = models.BinaryField()

    def __str__(self) -> str:
        return f"content of {self.attachment_id}"


# --- diplomatic actions ------------------------------------------------------------------------


class ActionType(models.TextChoices):
    """The targeted diplomatic support of the EU/ISHR taxonomy (domain report 003)."""

    INFORMAL_APPROACH = "informal_approach", _("Informal approach to the authorities")
    FORMAL_ENQUIRY = "formal_enquiry", _("Formal enquiry")
    DEMARCHE = "demarche", _("Démarche")
    OFFICIAL_PROTEST = "official_protest", _("Official protest")
    PUBLIC_STATEMENT = "public_statement", _("Public statement")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")
    TRIAL_OBSERVATION = "trial_observation", _("Trial observation")
    PRISON_VISIT = "prison_visit", _("Prison or house-arrest visit")
    COMPANY_ENGAGEMENT = "company_engagement", _("Engagement with a company linked to the threat")


#: Types that speak publicly about the defender: recorded only with public-action consent.
#: An official protest is a formal but confidential diplomatic communication (a démarche in
#: the strong sense), so it is not public; a trial observation or prison visit is a presence,
#: not a statement, and the benchmark plan treats it the same way.
PUBLIC_ACTION_TYPES = frozenset({ActionType.PUBLIC_STATEMENT, ActionType.JOINT_STATEMENT})


#: The quick log's diplomatic kinds and the action each one records (issue 21, item 4): one
#: way to record a démarche, a trial observation or a visit, seen by invited missions and in
#: "who already raised it". A public statement stays an entry (recording it as an action
#: needs the defender's public-action consent: the actions page asks for it); quiet
#: diplomacy stays an entry (quiet by nature, it names no authority).
QUICK_LOG_ACTIONS: dict[str, str] = {
    EntryKind.DEMARCHE: ActionType.DEMARCHE,
    EntryKind.TRIAL_OBSERVATION: ActionType.TRIAL_OBSERVATION,
    EntryKind.PRISON_VISIT: ActionType.PRISON_VISIT,
}


class HearingOutcome(models.TextChoices):
    """What the observed hearing came to (a trial observation's structured outcome)."""

    HELD = "held", _("Held, the trial continues")
    ADJOURNED = "adjourned", _("Adjourned")
    VERDICT_ACQUITTED = "acquitted", _("Verdict: acquitted")
    VERDICT_CONVICTED = "convicted", _("Verdict: convicted")
    DISMISSED = "dismissed", _("Case dismissed")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")
    CLOSED = "closed", _("Closed")


ACTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActionStatus.PLANNED: (ActionStatus.DONE, ActionStatus.CLOSED),
    ActionStatus.DONE: (ActionStatus.FOLLOW_UP_DUE, ActionStatus.CLOSED),
    ActionStatus.FOLLOW_UP_DUE: (ActionStatus.DONE, ActionStatus.CLOSED),
    ActionStatus.CLOSED: (),
}


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class DiplomaticActionQuerySet(TenantQuerySet):
    def visible_to(self, user: User) -> Self:
        """Actions on a case the user sees (any organisation's, for coordination), and joint
        actions the user's organisation was invited to (not declined)."""
        org_id = _user_org_id(user)
        if org_id is None:
            return self.none()._mark_scoped()
        cases = Case.objects.visible_ids(user)
        invited = ActionParticipant.objects.filter(
            action=OuterRef("pk"),
            organisation_id=org_id,
            status__in=[ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED],
        )
        return self.filter(Q(case_id__in=cases) | Exists(invited))._mark_scoped()


class DiplomaticAction(TenantModel):
    """A démarche record: who raised the case with which authority, when, and what came of it.
    ``organisation`` is the mission that took (leads) the action."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="diplomatic_actions", verbose_name=_("case")
    )
    type = models.CharField(_("type"), max_length=20, choices=ActionType.choices)
    # Plain text on purpose: the authority addressed does not identify the defender, and
    # partners must read it to coordinate ("who already raised it with whom").
    authority = models.CharField(
        _("authority or company addressed"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_(
            "E.g. 'Ministry of Foreign Affairs, human rights desk'. Visible to every "
            "organisation that follows the case: do not name the defender here."
        ),
    )
    taken_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=14, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    outcome = EncryptedTextField(_("outcome"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    outcome_shared = models.BooleanField(
        _("share the outcome with partners"),
        default=False,
        help_text=_(
            "Partners following the case and invited missions always see who raised it with "
            "whom and when; they read the outcome only if you tick this."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    milestone = models.ForeignKey(
        "cases.BenchmarkMilestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diplomatic_actions",
        verbose_name=_("benchmark"),
    )
    # A trial observation: the hearing observed and what came of it (issue 21, item 4).
    hearing = models.ForeignKey(
        "cases.Hearing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("hearing observed"),
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    hearing_outcome = models.CharField(
        _("what the hearing came to"), max_length=12, choices=HearingOutcome.choices, blank=True
    )
    next_hearing_on = models.DateField(_("next hearing"), null=True, blank=True)
    # The logbook entry (the first version of its thread) the quick log recorded with it.
    entry = models.ForeignKey(
        LogEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diplomatic_actions",
        verbose_name=_("logbook entry"),
    )

    objects = TenantManager.from_queryset(DiplomaticActionQuerySet)()

    class Meta:
        ordering = ["-taken_on", "-created_at"]
        verbose_name = _("diplomatic action")
        verbose_name_plural = _("diplomatic actions")
        indexes = [
            models.Index(fields=["case", "-taken_on"], name="action_case_date"),
            models.Index(fields=["status"], name="action_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.taken_on:%Y-%m-%d}"

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return ACTION_TRANSITIONS.get(self.status, ())

    def outcome_visible_to(self, user: User, *, sees_case: bool = True) -> bool:
        """The author organisation always; others only when the outcome is shared, and then
        only organisations that follow the case or took part in the action (an invitation
        alone shows the record, not what came of it)."""
        if self.organisation_id == user.organisation_id:
            return True
        if not self.outcome_shared:
            return False
        if sees_case:
            return True
        return any(
            p.organisation_id == user.organisation_id and p.status == ParticipantStatus.ACCEPTED
            for p in self.participants.all()
        )


class ActionParticipant(models.Model):
    """A mission invited to a joint action. Not a tenant row: it belongs to the action and
    is read only through a visible action (or by its own organisation's invitations)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(
        DiplomaticAction, on_delete=models.CASCADE, related_name="participants"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ParticipantStatus.choices, default=ParticipantStatus.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "organisation"], name="action_participant_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.status}"
