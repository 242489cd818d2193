"""Writes of court proceedings, their hearings, and the missions planned to observe them
(issue 21, item 3).

Who may do what:

- the case owner's writers record and change proceedings, schedule hearings and plan
  observers (their own organisation or a partner that follows the case);
- a mission records its own observer's attendance (``hearing_observer_record``), and a
  partner that logs a trial observation naming a hearing plans or records itself through
  ``hearing_observer_from_observation`` (called by ``logbooks.services.actions``, which has
  checked that the partner may log on the case);
- ``hearing_observer_plan_for_support`` is for the support app only: it has checked the
  accepted trial-observation request (the receiver may not see the case) and plans the
  receiving mission itself, without opening the case to it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.access import partner_group_ids, require_case_write
from cases.models import (
    BenchmarkMilestone,
    Case,
    DefenderRole,
    Detention,
    Hearing,
    HearingObserver,
    ObserverStatus,
    Proceeding,
    ProceedingStatus,
)
from cases.services.retention import blank_fields
from hrdcase.audit import audit_record
from hrdcase.dates import plausible_date_errors

if TYPE_CHECKING:
    from accounts.models import Organisation, User

_UNSET: Any = object()

#: the plain and encrypted text fields of a proceeding, with their length limits.
TEXT_FIELDS: dict[str, int] = {"court": 200, "case_number": 200, "charges": 5000, "lawyer": 1000}


def _proceeding_errors(
    *, court: str, case_number: str, charges: str, lawyer: str, defender_role: str, status: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not court:
        errors["court"] = _("Name the court.")
    values = {"court": court, "case_number": case_number, "charges": charges, "lawyer": lawyer}
    for name, limit in TEXT_FIELDS.items():
        if len(values[name]) > limit:
            errors[name] = _("Keep it under %(n)d characters.") % {"n": limit}
    if "\n" in court or "\r" in court:
        errors["court"] = _("Keep the court's name on one line.")
    if defender_role not in DefenderRole.values:
        errors["defender_role"] = _("Unknown role: choose one of %(roles)s.") % {
            "roles": ", ".join(DefenderRole.values)
        }
    if status not in ProceedingStatus.values:
        errors["status"] = _("Unknown status: choose one of %(statuses)s.") % {
            "statuses": ", ".join(ProceedingStatus.values)
        }
    return errors


def _detention_error(detention: Detention | None, case: Case) -> str | None:
    if detention is None:
        return None
    if detention.organisation_id != case.organisation_id or detention.incident.case_id != case.pk:
        return _("Choose a detention of this case.")
    return None


def _require_live_case(case: Case) -> None:
    if case.purged_at:
        raise ValidationError(_("This case was purged: nothing can be added to it."))


@transaction.atomic
def proceeding_create(
    *,
    case: Case,
    court: str,
    acting_user: User,
    case_number: str = "",
    charges: str = "",
    defender_role: str = DefenderRole.DEFENDANT,
    lawyer: str = "",
    status: str = ProceedingStatus.OPEN,
    detention: Detention | None = None,
) -> Proceeding:
    """Record a court proceeding on any case; ``detention`` (one of the case's) links to it."""
    require_case_write(case=case, acting_user=acting_user)
    _require_live_case(case)
    values = {
        "court": (court or "").strip(),
        "case_number": (case_number or "").strip(),
        "charges": (charges or "").strip(),
        "lawyer": (lawyer or "").strip(),
    }
    errors = _proceeding_errors(defender_role=defender_role, status=status, **values)
    problem = _detention_error(detention, case)
    if problem:
        errors["detention"] = problem
    if errors:
        raise ValidationError(errors)
    proceeding = Proceeding(
        organisation_id=case.organisation_id,
        case=case,
        defender_role=defender_role,
        status=status,
        recorded_by=acting_user,
        **values,
    )
    proceeding.save()
    if detention is not None:
        Detention.objects.owned_by(case.organisation).filter(pk=detention.pk).update(
            proceeding=proceeding
        )
    audit_record(
        action="court.proceeding_create",
        actor=acting_user,
        target=case,
        data={"proceeding": str(proceeding.pk), "status": status, "role": defender_role},
    )
    return proceeding


@transaction.atomic
def proceeding_update(
    *,
    proceeding: Proceeding,
    acting_user: User,
    court: str = _UNSET,
    case_number: str = _UNSET,
    charges: str = _UNSET,
    lawyer: str = _UNSET,
    defender_role: str = _UNSET,
    status: str = _UNSET,
    detention: Detention | None = _UNSET,
) -> Proceeding:
    """Change what is sent (``_UNSET``: left as is). ``detention`` links one of the case's
    detentions to the proceeding (None leaves the links as they are)."""
    case = proceeding.case
    require_case_write(case=case, acting_user=acting_user)
    _require_live_case(case)
    sent = {
        "court": court,
        "case_number": case_number,
        "charges": charges,
        "lawyer": lawyer,
        "defender_role": defender_role,
        "status": status,
    }
    values = {
        name: (value.strip() if name in TEXT_FIELDS else value)
        if value is not _UNSET
        else getattr(proceeding, name)
        for name, value in sent.items()
    }
    errors = _proceeding_errors(**values)
    link = detention if detention is not _UNSET else None
    problem = _detention_error(link, case)
    if problem:
        errors["detention"] = problem
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in values.items() if getattr(proceeding, name) != value]
    for name in changed:
        setattr(proceeding, name, values[name])
    if changed:
        proceeding.save()
    if link is not None and link.proceeding_id != proceeding.pk:
        Detention.objects.owned_by(case.organisation).filter(pk=link.pk).update(
            proceeding=proceeding
        )
        changed.append("detention")
    if changed:
        audit_record(
            action="court.proceeding_update",
            actor=acting_user,
            target=case,
            data={"proceeding": str(proceeding.pk), "fields": changed},
        )
    return proceeding


# --- hearings ----------------------------------------------------------------------------------


def detention_at(proceeding: Proceeding, date: datetime.date) -> Detention | None:
    """The detention of the proceeding the defender is under on ``date`` (the latest arrest
    before it, not released before it), if any: its benchmark plan gets the hearing."""
    return (
        Detention.objects.owned_by(proceeding.case.organisation)
        .filter(proceeding=proceeding, detained_since__lte=date)
        .filter(Q(released_on__isnull=True) | Q(released_on__gte=date))
        .order_by("-detained_since")
        .first()
    )


def hearing_errors(
    date: datetime.date | None, court: str, detention: Detention | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    # Before the per-hearing rules add their offsets to it (9999-12-31 answered 500).
    date_error = plausible_date_errors({"date": date})
    if date is None:
        errors["date"] = _("Enter the date of the hearing.")
    elif date_error:
        errors.update(date_error)
    elif detention is not None and date < detention.detained_since:
        errors["date"] = _("The hearing cannot be before the arrest.")
    if not court:
        errors["court"] = _("Name the court.")
    elif len(court) > 200:
        errors["court"] = _("Keep it under %(n)d characters.") % {"n": 200}
    return errors


def hearing_create(
    *,
    proceeding: Proceeding,
    detention: Detention | None,
    date: datetime.date,
    court: str,
    note: str,
    acting_user: User,
) -> tuple[Hearing, int]:
    """The row and its benchmark milestones (under a detention): the caller checked access,
    the fields (``hearing_errors``) and audits. Returns the hearing and the milestones
    planned."""
    from cases.selectors.consent import has_public_action_consent
    from cases.services.detention import benchmark_rules_for, plan_for_hearing

    hearing = Hearing(
        organisation_id=proceeding.organisation_id,
        proceeding=proceeding,
        detention=detention,
        date=date,
        court=court,
        note=(note or "").strip(),
        recorded_by=acting_user,
    )
    hearing.full_clean(exclude=["proceeding", "detention", "recorded_by"])
    hearing.save()
    planned = 0
    if detention is not None:
        case = proceeding.case
        rules = [rule for rule in benchmark_rules_for(case.organisation) if rule.per_hearing]
        milestones = plan_for_hearing(
            detention, rules, hearing, public_consent=has_public_action_consent(case=case)
        )
        BenchmarkMilestone.objects.bulk_create(milestones)
        planned = len(milestones)
    return hearing, planned


@transaction.atomic
def hearing_schedule(
    *,
    proceeding: Proceeding,
    date: datetime.date,
    acting_user: User,
    court: str = "",
    note: str = "",
) -> Hearing:
    """Add a hearing to a proceeding (the court defaults to the proceeding's). Under a
    detention linked to the proceeding, the template's per-hearing rules (trial observation)
    plan a milestone for it."""
    case = proceeding.case
    require_case_write(case=case, acting_user=acting_user)
    _require_live_case(case)
    court = (court or "").strip() or proceeding.court
    detention = detention_at(proceeding, date) if isinstance(date, datetime.date) else None
    errors = hearing_errors(date, court, detention)
    if errors:
        raise ValidationError(errors)
    hearing, planned = hearing_create(
        proceeding=proceeding,
        detention=detention,
        date=date,
        court=court,
        note=note,
        acting_user=acting_user,
    )
    audit_record(
        action="court.hearing_schedule",
        actor=acting_user,
        target=case,
        data={
            "proceeding": str(proceeding.pk),
            "hearing": str(hearing.pk),
            "detention": str(detention.pk) if detention else None,
            "milestones": planned,
        },
    )
    return hearing


def proceeding_for_detention(*, detention: Detention, court: str, acting_user: User) -> Proceeding:
    """The proceeding a hearing added on the detention page belongs to: the detention's own,
    or a new one (its court, the detention's charges and lawyer) linked to it. The caller
    (``cases.services.detention.hearing_add``) checked the owner's write."""
    if detention.proceeding is not None:
        return detention.proceeding
    proceeding = Proceeding(
        organisation_id=detention.organisation_id,
        case=detention.incident.case,
        court=court,
        charges=detention.charges,
        lawyer=detention.lawyer,
        defender_role=DefenderRole.DEFENDANT,
        recorded_by=acting_user,
    )
    proceeding.save()
    detention.proceeding = proceeding
    detention.save(update_fields=["proceeding"])
    return proceeding


# --- observers ---------------------------------------------------------------------------------


def _observer_error(observer: User | None, organisation: Organisation) -> str | None:
    if observer is None:
        return None
    if observer.organisation_id != organisation.pk or not observer.is_active:
        return _("The observer must be an active member of the observing organisation.")
    return None


def hearing_case(hearing: Hearing) -> Case:
    """The case of a hearing: its proceeding's (a hearing older than proceedings that
    migration 0010 did not attach would be its detention's)."""
    if hearing.proceeding is not None:
        return hearing.proceeding.case
    assert hearing.detention is not None, "a hearing has a proceeding or a detention"
    return hearing.detention.incident.case


def _require_hearing_open(hearing: Hearing) -> Case:
    case = hearing_case(hearing)
    if case.purged_at or case.status == Case.Status.CLOSED:
        raise ValidationError({"hearing": _("The case of this hearing is closed.")})
    return case


def _observer_upsert(
    *,
    hearing: Hearing,
    organisation: Organisation,
    observer: User | None,
    acting_user: User,
    source: str,
    status: str = ObserverStatus.PLANNED,
) -> tuple[HearingObserver, bool]:
    """One row per (hearing, organisation), locked while it changes. A new plan does not
    reset a row already recorded (attended/absent) unless ``status`` records it again."""
    row = (
        HearingObserver.objects.select_for_update()
        .filter(hearing=hearing, organisation=organisation)
        .first()
    )
    created = row is None
    if row is None:
        row = HearingObserver(
            hearing=hearing, organisation=organisation, planned_by=acting_user, source=source[:100]
        )
    if observer is not None or created:
        row.observer = observer
    if created or status != ObserverStatus.PLANNED:
        row.status = status
    row.save()
    return row, created


def not_a_partner_message() -> str:
    """Refusing an organisation that is not the case's owner or partner (one message for any
    id, known or not: the API is no oracle of other organisations)."""
    return _(
        "Plan your organisation or a partner that follows the case (ask other missions "
        "through a support request)."
    )


def own_observer_message() -> str:
    return _("Name an observer of your own organisation only.")


def partners_of_case(case: Case):
    """The organisations that may be planned as observers by the owner: itself and the
    partners a live share lets follow the case."""
    from accounts.models import Organisation as OrganisationModel

    groups = partner_group_ids(case, "view_case")
    return OrganisationModel.objects.filter(
        Q(pk=case.organisation_id) | Q(group_id__in=groups), is_active=True
    )


@transaction.atomic
def hearing_observer_plan(
    *,
    hearing: Hearing,
    organisation: Organisation,
    acting_user: User,
    observer: User | None = None,
) -> HearingObserver:
    """The owner's writers plan a mission (their own organisation or a partner following the
    case) to observe a hearing, naming who goes when they know (their own members only)."""
    case = _require_hearing_open(hearing)
    require_case_write(case=case, acting_user=acting_user)
    errors: dict[str, str] = {}
    if not partners_of_case(case).filter(pk=organisation.pk).exists():
        errors["organisation"] = not_a_partner_message()
    elif observer is not None and organisation.pk != acting_user.organisation_id:
        # A partner names its own people (by logging its planned observation).
        errors["observer"] = own_observer_message()
    else:
        problem = _observer_error(observer, organisation)
        if problem:
            errors["observer"] = problem
    if errors:
        raise ValidationError(errors)
    row, created = _observer_upsert(
        hearing=hearing,
        organisation=organisation,
        observer=observer,
        acting_user=acting_user,
        source="",
    )
    audit_record(
        action="court.observer_plan",
        actor=acting_user,
        target=hearing,
        data={"organisation": str(organisation.pk), "created": created, "source": ""},
    )
    return row


@transaction.atomic
def hearing_observer_plan_for_support(
    *,
    hearing: Hearing,
    organisation: Organisation,
    acting_user: User,
    observer: User | None = None,
    source: str = "",
) -> HearingObserver:
    """For the support app only, once it has checked the accepted trial-observation request
    that names ``hearing`` and whose receiver is ``organisation``: plan that mission as an
    observer. No case access is asked of the receiver, and nothing of the case is returned
    or opened to it (the request did not share the case)."""
    if (
        acting_user.organisation_id != organisation.pk
        or not acting_user.can_write
        or not organisation.is_active
    ):
        raise PermissionDenied
    _require_hearing_open(hearing)
    problem = _observer_error(observer, organisation)
    if problem:
        raise ValidationError({"observer": problem})
    row, created = _observer_upsert(
        hearing=hearing,
        organisation=organisation,
        observer=observer,
        acting_user=acting_user,
        source=source,
    )
    audit_record(
        action="court.observer_plan",
        actor=acting_user,
        target=hearing,
        data={"organisation": str(organisation.pk), "created": created, "source": source[:100]},
    )
    return row


@transaction.atomic
def hearing_observer_record(
    *, observer_row: HearingObserver, status: str, acting_user: User, note: str = ""
) -> HearingObserver:
    """Record whether the mission attended (or set it back to planned). Its own writers, or
    the case owner's writers."""
    hearing = observer_row.hearing
    case = _require_hearing_open(hearing)
    organisation = acting_user.organisation
    if organisation is not None and observer_row.organisation_id == organisation.pk:
        if not acting_user.can_write or not organisation.is_active:
            raise PermissionDenied
    else:
        require_case_write(case=case, acting_user=acting_user)
    if status not in ObserverStatus.values:
        raise ValidationError(
            {"status": _("Status is one of %(s)s.") % {"s": ", ".join(ObserverStatus.values)}}
        )
    if len(note or "") > 2000:
        raise ValidationError({"note": _("Keep it under %(n)d characters.") % {"n": 2000}})
    previous = observer_row.status
    observer_row.status = status
    observer_row.note = (note or "").strip()
    observer_row.save(update_fields=["status", "note", "updated_at"])
    audit_record(
        action="court.observer_record",
        actor=acting_user,
        target=hearing,
        data={"observer": str(observer_row.pk), "from": previous, "to": status},
    )
    return observer_row


def hearing_observer_from_observation(
    *,
    hearing: Hearing,
    acting_user: User,
    attended: bool | None,
    planned: bool,
    source: str,
) -> HearingObserver:
    """A trial observation logged by a mission that may log on the case (the caller,
    ``logbooks.services.actions``, checked it and the hearing belongs to the case): plan its
    own organisation as the hearing's observer (``planned``) or record whether it attended.
    Runs in the caller's transaction; audited with it."""
    organisation = acting_user.organisation
    assert organisation is not None, "the caller checked that the user may log on the case"
    if attended is None or planned:
        status = ObserverStatus.PLANNED
    else:
        status = ObserverStatus.ATTENDED if attended else ObserverStatus.ABSENT
    row, _created = _observer_upsert(
        hearing=hearing,
        organisation=organisation,
        observer=acting_user if planned or attended else None,
        acting_user=acting_user,
        source=source,
        status=status,
    )
    return row


# --- retention: what a purge destroys of proceedings ------------------------------------------


def proceedings_purge(case: Case) -> None:
    """Keep roles, statuses and dates (counted by the dashboards); destroy courts, numbers,
    charges, lawyers and notes (registered in ``cases/hooks.py``)."""
    # unscoped: the purge job runs for every tenant; narrowed to this case.
    for proceeding in Proceeding.objects.unscoped().filter(case=case):
        blank_fields(proceeding, ("court", "case_number", "charges", "lawyer"))
    for hearing in Hearing.objects.unscoped().filter(proceeding__case=case):
        blank_fields(hearing, ("court", "note"))
    for row in HearingObserver.objects.filter(hearing__proceeding__case=case):
        blank_fields(row, ("note",))
