"""Detention records, hearings, and the benchmark plan generated from the owner
organisation's template.

The default template follows the benchmarks the EU Guidelines' review asked for (Justice and
Peace factsheet, ``001``): contact the family and the lawyer within 48 hours, a formal enquiry
within 7 days, trial observation at each hearing, a démarche if the defender is still held
after 14 days, and a public statement at 30 days *only* if the defender consented to public
action (do no harm: a public step the defender did not agree to can endanger them).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import require_case_write
from cases.models import (
    BenchmarkKind,
    BenchmarkMilestone,
    BenchmarkRule,
    Case,
    Detention,
    Hearing,
    Incident,
)
from cases.selectors.consent import has_public_action_consent
from cases.services.consent import require_public_action_consent
from hrdcase.audit import audit_record
from hrdcase.dates import plausible_date_errors
from hrdcase.exceptions import StateConflict

if TYPE_CHECKING:
    from accounts.models import Organisation, User


@dataclass(frozen=True)
class DefaultRule:
    kind: str
    offset_days: int
    per_hearing: bool = False
    requires_public_consent: bool = False


DEFAULT_RULES: tuple[DefaultRule, ...] = (
    DefaultRule(BenchmarkKind.CONTACT, 2),
    DefaultRule(BenchmarkKind.ENQUIRY, 7),
    DefaultRule(BenchmarkKind.TRIAL_OBSERVATION, 0, per_hearing=True),
    DefaultRule(BenchmarkKind.DEMARCHE, 14),
    DefaultRule(BenchmarkKind.PUBLIC_STATEMENT, 30, requires_public_consent=True),
)

MAX_OFFSET_DAYS = 3650
MAX_BEFORE_HEARING_DAYS = 60

#: what an admin sets on a rule of the template (the form's fields, the audit trail's data).
RULE_FIELDS = ("kind", "label", "offset_days", "per_hearing", "requires_public_consent", "active")


# --- the organisation's template -------------------------------------------------------------


def _create_defaults(organisation: Organisation) -> None:
    BenchmarkRule.objects.bulk_create(
        BenchmarkRule(
            organisation=organisation,
            kind=rule.kind,
            label="",
            offset_days=rule.offset_days,
            per_hearing=rule.per_hearing,
            requires_public_consent=rule.requires_public_consent,
            position=index,
        )
        for index, rule in enumerate(DEFAULT_RULES)
    )


@transaction.atomic
def benchmark_rules_for(organisation: Organisation) -> QuerySet[BenchmarkRule]:
    """The organisation's template, created from the defaults the first time it is needed."""
    from accounts.models import Organisation as OrganisationModel

    rules = BenchmarkRule.objects.owned_by(organisation)
    if not rules.exists():
        # Two first plans at once must not both create the defaults: lock the organisation.
        OrganisationModel.objects.select_for_update().filter(pk=organisation.pk).first()
        if not rules.exists():
            _create_defaults(organisation)
    return BenchmarkRule.objects.owned_by(organisation)


def _rule_errors(
    *, kind: str, offset_days: Any, per_hearing: bool, requires_public_consent: bool, label: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in BenchmarkKind.values:
        errors["kind"] = _("Unknown kind of benchmark.")
    if not isinstance(offset_days, int) or isinstance(offset_days, bool):
        errors["offset_days"] = _("Enter a whole number of days.")
    elif per_hearing and not -MAX_BEFORE_HEARING_DAYS <= offset_days <= MAX_OFFSET_DAYS:
        errors["offset_days"] = _("Enter between %(low)s and %(high)s days around the hearing.") % {
            "low": -MAX_BEFORE_HEARING_DAYS,
            "high": MAX_OFFSET_DAYS,
        }
    elif not per_hearing and not 0 <= offset_days <= MAX_OFFSET_DAYS:
        errors["offset_days"] = _("Enter between 0 and %(high)s days after the arrest.") % {
            "high": MAX_OFFSET_DAYS
        }
    if kind == BenchmarkKind.PUBLIC_STATEMENT and not requires_public_consent:
        errors["requires_public_consent"] = _(
            "A public statement always needs the defender's consent to public action."
        )
    if kind == BenchmarkKind.OTHER and not label.strip():
        errors["label"] = _("Name this benchmark.")
    if len(label) > 200:
        errors["label"] = _("Keep the label under 200 characters.")
    return errors


def _require_org_admin(*, organisation: Organisation, acting_user: User) -> None:
    if acting_user.organisation_id != organisation.pk or not acting_user.is_org_admin:
        raise ValidationError(
            _("Only administrators of the organisation edit its benchmark template.")
        )


@transaction.atomic
def benchmark_rule_create(
    *,
    organisation: Organisation,
    kind: str,
    offset_days: int,
    acting_user: User,
    label: str = "",
    per_hearing: bool = False,
    requires_public_consent: bool = False,
    active: bool = True,
) -> BenchmarkRule:
    _require_org_admin(organisation=organisation, acting_user=acting_user)
    existing = benchmark_rules_for(organisation)
    last = existing.order_by("-position").values_list("position", flat=True).first() or 0
    rule = BenchmarkRule(organisation=organisation, position=last + 1)
    _rule_save(
        rule,
        kind=kind,
        offset_days=offset_days,
        label=label,
        per_hearing=per_hearing,
        requires_public_consent=requires_public_consent,
        active=active,
    )
    audit_record(
        action="benchmark_rule.create",
        actor=acting_user,
        target=rule,
        data=_rule_data(rule),
    )
    return rule


@transaction.atomic
def benchmark_rule_update(
    *,
    rule: BenchmarkRule,
    acting_user: User,
    kind: str,
    offset_days: int,
    label: str = "",
    per_hearing: bool = False,
    requires_public_consent: bool = False,
    active: bool = True,
) -> BenchmarkRule:
    """Change one rule of the template. Plans already generated keep their milestones."""
    _require_org_admin(organisation=rule.organisation, acting_user=acting_user)
    before = _rule_data(rule)
    _rule_save(
        rule,
        kind=kind,
        offset_days=offset_days,
        label=label,
        per_hearing=per_hearing,
        requires_public_consent=requires_public_consent,
        active=active,
    )
    audit_record(
        action="benchmark_rule.update",
        actor=acting_user,
        target=rule,
        data={"before": before, "after": _rule_data(rule)},
    )
    return rule


@transaction.atomic
def benchmark_rules_reset(
    *, organisation: Organisation, acting_user: User
) -> QuerySet[BenchmarkRule]:
    """Replace the template by the defaults (milestones already planned stay as they are)."""
    _require_org_admin(organisation=organisation, acting_user=acting_user)
    rules = BenchmarkRule.objects.owned_by(organisation)
    previous = [_rule_data(rule) for rule in rules]
    rules.delete()
    _create_defaults(organisation)
    audit_record(
        action="benchmark_rules.reset",
        actor=acting_user,
        organisation=organisation,
        data={"previous": previous},
    )
    return BenchmarkRule.objects.owned_by(organisation)


def _rule_save(
    rule: BenchmarkRule,
    *,
    kind: str,
    offset_days: int,
    label: str,
    per_hearing: bool,
    requires_public_consent: bool,
    active: bool,
) -> None:
    """Check the fields (ValidationError naming them, nothing written), set and save them."""
    errors = _rule_errors(
        kind=kind,
        offset_days=offset_days,
        per_hearing=per_hearing,
        requires_public_consent=requires_public_consent,
        label=label,
    )
    if errors:
        raise ValidationError(errors)
    rule.kind = kind
    rule.label = label.strip()
    rule.offset_days = offset_days
    rule.per_hearing = per_hearing
    rule.requires_public_consent = requires_public_consent
    rule.active = active
    rule.full_clean()
    rule.save()


def _rule_data(rule: BenchmarkRule) -> dict[str, Any]:
    return {"rule": str(rule.pk), **{name: getattr(rule, name) for name in RULE_FIELDS}}


# --- generating the plan ------------------------------------------------------------------------


def _milestone(
    detention: Detention, rule: BenchmarkRule, *, due_on, hearing=None
) -> BenchmarkMilestone:
    return BenchmarkMilestone(
        organisation_id=detention.organisation_id,
        detention=detention,
        rule=rule,
        hearing=hearing,
        kind=rule.kind,
        label=rule.label,
        requires_public_consent=rule.requires_public_consent,
        due_on=due_on,
    )


def _planned(
    detention: Detention,
    rules: list[BenchmarkRule],
    hearings: list[Hearing],
    *,
    public_consent: bool,
) -> list[BenchmarkMilestone]:
    """The milestones the template asks for, given the consent and the release date."""
    planned = []
    for rule in rules:
        if not rule.active or (rule.requires_public_consent and not public_consent):
            continue
        if rule.per_hearing:
            for hearing in hearings:
                due = hearing.date + datetime.timedelta(days=rule.offset_days)
                planned.append(_milestone(detention, rule, due_on=due, hearing=hearing))
            continue
        due = detention.detained_since + datetime.timedelta(days=rule.offset_days)
        # "Démarche if held beyond 14 days": a step due after the release is not needed.
        if detention.released_on is not None and due > detention.released_on:
            continue
        planned.append(_milestone(detention, rule, due_on=due))
    return planned


def _already_planned(existing: list[BenchmarkMilestone], candidate: BenchmarkMilestone) -> bool:
    """Whether the plan already has this step: the same rule, or (for a template that was
    reset since) the same kind of step for the same hearing."""
    for milestone in existing:
        if milestone.hearing_id != candidate.hearing_id:
            continue
        if milestone.rule_id is not None and milestone.rule_id == candidate.rule_id:
            return True
        if candidate.kind != BenchmarkKind.OTHER and milestone.kind == candidate.kind:
            return True
    return False


@transaction.atomic
def detention_record(
    *,
    incident: Incident,
    acting_user: User,
    detained_since: datetime.date | None = None,
    place: str = "",
    charges: str = "",
    lawyer: str = "",
) -> Detention:
    """Record the detention of an arbitrary-detention incident and plan its benchmarks."""
    case = incident.case
    require_case_write(case=case, acting_user=acting_user)
    errors: dict[str, str] = {}
    if incident.type != Incident.Type.ARBITRARY_DETENTION:
        errors["incident"] = _("Only an arbitrary-detention incident has a detention record.")
    elif Detention.objects.owned_by(case.organisation).filter(incident=incident).exists():
        errors["incident"] = _("This detention is already recorded.")
    detained_since = detained_since or incident.occurred_on
    # Before the plan adds its offsets (up to MAX_OFFSET_DAYS) to it.
    errors.update(plausible_date_errors({"detained_since": detained_since}))
    if "detained_since" not in errors and detained_since > timezone.localdate():
        errors["detained_since"] = _("The arrest cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    detention = Detention(
        organisation_id=case.organisation_id,
        incident=incident,
        detained_since=detained_since,
        place=(place or "").strip(),
        charges=(charges or "").strip(),
        lawyer=(lawyer or "").strip(),
        recorded_by=acting_user,
    )
    detention.full_clean(exclude=["incident", "recorded_by"])
    detention.save()
    rules = list(benchmark_rules_for(case.organisation))
    milestones = _planned(detention, rules, [], public_consent=has_public_action_consent(case=case))
    BenchmarkMilestone.objects.bulk_create(milestones)
    audit_record(
        action="detention.record",
        actor=acting_user,
        target=case,
        data={"detention": str(detention.pk), "milestones": len(milestones)},
    )
    from cases.signals import detention_recorded

    detention_recorded.send(
        sender=Detention, case=case, detention=detention, acting_user=acting_user
    )
    return detention


_UNSET: Any = object()


@transaction.atomic
def detention_update(
    *,
    detention: Detention,
    acting_user: User,
    place: str = _UNSET,
    charges: str = _UNSET,
    lawyer: str = _UNSET,
    released_on: datetime.date | None = _UNSET,
) -> Detention:
    """Change the detention record; a release date ends the steps due after it."""
    case = detention.incident.case
    require_case_write(case=case, acting_user=acting_user)
    changed: list[str] = []
    errors: dict[str, str] = {}
    release_error = (
        plausible_date_errors({"released_on": released_on}) if released_on is not _UNSET else {}
    )
    if release_error:
        errors.update(release_error)
    elif released_on is not _UNSET and released_on != detention.released_on:
        if released_on is None:
            errors["released_on"] = _(
                "A release cannot be undone: record a new arbitrary-detention incident "
                "for a new arrest."
            )
        elif released_on > timezone.localdate():
            errors["released_on"] = _("The release cannot be dated in the future.")
        elif released_on < detention.detained_since:
            errors["released_on"] = _("The release cannot be before the arrest.")
        elif detention.released_on is not None:
            errors["released_on"] = _("The release is already recorded.")
    if errors:
        raise ValidationError(errors)
    for name, value in (("place", place), ("charges", charges), ("lawyer", lawyer)):
        if value is not _UNSET and value.strip() != getattr(detention, name):
            setattr(detention, name, value.strip())
            changed.append(name)
    released_now = (
        released_on is not _UNSET and released_on is not None and detention.released_on is None
    )
    if released_now:
        detention.released_on = released_on
        changed.append("released_on")
    if not changed:
        return detention
    detention.full_clean(exclude=["incident", "recorded_by"])
    detention.save()
    dropped = 0
    if released_now:
        dropped = (
            BenchmarkMilestone.objects.owned_by(detention.organisation)
            .filter(
                detention=detention,
                status=BenchmarkMilestone.Status.OPEN,
                hearing__isnull=True,
                due_on__gt=released_on,
            )
            .update(status=BenchmarkMilestone.Status.NOT_NEEDED)
        )
    audit_record(
        action="detention.update",
        actor=acting_user,
        target=case,
        data={"detention": str(detention.pk), "fields": changed, "milestones_dropped": dropped},
    )
    return detention


@transaction.atomic
def hearing_add(
    *,
    detention: Detention,
    date: datetime.date,
    court: str,
    acting_user: User,
    note: str = "",
) -> Hearing:
    """Add a hearing from the detention page: it joins the detention's proceeding (created
    the first time, ``cases.services.court.proceeding_for_detention``), and the template's
    per-hearing rules (trial observation) plan a milestone for it, due on the hearing's day
    (plus the rule's offset)."""
    from cases.services import court as court_services

    case = detention.incident.case
    require_case_write(case=case, acting_user=acting_user)
    court = (court or "").strip()
    errors = court_services.hearing_errors(date, court, detention)
    if errors:
        raise ValidationError(errors)
    proceeding = court_services.proceeding_for_detention(
        detention=detention, court=court, acting_user=acting_user
    )
    hearing, planned = court_services.hearing_create(
        proceeding=proceeding,
        detention=detention,
        date=date,
        court=court,
        note=note,
        acting_user=acting_user,
    )
    audit_record(
        action="detention.hearing_add",
        actor=acting_user,
        target=case,
        data={
            "detention": str(detention.pk),
            "proceeding": str(proceeding.pk),
            "hearing": str(hearing.pk),
            "milestones": planned,
        },
    )
    return hearing


def plan_for_hearing(
    detention: Detention, rules: list[BenchmarkRule], hearing: Hearing, *, public_consent: bool
) -> list[BenchmarkMilestone]:
    """The per-hearing milestones of one new hearing under ``detention``."""
    return _planned(detention, rules, [hearing], public_consent=public_consent)


@transaction.atomic
def benchmark_plan_refresh(*, detention: Detention, acting_user: User) -> tuple[int, int]:
    """Bring a plan up to date with the template and the consent in force: add the steps that
    are missing (a rule added since, public-action consent recorded since), and set aside open
    steps that need a consent the defender no longer gives. Returns (added, set aside)."""
    case = detention.incident.case
    require_case_write(case=case, acting_user=acting_user)
    public_consent = has_public_action_consent(case=case)
    existing = list(
        BenchmarkMilestone.objects.owned_by(detention.organisation).filter(detention=detention)
    )
    rules = list(benchmark_rules_for(case.organisation))
    hearings = list(detention.hearings.all())
    candidates = _planned(detention, rules, hearings, public_consent=public_consent)
    added = [m for m in candidates if not _already_planned(existing, m)]
    BenchmarkMilestone.objects.bulk_create(added)
    dropped = 0
    if not public_consent:
        dropped = (
            BenchmarkMilestone.objects.owned_by(detention.organisation)
            .filter(
                detention=detention,
                status=BenchmarkMilestone.Status.OPEN,
                requires_public_consent=True,
            )
            .update(status=BenchmarkMilestone.Status.NOT_NEEDED)
        )
    if added or dropped:
        audit_record(
            action="detention.plan_refresh",
            actor=acting_user,
            target=case,
            data={"detention": str(detention.pk), "added": len(added), "set_aside": dropped},
        )
    return len(added), dropped


# --- milestones -----------------------------------------------------------------------------------

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _evidence_errors(evidence_ref: str) -> str | None:
    if len(evidence_ref) > 500:
        return _("Keep the reference under 500 characters.")
    if _SCHEME.match(evidence_ref):
        # A link is shown to colleagues: only web addresses, never javascript: or data:.
        if not evidence_ref.lower().startswith(("http://", "https://")):
            return _("Give a web address (https://...) or a plain reference.")
        try:
            URLValidator(schemes=["http", "https"])(evidence_ref)
        except ValidationError:
            return _("Give a web address (https://...) or a plain reference.")
    return None


@transaction.atomic
def milestone_mark_done(
    *,
    milestone: BenchmarkMilestone,
    acting_user: User,
    note: str = "",
    evidence_ref: str = "",
) -> BenchmarkMilestone:
    """Mark a step of the plan done, with what did it (the logbook entry) and a note."""
    detention = milestone.detention
    case: Case = detention.incident.case
    require_case_write(case=case, acting_user=acting_user)
    evidence_ref = (evidence_ref or "").strip()
    error = _evidence_errors(evidence_ref)
    if error:
        raise ValidationError({"evidence_ref": error})
    if milestone.requires_public_consent:
        # Do no harm: a public step is recorded only while the defender consents to it.
        require_public_action_consent(case=case)
    # Claim the open row: two officers marking it at once record it once.
    claimed = (
        BenchmarkMilestone.objects.owned_by(detention.organisation)
        .filter(Q(pk=milestone.pk) & Q(status=BenchmarkMilestone.Status.OPEN))
        .update(status=BenchmarkMilestone.Status.DONE, done_at=timezone.now(), done_by=acting_user)
    )
    if claimed != 1:
        milestone.refresh_from_db(fields=["status"])
        raise StateConflict(
            _("This step is already %(status)s.")
            % {"status": milestone.get_status_display().lower()},
            allowed=[],
        )
    milestone.refresh_from_db(fields=["status", "done_at", "done_by"])
    milestone.note = (note or "").strip()
    milestone.evidence_ref = evidence_ref
    milestone.full_clean(exclude=["detention", "rule", "hearing", "done_by"])
    milestone.save(update_fields=["note", "evidence_ref"])
    audit_record(
        action="detention.milestone_done",
        actor=acting_user,
        target=case,
        data={"milestone": str(milestone.pk), "kind": milestone.kind, "evidence_ref": evidence_ref},
    )
    return milestone
