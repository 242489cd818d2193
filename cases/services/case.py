"""Registering defenders and opening, changing and closing cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import require_case_write
from cases.models import (
    AreaOfWork,
    Case,
    CaseCounter,
    ClosingReason,
    Defender,
    RiskLevel,
    ThreatType,
)
from cases.services.retention import blank_fields
from hrdcase import crypto
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User


#: what a retention purge destroys of the defender (the last of their cases purged).
DEFENDER_IDENTITY_FIELDS = ("legal_name", "other_names", "contact_channels", "location", "notes")


@dataclass(frozen=True)
class DefenderIdentity:
    kind: str
    legal_name: str
    country: str
    other_names: str = ""
    contact_channels: str = ""
    location: str = ""
    notes: str = ""
    member_count: int | None = None
    gender: str = ""


def defender_name_index(*, legal_name: str, country: str) -> str:
    try:
        return crypto.blind_index(legal_name, scope=str(country))
    except ValueError:
        raise ValidationError({"legal_name": _("Enter a name with at least one letter.")}) from None


def _next_reference(organisation, year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{organisation.code}-{year}-{counter.last:04d}"


def _check_lead_officer(lead_officer, organisation) -> None:
    if lead_officer is not None and (
        lead_officer.organisation_id != organisation.pk
        or not lead_officer.is_active
        or not lead_officer.can_write
    ):
        raise ValidationError({"lead_officer": _("Choose an active officer of your organisation.")})


@transaction.atomic
def case_register(
    *,
    identity: DefenderIdentity,
    pseudonym: str,
    acting_user: User,
    areas_of_work: list[AreaOfWork] | None = None,
    threat_types: list[ThreatType] | None = None,
    summary: str = "",
    lead_officer: User | None = None,
    opened_on: date | None = None,
) -> Case:
    """Register a defender and open their case in the acting user's organisation."""
    organisation = acting_user.organisation
    if organisation is None or not acting_user.can_write:
        raise ValidationError(_("Only officers and administrators of an organisation open cases."))
    _check_lead_officer(lead_officer, organisation)
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("The opening date cannot be in the future.")})
    defender = Defender(
        organisation=organisation,
        kind=identity.kind,
        legal_name=identity.legal_name,
        other_names=identity.other_names,
        contact_channels=identity.contact_channels,
        location=identity.location,
        notes=identity.notes,
        member_count=identity.member_count if identity.kind == Defender.Kind.COLLECTIVE else None,
        country=identity.country,
        gender=identity.gender,
        name_index=defender_name_index(legal_name=identity.legal_name, country=identity.country),
    )
    defender.full_clean()
    defender.save()
    if areas_of_work:
        defender.areas_of_work.set(areas_of_work)
    case = Case(
        organisation=organisation,
        defender=defender,
        reference=_next_reference(organisation, opened_on.year),
        pseudonym=pseudonym.strip(),
        lead_officer=lead_officer or acting_user,
        opened_on=opened_on,
        summary=summary,
    )
    case.full_clean()
    case.save()
    if threat_types:
        case.threat_types.set(threat_types)
    audit_record(
        action="case.open", actor=acting_user, target=case, data={"reference": case.reference}
    )
    return case


@transaction.atomic
def defender_update(*, case: Case, acting_user: User, **fields) -> Defender:
    """Change the defender's identity or profile (owner organisation only)."""
    require_case_write(case=case, acting_user=acting_user)
    defender = case.defender
    areas = fields.pop("areas_of_work", None)
    for name, value in fields.items():
        setattr(defender, name, value)
    if defender.kind != Defender.Kind.COLLECTIVE:
        defender.member_count = None
    if {"legal_name", "country"} & fields.keys():
        defender.name_index = defender_name_index(
            legal_name=defender.legal_name, country=str(defender.country)
        )
    defender.full_clean()
    defender.save()
    if areas is not None:
        defender.areas_of_work.set(areas)
    audit_record(
        action="defender.update", actor=acting_user, target=case, data={"fields": sorted(fields)}
    )
    return defender


@transaction.atomic
def case_update(
    *,
    case: Case,
    acting_user: User,
    pseudonym: str | None = None,
    lead_officer: User | None = None,
    status: str | None = None,
    summary: str | None = None,
    threat_types: list[ThreatType] | None = None,
) -> Case:
    """Change a case's working fields. Closing goes through ``case_close``."""
    require_case_write(case=case, acting_user=acting_user)
    changed = []
    if pseudonym is not None:
        case.pseudonym = pseudonym.strip()
        changed.append("pseudonym")
    if lead_officer is not None:
        _check_lead_officer(lead_officer, case.organisation)
        case.lead_officer = lead_officer
        changed.append("lead_officer")
    if status is not None:
        if status == Case.Status.CLOSED:
            raise ValidationError({"status": _("Close a case with its closing reason and date.")})
        if status not in Case.Status.values:
            raise ValidationError({"status": _("Unknown status.")})
        if case.is_closed:
            case.closed_on = None
            case.closing_reason = ""
        case.status = status
        changed.append("status")
    if summary is not None:
        case.summary = summary
        changed.append("summary")
    case.full_clean()
    case.save()
    if threat_types is not None:
        case.threat_types.set(threat_types)
        changed.append("threat_types")
    audit_record(action="case.update", actor=acting_user, target=case, data={"fields": changed})
    return case


@transaction.atomic
def case_close(
    *, case: Case, reason: str, closed_on: date | None = None, acting_user: User
) -> Case:
    require_case_write(case=case, acting_user=acting_user)
    if reason not in ClosingReason.values:
        raise ValidationError({"closing_reason": _("Choose a closing reason.")})
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("The closing date cannot be in the future.")})
    if closed_on < case.opened_on:
        raise ValidationError(
            {"closed_on": _("The closing date cannot be before the opening date.")}
        )
    case.status = Case.Status.CLOSED
    case.closing_reason = reason
    case.closed_on = closed_on
    case.save(update_fields=["status", "closing_reason", "closed_on", "updated_at"])
    audit_record(action="case.close", actor=acting_user, target=case, data={"reason": reason})
    from cases.signals import case_closed

    case_closed.send(sender=Case, case=case, acting_user=acting_user)
    return case


@transaction.atomic
def case_set_risk(
    *,
    case: Case,
    assessed_level: str,
    review_on: date,
    acting_user: User | None = None,
    assessment: object | None = None,
) -> Case:
    """Record the latest assessment's level and next review date; an override in force keeps
    the case's level. ``acting_user`` and ``assessment``: who assessed, and the assessment,
    told to the apps that react to a rising level (alerts names them and alerts not the
    assessor)."""
    previous = case.risk_level
    case.risk_assessed_level = assessed_level
    case.risk_review_on = review_on
    if not case.risk_overridden:
        case.risk_level = assessed_level
    case.save(update_fields=["risk_assessed_level", "risk_level", "risk_review_on", "updated_at"])
    _signal_risk_raised(case, previous, acting_user=acting_user, assessment=assessment)
    return case


def _signal_risk_raised(
    case: Case, previous: str, *, acting_user: User | None, assessment: object | None = None
) -> None:
    """Tell the apps above (alerts) that the level in force rose to high or critical."""
    from cases.models.case import RISK_ORDER
    from cases.signals import case_risk_raised

    if RISK_ORDER.get(case.risk_level, 0) >= RISK_ORDER["high"] and RISK_ORDER.get(
        case.risk_level, 0
    ) > RISK_ORDER.get(previous, 0):
        case_risk_raised.send(
            sender=Case,
            case=case,
            previous=previous,
            level=case.risk_level,
            acting_user=acting_user,
            assessment=assessment,
        )


@transaction.atomic
def case_override_risk(*, case: Case, level: str, reason: str, acting_user: User) -> Case:
    """Override the assessed level with a reason; an empty ``level`` returns to the assessed one."""
    require_case_write(case=case, acting_user=acting_user)
    if level and level not in RiskLevel.values:
        raise ValidationError({"risk_level": _("Unknown risk level.")})
    if level and not reason.strip():
        raise ValidationError(
            {"risk_override_reason": _("Say why the assessed level does not apply.")}
        )
    previous = case.risk_level
    case.risk_level = level or case.risk_assessed_level
    case.risk_override_reason = reason.strip() if level else ""
    case.full_clean()
    case.save(update_fields=["risk_level", "risk_override_reason", "updated_at"])
    _signal_risk_raised(case, previous, acting_user=acting_user)
    audit_record(
        action="case.risk_override",
        actor=acting_user,
        target=case,
        data={"level": case.risk_level, "assessed": case.risk_assessed_level},
    )
    return case


# --- retention: what a purge destroys of the defender and the case ------------------------------


def defender_purge(case: Case) -> None:
    # unscoped: the purge job runs for every tenant; narrowed to this case's defender.
    defender = Defender.objects.unscoped().select_for_update().get(pk=case.defender_id)
    # One defender record may carry several cases: the identity goes with the last of them,
    # never from under a case still followed.
    others = (
        Case.objects.unscoped()
        .filter(defender_id=defender.pk, purged_at__isnull=True)
        .exclude(pk=case.pk)
    )
    if others.exists():
        return
    blank_fields(defender, DEFENDER_IDENTITY_FIELDS)
    if defender.name_index:
        # The blind index goes too: the duplicate hint must no longer match this defender.
        defender.name_index = ""
        defender.save(update_fields=["name_index"])


def case_narratives_purge(case: Case) -> None:
    blank_fields(case, ("summary", "risk_override_reason"))
