"""The detention record of an arbitrary-detention incident, its hearings, and its benchmark
plan.

The benchmark plan follows the EU Guidelines' call (Justice and Peace factsheet, ``001``)
for "explicit benchmarks and decision making processes" when a defender is detained: each
organisation keeps a template of rules (``BenchmarkRule``), and recording a detention turns
the template into dated milestones (``BenchmarkMilestone``) that the sweeps of the alerts
app remind people of. Part of the full file, like the incident.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.incident import Incident
from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantModel


class Detention(TenantModel):
    """Where and why the defender is held, who defends them, and since when."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="detention", verbose_name=_("incident")
    )
    place = EncryptedTextField(_("place of detention"), blank=True, max_length=1000)
    charges = EncryptedTextField(_("charges"), blank=True, max_length=5000)
    lawyer = EncryptedTextField(
        _("lawyer"), blank=True, max_length=1000, help_text=_("Name and how to reach them safely.")
    )
    detained_since = models.DateField(_("detained since"))
    released_on = models.DateField(_("released on"), null=True, blank=True)
    # The court case the detention belongs to (its hearings are the proceeding's): set when
    # the first hearing is added here, or chosen on the detention page.
    proceeding = models.ForeignKey(
        "cases.Proceeding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="detentions",
        verbose_name=_("court proceeding"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        constraints = [
            models.CheckConstraint(
                condition=Q(released_on__isnull=True)
                | Q(released_on__gte=models.F("detained_since")),
                name="detention_release_after_arrest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} since {self.detained_since:%Y-%m-%d}"

    def days_held(self, today: datetime.date) -> int:
        return ((self.released_on or today) - self.detained_since).days


class Hearing(TenantModel):
    """A court hearing of a proceeding (``cases.models.court.Proceeding``), with or without a
    detention. ``detention`` is stored, not derived: it is the detention the defender was
    under when the hearing was added (the proceeding's linked detention), and a hearing under
    a detention gets its own trial-observation milestone (when the organisation's template
    says so). ``proceeding`` is null only for rows older than migration 0010 that it could
    not attach (none: it gave every detention with hearings a proceeding); the services
    always set it."""

    proceeding = models.ForeignKey(
        "cases.Proceeding",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hearings",
        verbose_name=_("court proceeding"),
    )
    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, null=True, blank=True, related_name="hearings"
    )
    date = models.DateField(_("date"))
    court = models.CharField(_("court"), max_length=200)
    note = EncryptedTextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date", "created_at"]
        indexes = [models.Index(fields=["date"], name="hearing_date")]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.court}"


class BenchmarkKind(models.TextChoices):
    CONTACT = "contact", _("Contact family and lawyer")
    ENQUIRY = "enquiry", _("Formal enquiry to the authorities")
    TRIAL_OBSERVATION = "trial_observation", _("Trial observation")
    DEMARCHE = "demarche", _("Démarche")
    PRISON_VISIT = "prison_visit", _("Prison visit")
    PUBLIC_STATEMENT = "public_statement", _("Public statement")
    OTHER = "other", _("Other")


class BenchmarkRule(TenantModel):
    """One line of an organisation's benchmark template: "<label>, <offset_days> days after
    the arrest" (or after each hearing, for ``per_hearing`` rules). Editing a rule changes the
    plans of detentions recorded afterwards; existing milestones keep their label and date."""

    kind = models.CharField(_("kind"), max_length=20, choices=BenchmarkKind.choices)
    # Blank: the kind's name, translated for each reader (the defaults are blank).
    label = models.CharField(_("label"), max_length=200, blank=True)
    offset_days = models.IntegerField(
        _("due after (days)"),
        help_text=_(
            "Days after the arrest, or after each hearing for per-hearing rules (0: the same day)."
        ),
    )
    per_hearing = models.BooleanField(_("at each hearing"), default=False)
    requires_public_consent = models.BooleanField(
        _("only with public-action consent"),
        default=False,
        help_text=_("Planned only if the defender consented to public action."),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "offset_days", "created_at"]
        verbose_name = _("benchmark rule")
        verbose_name_plural = _("benchmark rules")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.label or str(self.get_kind_display())


class BenchmarkMilestone(TenantModel):
    """One dated step of a detention's benchmark plan. Its kind, label and consent condition
    are copied from the rule, so later template edits do not rewrite a plan in progress."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        NOT_NEEDED = "not_needed", _("No longer needed")

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="milestones")
    rule = models.ForeignKey(
        BenchmarkRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, null=True, blank=True, related_name="milestones"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BenchmarkKind.choices)
    label = models.CharField(_("label"), max_length=200, blank=True)
    requires_public_consent = models.BooleanField(default=False)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True, max_length=2000)
    # What did it: a reference or link to the logbook entry. The logbooks app (which depends
    # on cases, not the other way round) adds its own link to the entry when it exists.
    evidence_ref = models.CharField(
        _("logbook entry"),
        max_length=500,
        blank=True,
        help_text=_("Reference or link of the logbook entry that records it."),
    )

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("benchmark milestone")
        verbose_name_plural = _("benchmark milestones")
        constraints = [
            # A plan refresh adds only what is missing: one milestone per rule (and hearing).
            models.UniqueConstraint(
                fields=["detention", "rule"],
                condition=Q(rule__isnull=False, hearing__isnull=True),
                name="milestone_once_per_rule",
            ),
            models.UniqueConstraint(
                fields=["detention", "rule", "hearing"],
                condition=Q(rule__isnull=False, hearing__isnull=False),
                name="milestone_once_per_rule_hearing",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False),
                name="milestone_done_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="milestone_open_due")]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%Y-%m-%d})"

    @property
    def title(self) -> str:
        return self.label or str(self.get_kind_display())

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.is_overdue_on(timezone.localdate())
