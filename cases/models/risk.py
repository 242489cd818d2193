"""Risk assessments: immutable, versioned per case (a new assessment is a new version).

The level is computed by ``cases.risk_formula.compute_risk`` when the assessment is recorded
and stored with the formula version; the row is never updated or deleted afterwards, so the
case's history of risk (its trend) cannot be rewritten.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cases.models.case import NARRATIVE_MAX_LENGTH, RiskLevel
from cases.risk_formula import DIMENSIONS, FORMULA_VERSION, RiskResult, compute_risk
from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet

#: Free text destroyed by the retention purge.
NARRATIVE_FIELDS = ("threats", "vulnerabilities", "capacities", "mitigation")


class ImmutableRecordError(RuntimeError):
    """Something tried to change or delete a record that is kept as written."""


class Likelihood(models.IntegerChoices):
    RARE = 1, _("1 — rare")
    UNLIKELY = 2, _("2 — unlikely")
    POSSIBLE = 3, _("3 — possible")
    LIKELY = 4, _("4 — likely")
    ALMOST_CERTAIN = 5, _("5 — almost certain")


class Impact(models.IntegerChoices):
    MINIMAL = 1, _("1 — minimal")
    MINOR = 2, _("2 — minor")
    MODERATE = 3, _("3 — moderate")
    SEVERE = 4, _("4 — severe")
    CRITICAL = 5, _("5 — critical (life, liberty, or the work destroyed)")


class Capacity(models.TextChoices):
    LIMITED = "limited", _("Limited or none (score kept at 100 %)")
    PARTIAL = "partial", _("Partial (score reduced to 80 %)")
    STRONG = "strong", _("Strong (score reduced to 60 %)")


class Dimension(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    DIGITAL = "digital", _("Digital")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


class RiskAssessmentQuerySet(TenantQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableRecordError(
            "Risk assessments are never updated: record a new version instead."
        )


def _likelihood(verbose_name: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, choices=Likelihood.choices)


def _impact(verbose_name: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, choices=Impact.choices)


def _capacity(verbose_name: Any) -> models.CharField:
    return models.CharField(verbose_name, max_length=8, choices=Capacity.choices)


class RiskAssessment(TenantModel):
    """One version of a case's risk assessment (threats x vulnerabilities / capacities)."""

    case = models.ForeignKey(
        "cases.Case",
        # PROTECT: history is kept; a case with assessments is purged, never deleted.
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("case"),
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    threats = EncryptedTextField(
        _("threats"),
        max_length=NARRATIVE_MAX_LENGTH,
        help_text=_("Who could harm the defender, how, and what has happened so far."),
    )
    vulnerabilities = EncryptedTextField(
        _("vulnerabilities"),
        max_length=NARRATIVE_MAX_LENGTH,
        help_text=_(
            "What exposes the defender to these threats: location, routines, devices, "
            "family, isolation."
        ),
    )
    capacities = EncryptedTextField(
        _("capacities"),
        blank=True,
        max_length=NARRATIVE_MAX_LENGTH,
        help_text=_(
            "What protects the defender: networks, secure communication, legal support, "
            "well-being support, visibility."
        ),
    )
    # Ratings of each dimension of holistic security (see cases.risk_formula).
    physical_likelihood = _likelihood(_("physical likelihood"))
    physical_impact = _impact(_("physical impact"))
    physical_capacity = _capacity(_("physical capacities"))
    digital_likelihood = _likelihood(_("digital likelihood"))
    digital_impact = _impact(_("digital impact"))
    digital_capacity = _capacity(_("digital capacities"))
    psychosocial_likelihood = _likelihood(_("psychosocial likelihood"))
    psychosocial_impact = _impact(_("psychosocial impact"))
    psychosocial_capacity = _capacity(_("psychosocial capacities"))
    score = models.PositiveSmallIntegerField(_("score"), editable=False)
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices, editable=False)
    formula_version = models.PositiveSmallIntegerField(
        _("formula version"), default=FORMULA_VERSION, editable=False
    )
    mitigation = EncryptedTextField(
        _("mitigation measures"),
        blank=True,
        max_length=NARRATIVE_MAX_LENGTH,
        help_text=_("What the defender, the organisation and partners will do, and by when."),
    )
    next_review_date = models.DateField(_("next review"))

    objects = TenantManager.from_queryset(RiskAssessmentQuerySet)()

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "version"], name="risk_assessment_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(next_review_date__gt=F("assessed_on")),
                name="risk_assessment_review_after_assessment",
                violation_error_message=_("The next review must come after the assessment."),
            ),
            models.CheckConstraint(
                condition=Q(
                    *(
                        Q(**{f"{d}_{part}__gte": 1, f"{d}_{part}__lte": 5})
                        for d in DIMENSIONS
                        for part in ("likelihood", "impact")
                    )
                ),
                name="risk_assessment_ratings_in_range",
                violation_error_message=_("Likelihood and impact are rated from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=25),
                name="risk_assessment_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.get_level_display()}"

    # --- immutability ---------------------------------------------------------------------
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecordError(
                "A risk assessment is never changed: record a new version instead."
            )
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRecordError("A risk assessment is never deleted.")

    def purge_narratives(self) -> None:
        """The retention purge, the one change an assessment ever undergoes: its free text
        is destroyed; the ratings, level and dates stay for the statistics."""
        changed = [name for name in NARRATIVE_FIELDS if getattr(self, name) not in ("", None)]
        for name in changed:
            setattr(self, name, "")
        if changed:
            # Model.save on purpose: this class's save() refuses every other update.
            super().save(update_fields=changed)

    # --- the formula ------------------------------------------------------------------------
    def ratings(self) -> dict[str, tuple[int, int, str]]:
        return {
            d: (
                getattr(self, f"{d}_likelihood"),
                getattr(self, f"{d}_impact"),
                getattr(self, f"{d}_capacity"),
            )
            for d in DIMENSIONS
        }

    def result(self) -> RiskResult:
        """The formula applied to this assessment's ratings (scores per dimension)."""
        return compute_risk(self.ratings())
