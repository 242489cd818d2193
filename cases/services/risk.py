"""Recording risk assessments. There is no edit: a changed assessment is a new version.

The case's level follows the latest assessment through ``case_set_risk`` unless an officer
overrode it (``cases.services.case.case_override_risk``, with a reason).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import require_case_write
from cases.models import Case, RiskAssessment
from cases.models.risk import DIMENSIONS, FORMULA_VERSION, compute_risk
from cases.services.case import case_set_risk
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User

#: The rating fields of an assessment, in form order: ``<dimension>_<part>``.
RATING_FIELDS: tuple[str, ...] = tuple(
    f"{d}_{part}" for d in DIMENSIONS for part in ("likelihood", "impact", "capacity")
)


@transaction.atomic
def risk_assessment_create(
    *,
    case: Case,
    acting_user: User,
    assessed_on: date,
    threats: str,
    vulnerabilities: str,
    capacities: str = "",
    mitigation: str = "",
    next_review_date: date,
    physical_likelihood: int,
    physical_impact: int,
    physical_capacity: str,
    digital_likelihood: int,
    digital_impact: int,
    digital_capacity: str,
    psychosocial_likelihood: int,
    psychosocial_impact: int,
    psychosocial_capacity: str,
) -> RiskAssessment:
    """Record the next version of ``case``'s risk assessment and let the case's level follow.

    Only writers of the owner organisation assess. Bad input raises ValidationError naming
    the field, and nothing is written.
    """
    require_case_write(case=case, acting_user=acting_user)
    locked = _lock_assessable(case)
    previous = case.assessments.aggregate(version=Max("version"), assessed_on=Max("assessed_on"))
    assessment = RiskAssessment(
        organisation=case.organisation,
        case=case,
        version=(previous["version"] or 0) + 1,
        assessed_on=assessed_on,
        assessed_by=acting_user,
        threats=(threats or "").strip(),
        vulnerabilities=(vulnerabilities or "").strip(),
        capacities=(capacities or "").strip(),
        mitigation=(mitigation or "").strip(),
        next_review_date=next_review_date,
        physical_likelihood=physical_likelihood,
        physical_impact=physical_impact,
        physical_capacity=physical_capacity,
        digital_likelihood=digital_likelihood,
        digital_impact=digital_impact,
        digital_capacity=digital_capacity,
        psychosocial_likelihood=psychosocial_likelihood,
        psychosocial_impact=psychosocial_impact,
        psychosocial_capacity=psychosocial_capacity,
        # Placeholders so field validation passes; computed below from the cleaned ratings.
        score=1,
        level="low",
        formula_version=FORMULA_VERSION,
    )
    errors = _assessment_errors(assessment, previous_assessed_on=previous["assessed_on"])
    if errors:
        raise ValidationError(errors)

    result = compute_risk(assessment.ratings())
    assessment.score = result.score
    assessment.level = result.level
    assessment.full_clean()
    assessment.save()
    case_set_risk(
        case=locked,
        assessed_level=assessment.level,
        review_on=assessment.next_review_date,
        acting_user=acting_user,
        assessment=assessment,
    )
    # Keep the caller's instance in step with the row it passed in.
    case.risk_assessed_level = locked.risk_assessed_level
    case.risk_level = locked.risk_level
    case.risk_review_on = locked.risk_review_on
    audit_record(
        action="risk.assess",
        actor=acting_user,
        target=assessment,
        data={"case": str(case.pk), **_audited(assessment)},
    )
    return assessment


def _lock_assessable(case: Case) -> Case:
    """``case`` locked for the new version, if it may be assessed (open, not purged)."""
    # Serialise versions of one case: two officers saving at once get v3 and v4, not a
    # unique-constraint error (the constraint stays as the backstop).
    locked = Case.objects.owned_by(case.organisation).select_for_update().get(pk=case.pk)
    if locked.is_closed:
        raise ValidationError(_("A closed case is not assessed: reopen it first."))
    if locked.purged_at:
        raise ValidationError(_("This case was purged."))
    return locked


def _audited(assessment: RiskAssessment) -> dict[str, object]:
    return {
        "version": assessment.version,
        "level": assessment.level,
        "score": assessment.score,
    }


def _assessment_errors(
    assessment: RiskAssessment, *, previous_assessed_on: date | None
) -> dict[str, list[str]]:
    """What is wrong with a new version, by field: its fields, a date in the future or
    before the previous version's, a review not after the assessment."""
    errors: dict[str, list[str]] = {}
    try:
        assessment.clean_fields(exclude={"organisation", "case", "assessed_by"})
    except ValidationError as error:
        errors.update(error.message_dict)
    if "assessed_on" not in errors:
        if assessment.assessed_on > timezone.localdate():
            errors.setdefault("assessed_on", []).append(
                _("The assessment date cannot be in the future.")
            )
        elif previous_assessed_on and assessment.assessed_on < previous_assessed_on:
            errors.setdefault("assessed_on", []).append(
                _("The assessment cannot be dated before the previous version (%(date)s).")
                % {"date": previous_assessed_on.isoformat()}
            )
    if (
        "assessed_on" not in errors
        and "next_review_date" not in errors
        and assessment.next_review_date <= assessment.assessed_on
    ):
        errors.setdefault("next_review_date", []).append(
            _("The next review must come after the assessment date.")
        )
    return errors


def assessments_purge(case: Case) -> None:
    """Retention: the narratives of every version go, the levels and scores stay."""
    # unscoped: the purge job runs for every tenant; narrowed to this case.
    for assessment in RiskAssessment.objects.unscoped().filter(case=case):
        assessment.purge_narratives()
