"""Sharing a case with another organisation, and coordination between organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import (
    LEVEL_PERMISSIONS,
    NEED_CHANGE,
    grant_level,
    require_case_write,
    revoke_all,
)
from cases.models import Case, CaseShare, CoordinationRequest, DuplicateHintCheck
from cases.selectors.case import other_organisations_following
from cases.selectors.consent import consent_covering_share
from cases.services.consent import require_relocation_consent, require_share_consent
from cases.services.retention import blank_fields
from cases.signals import (
    coordination_answered,
    coordination_requested,
    share_ended,
    share_granted,
)
from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict

if TYPE_CHECKING:
    from accounts.models import Organisation, User


@transaction.atomic
def case_share(
    *,
    case: Case,
    partner: Organisation,
    level: str,
    reason: str,
    acting_user: User,
    expires_at: datetime | None = None,
) -> CaseShare:
    """Share ``case`` with ``partner``. Refused unless the recorded consent covers it; an
    active share with the same partner is replaced (its level changes)."""
    require_case_write(case=case, acting_user=acting_user, need=NEED_CHANGE)
    errors = {}
    if level not in CaseShare.Level.values:
        errors["level"] = _("Unknown access level.")
    if partner.pk == case.organisation_id:
        errors["partner"] = _("The case already belongs to your organisation.")
    elif not partner.is_active:
        errors["partner"] = _("This organisation is no longer active.")
    if not reason.strip():
        errors["reason"] = _("Say why this organisation needs access.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry must be in the future.")
    if case.is_closed:
        errors["case"] = _("A closed case cannot be shared.")
    if errors:
        raise ValidationError(errors)
    require_share_consent(case=case, partner=partner)
    if level == CaseShare.Level.RELOCATION:
        require_relocation_consent(case=case)
    previous = (
        CaseShare.objects.owned_by(case.organisation)
        .filter(case=case, partner=partner, status=CaseShare.Status.ACTIVE)
        .first()
    )
    if previous is not None:
        _end(
            previous,
            status=CaseShare.Status.REVOKED,
            reason=CaseShare.EndReason.REPLACED,
            acting_user=acting_user,
            signal=False,
        )
    share = CaseShare(
        organisation=case.organisation,
        case=case,
        partner=partner,
        level=level,
        reason=reason.strip(),
        expires_at=expires_at,
        granted_by=acting_user,
    )
    share.full_clean()
    share.save()
    grant_level(case=case, organisation=partner, level=level)
    audit_record(
        action="case.share",
        actor=acting_user,
        target=case,
        data={
            "partner": str(partner.pk),
            "level": level,
            "expires_at": expires_at.isoformat() if expires_at else "",
        },
    )
    if previous is not None:
        share_ended.send(sender=CaseShare, share=previous, acting_user=acting_user, successor=share)
    share_granted.send(sender=CaseShare, share=share, acting_user=acting_user, previous=previous)
    return share


def _end(
    share: CaseShare,
    *,
    status: str,
    reason: str,
    acting_user: User | None,
    signal: bool = True,
) -> None:
    """End ``share``: its permissions go at once, and (``signal``) what hangs on it ends too
    (``cases.signals.share_ended``: relocation, notifications)."""
    share.status = status
    share.end_reason = reason
    share.ended_at = timezone.now()
    share.ended_by = acting_user
    share.save(update_fields=["status", "end_reason", "ended_at", "ended_by"])
    revoke_all(case=share.case, organisation=share.partner)
    if signal:
        share_ended.send(sender=CaseShare, share=share, acting_user=acting_user, successor=None)


@transaction.atomic
def share_revoke(*, share: CaseShare, acting_user: User) -> CaseShare:
    require_case_write(case=share.case, acting_user=acting_user, need=NEED_CHANGE)
    if share.status != CaseShare.Status.ACTIVE:
        raise ValidationError(_("This share has already ended."))
    _end(
        share,
        status=CaseShare.Status.REVOKED,
        reason=CaseShare.EndReason.REVOKED,
        acting_user=acting_user,
    )
    audit_record(
        action="case.unshare",
        actor=acting_user,
        target=share.case,
        data={"partner": str(share.partner_id)},
    )
    return share


# --- the partner's side: accept, decline, leave -----------------------------------------------


def _require_partner_writer(share: CaseShare, acting_user: User) -> None:
    """The acting user is a writer of the partner organisation, and the share opens the case
    to it *now* (live, not lapsed, its permissions in place): ``PermissionDenied`` otherwise,
    the same for the owner, a stranger and a viewer."""
    if acting_user.organisation_id != share.partner_id or not share.is_active:
        raise PermissionDenied
    # The level's first permission is the one the share exists for (view_case, or the
    # referrals of a relocation share): require_case_write checks the partner holds it now.
    require_case_write(
        case=share.case, acting_user=acting_user, need=LEVEL_PERMISSIONS[share.level][0]
    )


@transaction.atomic
def share_accept(*, share: CaseShare, acting_user: User) -> CaseShare:
    """The partner takes the share on: it leaves the partner's "shares to accept"."""
    _require_partner_writer(share, acting_user)
    if share.accepted_at is not None:
        raise StateConflict(
            _("Your organisation has already accepted this share."), allowed=["leave"]
        )
    share.accepted_at = timezone.now()
    share.accepted_by = acting_user
    share.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="case.share_accept",
        actor=acting_user,
        target=share.case,
        data={"share": str(share.pk), "owner": str(share.organisation_id)},
    )
    return share


@transaction.atomic
def share_decline(*, share: CaseShare, acting_user: User) -> CaseShare:
    """The partner refuses a share it has not accepted: the share ends at once (its
    permissions go, what hangs on it ends) and the owner is told ("declined by the
    partner", through ``share_ended``)."""
    _require_partner_writer(share, acting_user)
    if share.accepted_at is not None:
        raise StateConflict(
            _("Your organisation has already accepted this share: leave it instead."),
            allowed=["leave"],
        )
    return _partner_ends(share, reason=CaseShare.EndReason.DECLINED, acting_user=acting_user)


@transaction.atomic
def share_leave(*, share: CaseShare, acting_user: User) -> CaseShare:
    """The partner stops following the case: the share ends as a revocation would, and the
    owner is told ("left by the partner")."""
    _require_partner_writer(share, acting_user)
    return _partner_ends(share, reason=CaseShare.EndReason.LEFT, acting_user=acting_user)


def _partner_ends(share: CaseShare, *, reason: str, acting_user: User) -> CaseShare:
    _end(share, status=CaseShare.Status.REVOKED, reason=reason, acting_user=acting_user)
    data = {"share": str(share.pk), "partner": str(share.partner_id)}
    # Once in the partner's trail (who acted), once in the owner's (whose case it is).
    audit_record(action=f"case.share_{reason}", actor=acting_user, target=share.case, data=data)
    audit_record(
        action=f"case.share_{reason}",
        actor=acting_user,
        organisation=share.case.organisation,
        target=share.case,
        data=data,
    )
    return share


def _end_recorded(
    share: CaseShare,
    *,
    status: str,
    reason: str,
    action: str,
    acting_user: User | None = None,
    why: str = "",
    signal: bool = True,
) -> None:
    """``_end``, then the audit event ``action`` on the owner's side (``why``: the reason the
    trail gives, when the platform rather than a person ended it)."""
    _end(share, status=status, reason=reason, acting_user=acting_user, signal=signal)
    data = {"partner": str(share.partner_id)}
    if why:
        data["reason"] = why
    audit_record(
        action=action,
        actor=acting_user,
        organisation=share.case.organisation,
        target=share.case,
        data=data,
    )


def _suspend_uncovered(
    shares: QuerySet[CaseShare], *, reason: str, acting_user: User | None, why: str
) -> list[CaseShare]:
    """Suspend each of ``shares`` that no consent in force covers any more."""
    suspended = []
    for share in shares:
        if consent_covering_share(case=share.case, partner=share.partner) is None:
            _end_recorded(
                share,
                status=CaseShare.Status.SUSPENDED,
                reason=reason,
                action="case.share_suspend",
                acting_user=acting_user,
                why=why,
            )
            suspended.append(share)
    return suspended


@transaction.atomic
def shares_suspend_uncovered(*, case: Case, acting_user: User | None) -> list[CaseShare]:
    """Suspend every active share of ``case`` that the remaining consent no longer covers."""
    active = CaseShare.objects.owned_by(case.organisation).filter(
        case=case, status=CaseShare.Status.ACTIVE
    )
    return _suspend_uncovered(
        active.select_related("partner", "case"),
        reason=CaseShare.EndReason.CONSENT_WITHDRAWN,
        acting_user=acting_user,
        why="consent revoked",
    )


@transaction.atomic
def shares_suspend_after_network_left(*, network, organisation: Organisation) -> list[CaseShare]:
    """``organisation`` left ``network``: every active share it holds that only a consent to
    share within that network covered is suspended, as a consent withdrawal would (a share
    also covered by a named consent, or by another network it still belongs to, stays)."""
    # unscoped: the shares other organisations made to the one that left (every owner's).
    held = CaseShare.objects.unscoped().filter(
        partner=organisation,
        status=CaseShare.Status.ACTIVE,
        case__consents__network=network,
        case__consents__revoked_at__isnull=True,
    )
    return _suspend_uncovered(
        held.distinct().select_related("partner", "case", "case__organisation"),
        reason=CaseShare.EndReason.NETWORK_LEFT,
        acting_user=None,
        why="network left",
    )


@transaction.atomic
def shares_end_for_deactivated(*, organisation: Organisation) -> list[CaseShare]:
    """A deactivated organisation holds no case any more: every share made to it ends."""
    ended = []
    # unscoped: the shares every owner made to the deactivated organisation.
    held = CaseShare.objects.unscoped().filter(partner=organisation, status=CaseShare.Status.ACTIVE)
    for share in held.select_related("partner", "case", "case__organisation"):
        _end_recorded(
            share,
            status=CaseShare.Status.REVOKED,
            reason=CaseShare.EndReason.PARTNER_DEACTIVATED,
            action="case.unshare",
            why="partner deactivated",
        )
        ended.append(share)
    return ended


def shares_expire(*, now: datetime | None = None) -> int:
    """Tidy up every share past its expiry (beat runs this every minute); returns how many.
    Reads already ignore a lapsed share (``CaseShare.objects.lapsed``): this removes its
    permission rows and ends what hangs on it."""
    now = now or timezone.now()
    # unscoped: a maintenance sweep over every organisation's shares.
    due = CaseShare.objects.unscoped().lapsed(now)
    count = 0
    for share in due.select_related("case", "partner").iterator():
        with transaction.atomic():
            _end_recorded(
                share,
                status=CaseShare.Status.EXPIRED,
                reason=CaseShare.EndReason.EXPIRED,
                action="case.share_expire",
            )
        count += 1
    return count


@transaction.atomic
def coordination_request(*, case: Case, message: str, acting_user: User) -> int:
    """Ask every other organisation whose defender matches ``case``'s by blind index to
    coordinate. Returns how many organisations were asked (the requester learns no more)."""
    require_case_write(case=case, acting_user=acting_user, need=NEED_CHANGE)
    defender = case.defender
    # unscoped: the matching cases stay invisible to the requester; only the holders see
    # the request, on their own case.
    matches = (
        Case.objects.unscoped()
        .filter(defender__name_index=defender.name_index, purged_at__isnull=True)
        .exclude(organisation_id=case.organisation_id)
        .exclude(status=Case.Status.CLOSED)
    )
    asked = 0
    for match in matches.only("pk", "organisation_id"):
        exists = CoordinationRequest.objects.unscoped().filter(
            case=match, requester_case=case, status=CoordinationRequest.Status.OPEN
        )
        if exists.exists():
            continue
        created = CoordinationRequest.objects.create(
            organisation=case.organisation,
            case=match,
            requester_case=case,
            holder_id=match.organisation_id,
            requested_by=acting_user,
            message=message,
        )
        coordination_requested.send(
            sender=CoordinationRequest, request=created, acting_user=acting_user
        )
        asked += 1
    audit_record(
        action="coordination.request", actor=acting_user, target=case, data={"asked": asked}
    )
    return asked


@transaction.atomic
def coordination_answer(
    *, request: CoordinationRequest, share_level: str | None, reason: str, acting_user: User
) -> CoordinationRequest:
    """The holder answers: share its case at ``share_level`` (consent still applies), or
    decline with ``share_level=None``."""
    require_case_write(case=request.case, acting_user=acting_user, need=NEED_CHANGE)
    if request.status != CoordinationRequest.Status.OPEN:
        raise ValidationError(_("This request has already been answered."))
    if share_level:
        case_share(
            case=request.case,
            partner=request.organisation,
            level=share_level,
            reason=reason or _("Answer to a coordination request"),
            acting_user=acting_user,
        )
        request.status = CoordinationRequest.Status.SHARED
    else:
        request.status = CoordinationRequest.Status.DECLINED
    request.answered_by = acting_user
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_by", "answered_at"])
    audit_record(
        action="coordination.answer",
        actor=acting_user,
        target=request.case,
        data={"status": request.status},
    )
    coordination_answered.send(sender=CoordinationRequest, request=request, acting_user=acting_user)
    return request


# --- retention: what a purge destroys of shares and coordination requests ---------------------


def shares_purge(case: Case) -> None:
    """A share still in force ends (its permissions go; nobody is told: the case is gone);
    the reasons (free text) go."""
    # unscoped: the purge job runs for every tenant; narrowed to this case.
    for share in (
        CaseShare.objects.unscoped()
        .filter(case=case)
        .select_related("partner", "case__organisation")
    ):
        if share.status == CaseShare.Status.ACTIVE:  # expired but not yet swept too
            _end_recorded(
                share,
                status=CaseShare.Status.REVOKED,
                reason=CaseShare.EndReason.PURGED,
                action="case.unshare",
                why="retention purge",
                signal=False,
            )
        blank_fields(share, ("reason",))


def coordination_purge(case: Case) -> None:
    """The messages of the coordination requests the case sent or received go."""
    # unscoped: the purge job runs for every tenant; narrowed to this case's requests.
    requests = CoordinationRequest.objects.unscoped().filter(Q(case=case) | Q(requester_case=case))
    for request in requests:
        blank_fields(request, ("message",))


# --- the duplicate hint ------------------------------------------------------------------------

#: a check of a case's name is reused for this long (then made again: a defender another
#: organisation starts following shows the next day).
HINT_CHECK_VALID = timedelta(hours=24)


@dataclass(frozen=True)
class DuplicateHint:
    shown: bool  #: another organisation perhaps follows this defender
    limited: bool = False  #: the user's daily limit of new checks was reached: not checked


def duplicate_hint_for(*, case: Case, user: User) -> DuplicateHint:
    """Whether to tell a member of the owner that another organisation perhaps follows this
    defender (``DuplicateHintCheck`` says why this is counted, limited and audited). Writes:
    the check (when none of this case and name is under a day old) and the audit event of a
    hint shown, or of a check refused by the limit."""
    if case.organisation_id != user.organisation_id or case.purged_at:
        return DuplicateHint(shown=False)
    now = timezone.now()
    name_index = case.defender.name_index
    checks = DuplicateHintCheck.objects.owned_by(case.organisation).filter(
        case=case, name_index=name_index
    )
    check = checks.filter(at__gt=now - HINT_CHECK_VALID).first()
    if check is None:
        first = not checks.exists()
        if first and _first_checks_today(user, now) >= settings.HRDCASE_DUPLICATE_HINT_DAILY_LIMIT:
            audit_record(action="case.duplicate_hint_limited", actor=user, target=case)
            return DuplicateHint(shown=False, limited=True)
        check = DuplicateHintCheck.objects.create(
            organisation=case.organisation,
            user=user,
            case=case,
            name_index=name_index,
            first=first,
            matched=other_organisations_following(defender=case.defender),
            at=now,
        )
    if check.matched:
        audit_record(action="case.duplicate_hint", actor=user, target=case)
    return DuplicateHint(shown=check.matched)


def _first_checks_today(user: User, now: datetime) -> int:
    return (
        DuplicateHintCheck.objects.owned_by(user.organisation)
        .filter(user=user, first=True, at__gt=now - HINT_CHECK_VALID)
        .count()
    )
