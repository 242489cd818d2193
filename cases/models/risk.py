"""Risk assessments: immutable, versioned per case (a new assessment is a new version), and
the formula that computes their level.

The level is computed by ``compute_risk`` (below) when the assessment is recorded and stored
with the formula version; the row is never updated or deleted afterwards, so the case's
history of risk (its trend) cannot be rewritten.

How the level is computed: one pure function, shown to users as is.

The protection-manual tradition (Protection International, Front Line Defenders) reads risk
as *threats x vulnerabilities / capacities*. hrdcase asks the assessor, for each dimension of
holistic security (physical, digital, psychosocial; see the ISHR guide's "holistic approaches
to security"), for:

- the **likelihood** that the threat materialises (1 rare ... 5 almost certain), which is
  where the threats meet the defender's vulnerabilities;
- its **impact** on the defender if it does (1 minimal ... 5 life, liberty or the work
  destroyed);
- the **capacities** the defender has against it: ``limited`` (none or few), ``partial``
  or ``strong``.

Formula (version 1):

    raw score(dimension)   = likelihood x impact                              (1 .. 25)
    score(dimension)       = ceil(raw x capacity factor), at least 1
                             capacity factor: limited 100 %, partial 80 %, strong 60 %
    overall score          = the highest dimension score
    level                  = band of the overall score:
                             1-4 low, 5-9 medium, 10-15 high, 16-25 critical

Why these choices:
- the overall level is the *highest* dimension, not an average: a defender whose phone is
  compromised is not made safer by being well protected at home (holistic security);
- capacities reduce risk (the division of the tradition) but never to nothing: with strong
  capacities an almost-certain, life-threatening threat (5 x 5) still scores 15, *high*;
- rounding is upwards, so a score never falls into a lower band by rounding.

The stored level of an assessment never changes: assessments are immutable, and each
records the ``FORMULA_VERSION`` that computed it. An officer who judges the computed level
wrong overrides the case's level with a reason; the assessment keeps what it computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cases.models.case import NARRATIVE_MAX_LENGTH, RiskLevel
from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet

# --- the formula ---------------------------------------------------------------------------------

FORMULA_VERSION = 1

DIMENSIONS: tuple[str, ...] = ("physical", "digital", "psychosocial")

SCALE_MIN = 1
SCALE_MAX = 5

# Capacity rating -> percentage of the raw score that remains (integer arithmetic: no float
# rounding surprises at band edges).
CAPACITY_PERCENT: dict[str, int] = {"limited": 100, "partial": 80, "strong": 60}

# Lowest score of each band, highest band first.
BANDS: tuple[tuple[int, str], ...] = ((16, "critical"), (10, "high"), (5, "medium"), (1, "low"))


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    likelihood: int
    impact: int
    capacity: str
    raw: int
    score: int
    level: str

    @property
    def capacity_percent(self) -> int:
        return CAPACITY_PERCENT[self.capacity]


@dataclass(frozen=True)
class RiskResult:
    dimensions: tuple[DimensionScore, ...]
    score: int
    level: str
    formula_version: int = FORMULA_VERSION


def level_for_score(score: int) -> str:
    """The band of a score (1..25)."""
    if not SCALE_MIN <= score <= SCALE_MAX * SCALE_MAX:
        raise ValueError(f"a risk score is between 1 and 25, not {score}")
    for lowest, level in BANDS:
        if score >= lowest:
            return level
    raise AssertionError("unreachable: the lowest band starts at 1")


def dimension_score(
    *, dimension: str, likelihood: int, impact: int, capacity: str
) -> DimensionScore:
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not SCALE_MIN <= value <= SCALE_MAX
        ):
            raise ValueError(f"{dimension} {name} must be an integer from 1 to 5, not {value!r}")
    if capacity not in CAPACITY_PERCENT:
        raise ValueError(
            f"{dimension} capacity must be one of {sorted(CAPACITY_PERCENT)}, not {capacity!r}"
        )
    raw = likelihood * impact
    # ceil(raw * percent / 100) in integers
    score = max(SCALE_MIN, -(-(raw * CAPACITY_PERCENT[capacity]) // 100))
    return DimensionScore(
        dimension=dimension,
        likelihood=likelihood,
        impact=impact,
        capacity=capacity,
        raw=raw,
        score=score,
        level=level_for_score(score),
    )


def compute_risk(ratings: Mapping[str, tuple[int, int, str]]) -> RiskResult:
    """The level of an assessment from ``{dimension: (likelihood, impact, capacity)}`` for
    every dimension in ``DIMENSIONS``. Raises ValueError on a missing or out-of-range rating."""
    missing = [d for d in DIMENSIONS if d not in ratings]
    if missing:
        raise ValueError(f"ratings missing for {', '.join(missing)}")
    dimensions = tuple(
        dimension_score(
            dimension=d, likelihood=ratings[d][0], impact=ratings[d][1], capacity=ratings[d][2]
        )
        for d in DIMENSIONS
    )
    score = max(d.score for d in dimensions)
    return RiskResult(dimensions=dimensions, score=score, level=level_for_score(score))


# --- the assessment -------------------------------------------------------------------------------

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
    # Ratings of each dimension of holistic security (see the formula above).
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
