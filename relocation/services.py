"""Writes of the relocation app: requests and their workflow, visa and shelter referrals,
capacity, grants, settings. Views and serializers validate input and call these.

Rules:
- Bad input raises ``ValidationError({field: message})`` before anything is written.
- A step the object's state does not allow raises ``StateConflict`` with the allowed ones.
- A user of the wrong side (the addressee trying the requester's step, or the reverse)
  raises ``PermissionDenied``: both sides can see the object, so a 403 leaks nothing.
- Every decision, transition and identity reveal is audited; every accept, waitlist,
  decline, decision and cancellation notifies the other side (``alerts.services.notify``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Organisation, Role, User
from alerts.services.notify import notify
from cases.access import live_permissions, require_case_write
from cases.models import Case, CaseAccessLog
from cases.models.consent import Consent
from cases.services.access_log import case_part_viewed
from cases.services.consent import require_relocation_consent
from hrdcase.audit import audit_record
from hrdcase.dates import plausible_date_errors, require_plausible_dates
from hrdcase.exceptions import StateConflict
from relocation import capacity
from relocation.models import (
    MAX_STAY_MONTHS,
    REVIEW_STEPS,
    TERMINAL_STATUSES,
    CapacityPeriod,
    GrantPurpose,
    GrantRequest,
    RelocationRequest,
    RelocationSettings,
    RequestStatus,
    RequestTransition,
    ShelterProgramme,
    ShelterReferral,
    Support,
    Urgency,
    VisaReferral,
)

if TYPE_CHECKING:
    from cases.models import Defender

WRITE_ROLES = (Role.ADMIN, Role.OFFICER)
#: the part of a case a partner must hold, now, to ask for relocation on it (``full``).
REFERRAL_PERMISSION = "add_case_referral"


# --- helpers ---------------------------------------------------------------------------------


def org_people(organisation_id, *, admins_only: bool = False) -> list[User]:
    """Active writers (or admins) of an organisation: whom to tell."""
    roles = (Role.ADMIN,) if admins_only else WRITE_ROLES
    return list(
        User.objects.filter(organisation_id=organisation_id, is_active=True, role__in=roles)
    )


def _requester_side(obj: Any) -> list[User]:
    """The person who raised it and their organisation's admins."""
    people = org_people(obj.organisation_id, admins_only=True)
    creator = obj.created_by
    if creator.is_active and creator.pk not in {p.pk for p in people}:
        people.append(creator)
    return people


def _require_writer_of(user: User, organisation_id) -> None:
    if user.organisation_id != organisation_id or not user.can_write:
        raise PermissionDenied


def _require_requester(user: User, relocation_request: RelocationRequest) -> None:
    """A requester's write: a writer of the requesting organisation, which must still hold the
    case *now* (its owner, or a partner whose live share grants referrals). A partner whose
    share ended gets ``PermissionDenied`` even on a request it raised earlier."""
    _require_writer_of(user, relocation_request.organisation_id)
    require_case_write(case=relocation_request.case, acting_user=user, need=REFERRAL_PERMISSION)


def requester_holds_case(relocation_request: RelocationRequest) -> bool:
    """Whether the requesting organisation still holds the case (owner, or live share with
    referrals), whoever asks: an addressee's decision waits while it does not."""
    case = relocation_request.case
    if relocation_request.organisation_id == case.organisation_id:
        return True
    return REFERRAL_PERMISSION in live_permissions(relocation_request.organisation, case)


def _require_live_request(relocation_request: RelocationRequest) -> None:
    """An addressee decides a referral only while its request stands: not frozen, and its
    requester still holding the case (a share past its expiry counts as ended at once, even
    before the sweep withdraws the referral)."""
    if relocation_request.is_frozen or not requester_holds_case(relocation_request):
        raise StateConflict(
            _(
                "The requesting organisation no longer holds this case: the request is on hold "
                "and this referral cannot be answered."
            ),
            allowed=[],
        )


def has_relocation_consent(case: Case) -> bool:
    """The check without raising (``require_relocation_consent`` raises)."""
    return case.consents.filter(scope=Consent.Scope.RELOCATION, revoked_at__isnull=True).exists()


def _require_consent(case: Case) -> None:
    try:
        require_relocation_consent(case=case)
    except ValidationError as error:
        raise ValidationError({"case": error.messages}) from None


def _require_open_case(case: Case) -> None:
    if case.purged_at is not None or case.is_closed:
        raise ValidationError(
            {"case": _("This case is closed: reopen it before asking for relocation support.")}
        )


def _require_actionable(relocation_request: RelocationRequest) -> None:
    if relocation_request.is_frozen:
        raise StateConflict(FROZEN_MESSAGE, allowed=list(relocation_request.allowed_next))
    if not relocation_request.is_actionable:
        raise ValidationError(
            {
                "request": _(
                    "Referrals and grants can be raised once the request is approved "
                    "(it is %(status)s)."
                )
                % {"status": relocation_request.get_status_display()}
            }
        )
    _require_open_case(relocation_request.case)


def _locked(model, pk):
    # unscoped: re-reading, under a row lock, an object the caller already loaded through
    # its scoped path (the lock serialises two concurrent decisions on it).
    return model.objects.unscoped().select_for_update().get(pk=pk)


def settings_for(organisation_id) -> RelocationSettings:
    """The organisation's relocation settings, or the defaults (unsaved) if it has none."""
    # unscoped: one organisation's own configuration row, read by id.
    row = RelocationSettings.objects.unscoped().filter(organisation_id=organisation_id).first()
    return row or RelocationSettings(organisation_id=organisation_id)


def one_year_from(day: datetime.date) -> datetime.date:
    """The last day of a validity of one year starting ``day`` (domain/001: valid one year)."""
    return day + relativedelta(years=1) - datetime.timedelta(days=1)


def _url(name: str, pk) -> str:
    return reverse(f"relocation:{name}", args=[pk])


# --- settings --------------------------------------------------------------------------------


@transaction.atomic
def settings_update(
    *,
    organisation: Organisation,
    acting_user: User,
    visa_service_days: int,
    grant_cap_amount: Decimal,
    grant_cap_currency: str,
    offers_grants: bool | None = None,
) -> RelocationSettings:
    if acting_user.organisation_id != organisation.pk or not acting_user.is_org_admin:
        raise PermissionDenied
    row = settings_for(organisation.pk)
    before = {
        "visa_service_days": row.visa_service_days,
        "grant_cap_amount": str(row.grant_cap_amount),
        "grant_cap_currency": row.grant_cap_currency,
        "offers_grants": row.offers_grants,
    }
    row.visa_service_days = visa_service_days
    row.grant_cap_amount = grant_cap_amount
    row.grant_cap_currency = (grant_cap_currency or "").upper()
    if offers_grants is not None:
        row.offers_grants = bool(offers_grants)
    row.full_clean()
    row.save()
    audit_record(
        action="relocation.settings_update",
        actor=acting_user,
        target=row,
        data={
            "before": before,
            "after": {
                "visa_service_days": visa_service_days,
                "grant_cap_amount": str(grant_cap_amount),
                "grant_cap_currency": row.grant_cap_currency,
                "offers_grants": row.offers_grants,
            },
        },
    )
    return row


def grantors():
    """Active organisations that offer emergency grants (the choices of a grant request)."""
    # unscoped: which organisations offer grants is public to every requester.
    offering = RelocationSettings.objects.unscoped().filter(offers_grants=True)
    return Organisation.objects.filter(
        is_active=True, pk__in=offering.values("organisation_id")
    ).order_by("name")


# --- relocation requests ---------------------------------------------------------------------

FROZEN_MESSAGE = _lazy(
    "This request is on hold: the requesting organisation no longer holds the case. The case "
    "owner may share the case again at full level, which resumes it, or cancel it."
)

REQUEST_TEXT_FIELDS = (
    "languages",
    "medical_needs",
    "accessibility_needs",
    "digital_security_needs",
    "visa_plan",
    "journey_security_plan",
    "family_support_plan",
    "return_strategy",
)


def _validate_request_fields(
    *, support: Iterable[str], urgency: str, window_start, window_end, family_members: int
) -> list[str]:
    errors: dict[str, str] = {}
    support = list(dict.fromkeys(support or []))
    valid = set(Support.values)
    if not support:
        errors["support"] = _("Choose at least one kind of support.")
    elif any(value not in valid for value in support):
        errors["support"] = _("Unknown kind of support: %(values)s.") % {
            "values": ", ".join(v for v in support if v not in valid)
        }
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose an urgency.")
    date_errors = plausible_date_errors({"window_start": window_start, "window_end": window_end})
    errors.update(date_errors)
    if not date_errors and window_start and window_end and window_end < window_start:
        errors["window_end"] = _("The preferred window ends before it starts.")
    if family_members is not None and not 0 <= int(family_members) <= 20:
        errors["family_members"] = _("Between 0 and 20 accompanying family members.")
    if errors:
        raise ValidationError(errors)
    return support


@transaction.atomic
def request_create(
    *,
    case: Case,
    acting_user: User,
    support: Iterable[str],
    urgency: str = Urgency.URGENT,
    window_start: datetime.date | None = None,
    window_end: datetime.date | None = None,
    family_members: int = 0,
    submit: bool = False,
    **texts: str,
) -> RelocationRequest:
    """A new request on ``case``, by the case owner's writers or a ``full`` partner's (one
    holding ``add_case_referral`` now). Saved as a draft, or submitted at once with
    ``submit``."""
    unknown = set(texts) - set(REQUEST_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    require_case_write(case=case, acting_user=acting_user, need=REFERRAL_PERMISSION)
    _require_open_case(case)
    support = _validate_request_fields(
        support=support,
        urgency=urgency,
        window_start=window_start,
        window_end=window_end,
        family_members=family_members,
    )
    relocation_request = RelocationRequest(
        organisation=acting_user.organisation,
        case=case,
        reviewer_id=case.organisation_id,
        created_by=acting_user,
        support=support,
        urgency=urgency,
        window_start=window_start,
        window_end=window_end,
        family_members=family_members or 0,
        status=RequestStatus.DRAFT,
        status_changed_at=timezone.now(),
        **{name: (value or "").strip() for name, value in texts.items()},
    )
    relocation_request.full_clean(exclude=["case"])
    relocation_request.save()
    RequestTransition.objects.create(
        organisation_id=relocation_request.organisation_id,
        request=relocation_request,
        from_status="",
        to_status=RequestStatus.DRAFT,
        actor=acting_user,
        at=relocation_request.status_changed_at,
    )
    audit_record(
        action="relocation.request_create",
        actor=acting_user,
        target=relocation_request,
        data={"case": str(case.pk), "support": support, "urgency": urgency},
    )
    if submit:
        request_transition(
            relocation_request=relocation_request,
            to_status=RequestStatus.SUBMITTED,
            acting_user=acting_user,
        )
    return relocation_request


@transaction.atomic
def request_update(
    *, relocation_request: RelocationRequest, acting_user: User, **fields: Any
) -> RelocationRequest:
    """Edit a draft or submitted request (before review starts): requester's writers only."""
    _require_requester(acting_user, relocation_request)
    current = _locked(RelocationRequest, relocation_request.pk)
    if current.is_frozen:
        raise StateConflict(FROZEN_MESSAGE, allowed=list(current.allowed_next))
    if current.status not in (RequestStatus.DRAFT, RequestStatus.SUBMITTED):
        raise StateConflict(
            _("A request can be edited only before its review starts."),
            allowed=list(current.allowed_next),
        )
    support = _validate_request_fields(
        support=fields.get("support", current.support),
        urgency=fields.get("urgency", current.urgency),
        window_start=fields.get("window_start", current.window_start),
        window_end=fields.get("window_end", current.window_end),
        family_members=fields.get("family_members", current.family_members),
    )
    fields["support"] = support
    for name, value in fields.items():
        if name in REQUEST_TEXT_FIELDS:
            value = (value or "").strip()
        setattr(current, name, value)
    current.full_clean(exclude=["case"])
    current.save()
    audit_record(
        action="relocation.request_update",
        actor=acting_user,
        target=current,
        data={"fields": sorted(fields)},
    )
    return current


def request_steps_for(user: User, relocation_request: RelocationRequest) -> list[str]:
    """The transitions ``user`` may take now (for buttons): allowed by the workflow and by
    their side (requester or reviewer)."""
    return [
        status
        for status in relocation_request.allowed_next
        if _may_take_now(user, relocation_request, status)
    ]


def _may_take(user: User, relocation_request: RelocationRequest, to_status: str) -> bool:
    """Review steps (in review, approve, decline) belong to the reviewer: the case owner.
    When the requester *is* the case owner, its admins review (four eyes are not always
    available in a small NGO, so an admin may review a colleague's request). The other
    steps (submit, start, complete, cancel) belong to the requester's writers, while their
    organisation holds the case. A frozen request (its requester no longer holds the case)
    can only be cancelled, by the reviewer's writers."""
    if not user.can_write:
        return False
    if relocation_request.is_frozen:
        return (
            to_status == RequestStatus.CANCELLED
            and user.organisation_id == relocation_request.reviewer_id
        )
    if to_status in REVIEW_STEPS:
        if user.organisation_id != relocation_request.reviewer_id:
            return False
        if relocation_request.reviewer_id == relocation_request.organisation_id:
            return user.is_org_admin
        return True
    return user.organisation_id == relocation_request.organisation_id


def _may_take_now(user: User, relocation_request: RelocationRequest, to_status: str) -> bool:
    """``_may_take``, and a requester's step only while its organisation holds the case."""
    if not _may_take(user, relocation_request, to_status):
        return False
    if relocation_request.is_frozen or to_status in REVIEW_STEPS:
        return True  # the reviewer is the case owner: it always holds its case
    return requester_holds_case(relocation_request)


REASON_REQUIRED = frozenset({RequestStatus.DECLINED, RequestStatus.CANCELLED})


@transaction.atomic
def request_transition(
    *,
    relocation_request: RelocationRequest,
    to_status: str,
    acting_user: User,
    reason: str = "",
) -> RelocationRequest:
    current = _locked(RelocationRequest, relocation_request.pk)
    allowed = list(current.allowed_next)
    if to_status not in allowed:
        labels = dict(RequestStatus.choices)
        raise StateConflict(
            _("A %(from)s request cannot become %(to)s. Allowed: %(allowed)s.")
            % {
                "from": current.get_status_display(),
                "to": labels.get(to_status, to_status),
                "allowed": ", ".join(str(labels[s]) for s in allowed) or _("none (finished)"),
            },
            allowed=allowed,
        )
    if not _may_take_now(acting_user, current, to_status):
        raise PermissionDenied
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Give a reason: the other side will read it.")})
    previous = current.status
    now = timezone.now()
    current.status = to_status
    current.status_changed_at = now
    current.save(update_fields=["status", "status_changed_at"])
    RequestTransition.objects.create(
        organisation_id=current.organisation_id,
        request=current,
        from_status=previous,
        to_status=to_status,
        actor=acting_user,
        reason=reason,
        at=now,
    )
    audit_record(
        action="relocation.request_transition",
        actor=acting_user,
        target=current,
        data={"from": previous, "to": to_status, "case": str(current.case_id)},
    )
    if to_status == RequestStatus.CANCELLED:
        _withdraw_referrals(current, acting_user)
    _notify_request_step(current, previous, to_status, acting_user)
    relocation_request.status = current.status
    relocation_request.status_changed_at = now
    return current


def _notify_request_step(relocation_request, previous, to_status, acting_user) -> None:
    pseudonym = relocation_request.case.pseudonym
    labels = dict(RequestStatus.choices)
    subject = _("Relocation request for %(pseudonym)s: %(status)s") % {
        "pseudonym": pseudonym,
        "status": labels[to_status],
    }
    same_org = relocation_request.organisation_id == relocation_request.reviewer_id
    if to_status == RequestStatus.SUBMITTED:
        recipients = org_people(relocation_request.reviewer_id, admins_only=same_org)
    elif to_status in REVIEW_STEPS:
        recipients = _requester_side(relocation_request)
    elif to_status == RequestStatus.CANCELLED and previous != RequestStatus.DRAFT:
        recipients = org_people(relocation_request.reviewer_id, admins_only=same_org)
    elif not same_org:
        # A partner's relocation under way or done: the case owner follows it.
        recipients = org_people(relocation_request.reviewer_id)
    else:
        return
    recipients = [user for user in recipients if user.pk != acting_user.pk]
    notify(
        recipients=recipients,
        kind="relocation_request",
        subject=subject,
        dedupe_key=f"relocation.request:{relocation_request.pk}:{to_status}",
        url=_url("detail", relocation_request.pk),
        case=relocation_request.case,
    )


@transaction.atomic
def requests_freeze(
    *, case: Case, organisation_id, reason: str, acting_user: User | None
) -> list[RelocationRequest]:
    """``organisation_id`` stopped holding ``case`` (its share ended, was suspended or lowered
    below ``full``): its open requests on the case are frozen and their pending referrals
    and grants withdrawn (the addressees are told), and both sides hear of it. Nothing
    happens to a request the case owner raised itself."""
    if organisation_id == case.organisation_id:
        return []
    # unscoped: the partner's requests on the owner's case, found by the owner's action.
    open_requests = (
        RelocationRequest.objects.unscoped()
        .select_for_update()
        .filter(case=case, organisation_id=organisation_id, frozen_at__isnull=True)
        .exclude(status__in=TERMINAL_STATUSES)
    )
    frozen = []
    now = timezone.now()
    for relocation_request in open_requests:
        relocation_request.frozen_at = now
        relocation_request.frozen_reason = reason
        relocation_request.save(update_fields=["frozen_at", "frozen_reason"])
        _withdraw_referrals(relocation_request, acting_user)
        audit_record(
            action="relocation.request_freeze",
            actor=acting_user,
            organisation=case.organisation,
            target=relocation_request,
            data={"case": str(case.pk), "reason": reason},
        )
        _notify_hold(relocation_request, acting_user, event=_("on hold"), key="frozen")
        frozen.append(relocation_request)
    return frozen


@transaction.atomic
def requests_thaw(*, case: Case, organisation_id, acting_user: User | None) -> list:
    """The owner shared ``case`` with ``organisation_id`` again at a level that grants
    referrals: its frozen requests resume (withdrawn referrals stay withdrawn)."""
    # unscoped: the partner's frozen requests on the owner's case.
    frozen = (
        RelocationRequest.objects.unscoped()
        .select_for_update()
        .filter(case=case, organisation_id=organisation_id, frozen_at__isnull=False)
    )
    thawed = []
    for relocation_request in frozen:
        relocation_request.frozen_at = None
        relocation_request.frozen_reason = ""
        relocation_request.save(update_fields=["frozen_at", "frozen_reason"])
        audit_record(
            action="relocation.request_thaw",
            actor=acting_user,
            organisation=case.organisation,
            target=relocation_request,
            data={"case": str(case.pk)},
        )
        _notify_hold(relocation_request, acting_user, event=_("resumed"), key="thawed")
        thawed.append(relocation_request)
    return thawed


def _notify_hold(relocation_request, acting_user, *, event: str, key: str) -> None:
    """Both sides of a request frozen or resumed: the requester (who raised it and its
    admins) and the reviewing case owner's writers; not the person who acted."""
    people = _requester_side(relocation_request) + org_people(relocation_request.reviewer_id)
    notify(
        recipients=[user for user in people if acting_user is None or user.pk != acting_user.pk],
        kind="relocation_request",
        subject=_("Relocation request for %(pseudonym)s: %(event)s")
        % {"pseudonym": relocation_request.case.pseudonym, "event": event},
        # Once per freeze or thaw: the time tells two freezes of one request apart.
        dedupe_key=f"relocation.request:{relocation_request.pk}:{key}:{timezone.now():%s%f}",
        url=_url("detail", relocation_request.pk),
    )


def _withdraw_referrals(relocation_request: RelocationRequest, acting_user: User) -> None:
    """A cancelled request withdraws its open referrals; their addressees are told."""
    open_visas = relocation_request.visa_referrals.filter(status=VisaReferral.Status.PENDING)
    for referral in open_visas.select_related("case"):
        referral.status = VisaReferral.Status.WITHDRAWN
        referral.save(update_fields=["status"])
        _tell_addressee(referral, referral.mission_id, "visa_referral", _("withdrawn"))
    open_stays = relocation_request.shelter_referrals.filter(
        status__in=["proposed", "waitlisted", "accepted", "confirmed"]
    )
    for referral in open_stays.select_related("case"):
        referral.status = ShelterReferral.Status.WITHDRAWN
        referral.save(update_fields=["status"])
        _tell_addressee(referral, referral.city_id, "shelter_referral", _("withdrawn"))
    for grant in relocation_request.grants.filter(
        status=GrantRequest.Status.PENDING
    ).select_related("case"):
        grant.status = GrantRequest.Status.WITHDRAWN
        grant.save(update_fields=["status"])
        _tell_addressee(grant, grant.grantor_id, "grant_request", _("withdrawn"))
    audit_record(
        action="relocation.referrals_withdrawn",
        actor=acting_user,
        organisation=None if acting_user is not None else relocation_request.organisation,
        target=relocation_request,
    )


_DETAIL_ROUTE = {
    "visa_referral": "visa_detail",
    "shelter_referral": "shelter_detail",
    "grant_request": "grant_detail",
}
_KIND_LABEL = {
    "visa_referral": lambda: _("Visa referral"),
    "shelter_referral": lambda: _("Shelter referral"),
    "grant_request": lambda: _("Grant request"),
}


def _subject(kind: str, obj, event: str) -> str:
    return _("%(what)s for %(pseudonym)s: %(event)s") % {
        "what": _KIND_LABEL[kind](),
        "pseudonym": obj.case.pseudonym,
        "event": event,
    }


def _tell_addressee(obj, addressee_id, kind: str, event: str, *, key: str = "") -> None:
    # case=None: the addressee cannot open the case, so its notification does not point to it.
    notify(
        recipients=org_people(addressee_id),
        kind=kind,
        subject=_subject(kind, obj, event),
        dedupe_key=f"relocation.{kind}:{obj.pk}:{key or obj.status}",
        url=_url(_DETAIL_ROUTE[kind], obj.pk),
    )


def _tell_requester(obj, kind: str, event: str, *, key: str = "") -> None:
    notify(
        recipients=_requester_side(obj),
        kind=kind,
        subject=_subject(kind, obj, event),
        dedupe_key=f"relocation.{kind}:{obj.pk}:{key or obj.status}",
        url=_url(_DETAIL_ROUTE[kind], obj.pk),
        case=obj.case,
    )


# --- visa referrals --------------------------------------------------------------------------


@transaction.atomic
def visa_referral_create(
    *,
    relocation_request: RelocationRequest,
    mission: Organisation,
    visa_type: str,
    acting_user: User,
    requested_on: datetime.date | None = None,
    nationality: str = "",
    note_for_mission: str = "",
) -> VisaReferral:
    _require_requester(acting_user, relocation_request)
    _require_actionable(relocation_request)
    errors = {}
    if mission is None or mission.kind != Organisation.Kind.MISSION:
        errors["mission"] = _("Choose a mission (embassy, consulate, delegation).")
    if visa_type not in VisaReferral.VisaType.values:
        errors["visa_type"] = _("Choose a visa type.")
    today = timezone.localdate()
    requested_on = requested_on or today
    errors.update(plausible_date_errors({"requested_on": requested_on}))
    if "requested_on" not in errors and requested_on > today:
        errors["requested_on"] = _("The request date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    case = relocation_request.case
    _require_consent(case)
    service_days = settings_for(mission.pk).visa_service_days
    referral = VisaReferral(
        organisation_id=relocation_request.organisation_id,
        request=relocation_request,
        case=case,
        mission=mission,
        created_by=acting_user,
        visa_type=visa_type,
        nationality=nationality or "",
        requested_on=requested_on,
        deadline=requested_on + datetime.timedelta(days=service_days),
        note_for_mission=(note_for_mission or "").strip(),
    )
    referral.full_clean(exclude=["case", "request", "mission"])
    referral.save()
    audit_record(
        action="relocation.visa_referral_create",
        actor=acting_user,
        target=referral,
        data={
            "mission": str(mission.pk),
            "visa_type": visa_type,
            "deadline": referral.deadline.isoformat(),
        },
    )
    _tell_addressee(referral, mission.pk, "visa_referral", _("new referral"), key="new")
    return referral


@transaction.atomic
def visa_decide(
    *,
    referral: VisaReferral,
    decision: str,
    acting_user: User,
    reason: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    multiple_entries: bool = True,
) -> VisaReferral:
    """The mission grants or refuses. Granted visas default to one year from the decision
    day, multiple entries (domain/001)."""
    _require_writer_of(acting_user, referral.mission_id)
    current = _locked(VisaReferral, referral.pk)
    if current.status != VisaReferral.Status.PENDING:
        raise StateConflict(
            _("This referral was already answered (%(status)s).")
            % {"status": current.get_status_display()},
            allowed=[],
        )
    _require_live_request(current.request)
    # Before the year of validity is added: 9999-12-31 + 1 year overflowed (issue 17).
    require_plausible_dates(valid_from=valid_from, valid_until=valid_until)
    reason = (reason or "").strip()
    errors = {}
    if decision not in (VisaReferral.Status.GRANTED, VisaReferral.Status.REFUSED):
        errors["decision"] = _("Choose granted or refused.")
    elif decision == VisaReferral.Status.REFUSED and not reason:
        errors["reason"] = _("Give the reason for the refusal: the requester will read it.")
    if decision == VisaReferral.Status.GRANTED:
        valid_from = valid_from or timezone.localdate()
        valid_until = valid_until or one_year_from(valid_from)
        if valid_from < current.requested_on:
            errors["valid_from"] = _(
                "The visa cannot be valid before it was requested (%(day)s)."
            ) % {"day": current.requested_on.isoformat()}
        if valid_until < valid_from:
            errors["valid_until"] = _("The validity ends before it starts.")
    if errors:
        raise ValidationError(errors)
    current.status = decision
    current.decision_reason = reason
    current.decided_at = timezone.now()
    current.decided_by = acting_user
    if decision == VisaReferral.Status.GRANTED:
        current.valid_from = valid_from
        current.valid_until = valid_until
        current.multiple_entries = bool(multiple_entries)
    current.save()
    audit_record(
        action="relocation.visa_decide",
        actor=acting_user,
        target=current,
        data={
            "decision": decision,
            "case": str(current.case_id),
            "late": current.decided_at.date() > current.deadline,
        },
    )
    _tell_requester(current, "visa_referral", current.get_status_display())
    return current


@transaction.atomic
def visa_withdraw(*, referral: VisaReferral, acting_user: User) -> VisaReferral:
    _require_requester(acting_user, referral.request)
    current = _locked(VisaReferral, referral.pk)
    if current.status != VisaReferral.Status.PENDING:
        raise StateConflict(_("Only a referral awaiting decision can be withdrawn."), allowed=[])
    current.status = VisaReferral.Status.WITHDRAWN
    current.save(update_fields=["status"])
    audit_record(action="relocation.visa_withdraw", actor=acting_user, target=current)
    _tell_addressee(current, current.mission_id, "visa_referral", _("withdrawn"))
    return current


# --- shelter cities: programme and capacity ---------------------------------------------------


def programme_of(organisation_id) -> ShelterProgramme | None:
    # unscoped: the city's own programme row, by organisation id (read by requesters too:
    # a programme's name, stay length, languages and support are public to requesters).
    return ShelterProgramme.objects.unscoped().filter(organisation_id=organisation_id).first()


@transaction.atomic
def programme_save(
    *,
    organisation: Organisation,
    acting_user: User,
    name: str,
    stay_months: int,
    languages: str = "",
    support_offered: str = "",
    active: bool = True,
) -> ShelterProgramme:
    if acting_user.organisation_id != organisation.pk or not acting_user.is_org_admin:
        raise PermissionDenied
    if organisation.kind != Organisation.Kind.SHELTER_CITY:
        raise ValidationError(_("Only a shelter city keeps a shelter programme."))
    programme = programme_of(organisation.pk) or ShelterProgramme(organisation=organisation)
    programme.name = (name or "").strip() or "Shelter City"
    programme.stay_months = stay_months
    programme.languages = (languages or "").strip()
    programme.support_offered = (support_offered or "").strip()
    programme.active = active
    programme.full_clean()
    programme.save()
    audit_record(
        action="relocation.programme_save",
        actor=acting_user,
        target=programme,
        data={"stay_months": stay_months, "active": active},
    )
    return programme


@transaction.atomic
def capacity_period_add(
    *,
    programme: ShelterProgramme,
    start: datetime.date,
    end: datetime.date,
    places: int,
    acting_user: User,
) -> CapacityPeriod:
    if acting_user.organisation_id != programme.organisation_id or not acting_user.is_org_admin:
        raise PermissionDenied
    require_plausible_dates(start=start, end=end)
    if start and end and end < start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    # Locks the programme: a confirmation counting places waits for this period.
    _locked(ShelterProgramme, programme.pk)
    overlapping = (
        CapacityPeriod.objects.owned_by(programme.organisation)
        .filter(start__lte=end, end__gte=start)
        .order_by("start")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start": _(
                    "This period overlaps the period %(start)s to %(end)s (%(places)s places): "
                    "change or remove that one instead."
                )
                % {
                    "start": overlapping.start.isoformat(),
                    "end": overlapping.end.isoformat(),
                    "places": overlapping.places,
                }
            }
        )
    period = CapacityPeriod(
        organisation_id=programme.organisation_id,
        programme=programme,
        start=start,
        end=end,
        places=places,
    )
    period.full_clean(exclude=["programme"])
    period.save()
    audit_record(
        action="relocation.capacity_add",
        actor=acting_user,
        target=period,
        data={"start": start.isoformat(), "end": end.isoformat(), "places": places},
    )
    return period


@transaction.atomic
def capacity_period_remove(*, period: CapacityPeriod, acting_user: User) -> None:
    """Refused while confirmed or current stays rely on the period's places."""
    if acting_user.organisation_id != period.organisation_id or not acting_user.is_org_admin:
        raise PermissionDenied
    _locked(ShelterProgramme, period.programme_id)
    # unscoped: the city's own stays, filtered by city.
    relying = (
        ShelterReferral.objects.unscoped()
        .filter(
            city_id=period.organisation_id,
            status__in=ShelterReferral.OCCUPYING,
            start__lte=period.end,
            end__gte=period.start,
        )
        .count()
    )
    if relying:
        raise ValidationError(
            _(
                "%(count)s confirmed or current stay(s) fall in this period: "
                "it cannot be removed while guests rely on its places."
            )
            % {"count": relying}
        )
    audit_record(
        action="relocation.capacity_remove",
        actor=acting_user,
        target=period,
        data={"start": period.start.isoformat(), "end": period.end.isoformat()},
    )
    period.delete()


# --- shelter referrals -----------------------------------------------------------------------


def stay_limit(start: datetime.date) -> datetime.date:
    """The last return day a stay arriving on ``start`` may plan, whatever the reason:
    ``MAX_STAY_MONTHS`` later."""
    return start + relativedelta(months=MAX_STAY_MONTHS)


def _validate_stay(
    *, programme: ShelterProgramme, start, end, override_reason: str
) -> dict[str, str]:
    errors = {}
    if not start:
        errors["start"] = _("Give the planned arrival date.")
    if not end:
        errors["end"] = _("Give the planned return date.")
    if errors:
        return errors
    # Before any arithmetic on them: months added to 9999-12-31 overflowed (issue 17).
    errors = plausible_date_errors({"start": start, "end": end})
    if errors:
        return errors
    longest = stay_limit(start)
    if end < start:
        errors["end"] = _("The stay ends before it starts.")
    elif end > longest:
        # Not even with an override reason: it also bounds what a confirmation counts.
        errors["end"] = _(
            "A stay lasts at most %(months)s months, whatever the reason: plan the return by "
            "%(day)s at the latest."
        ) % {"months": MAX_STAY_MONTHS, "day": longest.isoformat()}
    elif end > start + relativedelta(months=programme.stay_months) and not override_reason:
        errors["override_reason"] = _(
            "The stay is longer than the %(months)s months %(city)s's programme allows: "
            "give a reason for the longer stay (at most %(longest)s months)."
        ) % {
            "months": programme.stay_months,
            "city": programme.organisation.name,
            "longest": MAX_STAY_MONTHS,
        }
    return errors


@transaction.atomic
def shelter_referral_create(
    *,
    relocation_request: RelocationRequest,
    city: Organisation,
    start: datetime.date,
    end: datetime.date,
    acting_user: User,
    override_reason: str = "",
) -> ShelterReferral:
    _require_requester(acting_user, relocation_request)
    _require_actionable(relocation_request)
    if city is None or city.kind != Organisation.Kind.SHELTER_CITY:
        raise ValidationError({"city": _("Choose a shelter city.")})
    programme = programme_of(city.pk)
    if programme is None or not programme.active:
        raise ValidationError(
            {"city": _("%(city)s is not accepting referrals now.") % {"city": city.name}}
        )
    override_reason = (override_reason or "").strip()
    errors = _validate_stay(
        programme=programme, start=start, end=end, override_reason=override_reason
    )
    if start and start < timezone.localdate():
        errors.setdefault("start", _("The planned arrival is in the past."))
    if errors:
        raise ValidationError(errors)
    case = relocation_request.case
    _require_consent(case)
    referral = ShelterReferral(
        organisation_id=relocation_request.organisation_id,
        request=relocation_request,
        case=case,
        city=city,
        created_by=acting_user,
        start=start,
        end=end,
        override_reason=override_reason,
    )
    referral.full_clean(exclude=["case", "request", "city"])
    referral.save()
    audit_record(
        action="relocation.shelter_referral_create",
        actor=acting_user,
        target=referral,
        data={"city": str(city.pk), "start": start.isoformat(), "end": end.isoformat()},
    )
    _tell_addressee(referral, city.pk, "shelter_referral", _("new referral"), key="new")
    return referral


SHELTER_ANSWERS = {
    "proposed": ("accepted", "waitlisted", "declined"),
    "waitlisted": ("accepted", "declined"),
}


@transaction.atomic
def shelter_answer(
    *, referral: ShelterReferral, answer: str, acting_user: User, reason: str = ""
) -> ShelterReferral:
    """The city accepts, waitlists or declines (a decline needs a reason; the requester
    reads it)."""
    _require_writer_of(acting_user, referral.city_id)
    current = _locked(ShelterReferral, referral.pk)
    allowed = list(SHELTER_ANSWERS.get(current.status, ()))
    if answer not in allowed:
        raise StateConflict(
            _("A %(status)s referral cannot be answered %(answer)s.")
            % {"status": current.get_status_display(), "answer": answer},
            allowed=allowed,
        )
    _require_live_request(current.request)
    reason = (reason or "").strip()
    if answer == ShelterReferral.Status.DECLINED and not reason:
        raise ValidationError(
            {"reason": _("Give the reason for declining: the requester reads it.")}
        )
    current.status = answer
    current.answer_reason = reason
    current.answered_at = timezone.now()
    current.answered_by = acting_user
    current.save(update_fields=["status", "answer_reason", "answered_at", "answered_by"])
    audit_record(
        action="relocation.shelter_answer",
        actor=acting_user,
        target=current,
        data={"answer": answer, "case": str(current.case_id)},
    )
    _tell_requester(current, "shelter_referral", current.get_status_display())
    return current


@transaction.atomic
def shelter_confirm(
    *,
    referral: ShelterReferral,
    acting_user: User,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> ShelterReferral:
    """The city confirms an accepted stay (dates may be adjusted). Refused when one more
    guest would exceed the places on any day of the stay; the message names those days.

    The city's programme row is locked first, so two confirmations for the same city are
    counted one after the other and cannot both take the last place."""
    _require_writer_of(acting_user, referral.city_id)
    programme = programme_of(referral.city_id)
    if programme is None:
        raise ValidationError(_("Set up the shelter programme and its capacity first."))
    _locked(ShelterProgramme, programme.pk)
    current = _locked(ShelterReferral, referral.pk)
    if current.status != ShelterReferral.Status.ACCEPTED:
        raise StateConflict(
            _("Only an accepted referral can be confirmed (it is %(status)s).")
            % {"status": current.get_status_display()},
            allowed=list(_shelter_next(current.status)),
        )
    _require_live_request(current.request)
    start = start or current.start
    end = end or current.end
    errors = _validate_stay(
        programme=programme, start=start, end=end, override_reason=current.override_reason
    )
    if errors:
        raise ValidationError(errors)
    conflicts = capacity.conflicting_ranges(
        city_id=current.city_id, start=start, end=end, exclude_pk=current.pk
    )
    if conflicts:
        raise ValidationError(
            {
                "start": _(
                    "The city has no free place on %(days)s: confirming this stay would "
                    "exceed its capacity. Change the dates or add capacity."
                )
                % {"days": capacity.format_ranges(conflicts)}
            }
        )
    current.start = start
    current.end = end
    current.status = ShelterReferral.Status.CONFIRMED
    current.save(update_fields=["start", "end", "status"])
    audit_record(
        action="relocation.shelter_confirm",
        actor=acting_user,
        target=current,
        data={"start": start.isoformat(), "end": end.isoformat()},
    )
    _tell_requester(current, "shelter_referral", current.get_status_display())
    return current


def _shelter_next(status: str) -> tuple[str, ...]:
    return {
        "proposed": ("accepted", "waitlisted", "declined", "withdrawn"),
        "waitlisted": ("accepted", "declined", "withdrawn"),
        "accepted": ("confirmed", "withdrawn"),
        "confirmed": ("hosting", "withdrawn"),
        "hosting": ("completed",),
    }.get(status, ())


@transaction.atomic
def shelter_arrive(
    *, referral: ShelterReferral, acting_user: User, arrived_on: datetime.date | None = None
) -> ShelterReferral:
    _require_writer_of(acting_user, referral.city_id)
    current = _locked(ShelterReferral, referral.pk)
    if current.status != ShelterReferral.Status.CONFIRMED:
        raise StateConflict(
            _("Only a confirmed stay can start hosting."),
            allowed=list(_shelter_next(current.status)),
        )
    arrived_on = arrived_on or timezone.localdate()
    require_plausible_dates(arrived_on=arrived_on)
    if arrived_on > timezone.localdate():
        raise ValidationError({"arrived_on": _("The arrival cannot be in the future.")})
    current.status = ShelterReferral.Status.HOSTING
    current.arrived_on = arrived_on
    current.save(update_fields=["status", "arrived_on"])
    audit_record(action="relocation.shelter_arrive", actor=acting_user, target=current)
    _tell_requester(current, "shelter_referral", _("arrived"))
    return current


@transaction.atomic
def shelter_complete(
    *, referral: ShelterReferral, acting_user: User, returned_on: datetime.date | None = None
) -> ShelterReferral:
    _require_writer_of(acting_user, referral.city_id)
    current = _locked(ShelterReferral, referral.pk)
    if current.status != ShelterReferral.Status.HOSTING:
        raise StateConflict(
            _("Only a stay in progress can be completed."),
            allowed=list(_shelter_next(current.status)),
        )
    returned_on = returned_on or timezone.localdate()
    require_plausible_dates(returned_on=returned_on)
    if current.arrived_on and returned_on < current.arrived_on:
        raise ValidationError({"returned_on": _("The return is before the arrival.")})
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _("The return cannot be in the future.")})
    current.status = ShelterReferral.Status.COMPLETED
    current.returned_on = returned_on
    # The stay frees its places from the day after the return.
    if returned_on < current.end:
        current.end = max(returned_on, current.start)
    current.save(update_fields=["status", "returned_on", "end"])
    audit_record(action="relocation.shelter_complete", actor=acting_user, target=current)
    _tell_requester(current, "shelter_referral", current.get_status_display())
    return current


@transaction.atomic
def shelter_withdraw(*, referral: ShelterReferral, acting_user: User) -> ShelterReferral:
    _require_requester(acting_user, referral.request)
    current = _locked(ShelterReferral, referral.pk)
    if "withdrawn" not in _shelter_next(current.status):
        raise StateConflict(
            _("This referral can no longer be withdrawn (it is %(status)s).")
            % {"status": current.get_status_display()},
            allowed=list(_shelter_next(current.status)),
        )
    current.status = ShelterReferral.Status.WITHDRAWN
    current.save(update_fields=["status"])
    audit_record(action="relocation.shelter_withdraw", actor=acting_user, target=current)
    _tell_addressee(current, current.city_id, "shelter_referral", _("withdrawn"))
    return current


def identity_window_end(referral: ShelterReferral) -> datetime.date:
    """The last day the city may read the defender's identity: the stay's end (the return
    day once the guest left) plus ``HRDCASE_CITY_IDENTITY_DAYS`` (default 30)."""
    ended = referral.returned_on or referral.end
    return ended + datetime.timedelta(days=django_settings.HRDCASE_CITY_IDENTITY_DAYS)


def city_may_see_identity(referral: ShelterReferral, *, today: datetime.date | None = None) -> bool:
    """All three, checked at every read: the city accepted the stay (and it was not withdrawn
    or declined since), the owner's relocation consent is still in force, and the stay did
    not end more than ``HRDCASE_CITY_IDENTITY_DAYS`` ago."""
    today = today or timezone.localdate()
    return (
        referral.status in ShelterReferral.IDENTITY_STATES
        and today <= identity_window_end(referral)
        and has_relocation_consent(referral.case)
    )


def shelter_identity_reveal(
    *, referral: ShelterReferral, user: User, ip: str | None = None
) -> Defender:
    """The defender's identity for the city's staff; recorded in the case's "who viewed"
    log (the owner sees that the city looked) and audited. Anyone else: 404."""
    from django.http import Http404

    if user.organisation_id != referral.city_id or not city_may_see_identity(referral):
        raise Http404
    case = referral.case
    case_part_viewed(case=case, user=user, part=CaseAccessLog.Part.IDENTITY, ip=ip)
    audit_record(
        action="relocation.identity_reveal",
        actor=user,
        target=referral,
        ip=ip,
        data={"case": str(case.pk), "owner": str(case.organisation_id)},
    )
    return case.defender


# --- grants ----------------------------------------------------------------------------------


@transaction.atomic
def grant_request_create(
    *,
    relocation_request: RelocationRequest,
    grantor: Organisation,
    purpose: str,
    amount: Decimal,
    currency: str,
    acting_user: User,
    justification: str = "",
) -> GrantRequest:
    _require_requester(acting_user, relocation_request)
    _require_actionable(relocation_request)
    errors = {}
    if grantor is None:
        errors["grantor"] = _("Choose the granting organisation.")
    if purpose not in GrantPurpose.values:
        errors["purpose"] = _("Choose a purpose.")
    currency = (currency or "").strip().upper()
    if amount is None or amount <= 0:
        errors["amount"] = _("Give an amount above zero.")
    if errors:
        raise ValidationError(errors)
    cap = settings_for(grantor.pk)
    if not grantor.is_active or not cap.offers_grants:
        raise ValidationError(
            {
                "grantor": _(
                    "%(org)s does not offer emergency grants: choose an organisation that does."
                )
                % {"org": grantor.name}
            }
        )
    if currency != cap.grant_cap_currency:
        raise ValidationError(
            {
                "currency": _("%(org)s grants in %(currency)s: ask in that currency.")
                % {"org": grantor.name, "currency": cap.grant_cap_currency}
            }
        )
    if amount > cap.grant_cap_amount:
        raise ValidationError(
            {
                "amount": _(
                    "%(org)s grants at most %(cap)s %(currency)s per request: lower the amount."
                )
                % {"org": grantor.name, "cap": cap.grant_cap_amount, "currency": currency}
            }
        )
    grant = GrantRequest(
        organisation_id=relocation_request.organisation_id,
        request=relocation_request,
        case=relocation_request.case,
        grantor=grantor,
        created_by=acting_user,
        purpose=purpose,
        amount=amount,
        currency=currency,
        justification=(justification or "").strip(),
    )
    grant.full_clean(exclude=["case", "request", "grantor"])
    grant.save()
    audit_record(
        action="relocation.grant_create",
        actor=acting_user,
        target=grant,
        data={
            "grantor": str(grantor.pk),
            "purpose": purpose,
            "amount": str(amount),
            "currency": currency,
        },
    )
    _tell_addressee(grant, grantor.pk, "grant_request", _("new request"), key="new")
    return grant


@transaction.atomic
def grant_decide(
    *, grant: GrantRequest, decision: str, acting_user: User, reason: str = ""
) -> GrantRequest:
    _require_writer_of(acting_user, grant.grantor_id)
    current = _locked(GrantRequest, grant.pk)
    if current.status != GrantRequest.Status.PENDING:
        raise StateConflict(
            _("This grant request was already answered (%(status)s).")
            % {"status": current.get_status_display()},
            allowed=[],
        )
    _require_live_request(current.request)
    reason = (reason or "").strip()
    if decision not in (GrantRequest.Status.APPROVED, GrantRequest.Status.DECLINED):
        raise ValidationError({"decision": _("Choose approved or declined.")})
    if decision == GrantRequest.Status.DECLINED and not reason:
        raise ValidationError(
            {"reason": _("Give the reason for declining: the requester reads it.")}
        )
    current.status = decision
    current.decision_reason = reason
    current.decided_at = timezone.now()
    current.decided_by = acting_user
    current.save()
    audit_record(
        action="relocation.grant_decide",
        actor=acting_user,
        target=current,
        data={"decision": decision, "amount": str(current.amount), "currency": current.currency},
    )
    _tell_requester(current, "grant_request", current.get_status_display())
    return current


@transaction.atomic
def grant_disburse(
    *, grant: GrantRequest, acting_user: User, disbursed_on: datetime.date | None = None
) -> GrantRequest:
    _require_writer_of(acting_user, grant.grantor_id)
    current = _locked(GrantRequest, grant.pk)
    if current.status != GrantRequest.Status.APPROVED:
        raise StateConflict(
            _("Only an approved grant can be disbursed (it is %(status)s).")
            % {"status": current.get_status_display()},
            allowed=["disbursed"] if current.status == "approved" else [],
        )
    disbursed_on = disbursed_on or timezone.localdate()
    require_plausible_dates(disbursed_on=disbursed_on)
    if disbursed_on > timezone.localdate():
        raise ValidationError({"disbursed_on": _("The disbursement date cannot be in the future.")})
    if disbursed_on < current.decided_at.date():
        raise ValidationError({"disbursed_on": _("The disbursement is before the approval.")})
    current.status = GrantRequest.Status.DISBURSED
    current.disbursed_on = disbursed_on
    current.save(update_fields=["status", "disbursed_on"])
    audit_record(
        action="relocation.grant_disburse",
        actor=acting_user,
        target=current,
        data={"disbursed_on": disbursed_on.isoformat()},
    )
    _tell_requester(current, "grant_request", current.get_status_display())
    return current
