"""Break-glass access: an admin of a ``feedback`` partner opens the full file in an emergency.

Rules (issue 3, item 9): only when a defender's life is at immediate risk and the owner
cannot be reached; only an organisation admin; only over an active ``feedback`` share (a
``full`` partner already sees the file, a ``relocation`` partner never sees the case);
a written reason; 24 hours; the owner's admins are told at once (pseudonym only); the
opening is audited and marked in "who viewed this case".

While an opening is in force, ``cases.access.case_access`` adds
``cases.access.BREAK_GLASS_PERMISSIONS`` to the partner's access
(``cases.selectors.break_glass.break_glass_active``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role, User
from cases.models import BreakGlassAccess, Case, CaseAccessLog, CaseShare
from cases.models.break_glass import REASON_MAX_LENGTH, REASON_MIN_LENGTH
from cases.selectors.break_glass import break_glass_in_force, break_glass_refusal
from cases.services.retention import blank_fields
from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict
from hrdcase.text import email_subject

logger = logging.getLogger(__name__)

BREAK_GLASS_DURATION = timedelta(hours=24)


def _check_reason(reason: str) -> str:
    """The reason, stripped; ValidationError naming ``reason`` when too short or too long."""
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _(
                    "Say why the defender's life is at immediate risk and how you tried to "
                    "reach the owner (at least %(min)d characters)."
                )
                % {"min": REASON_MIN_LENGTH}
            }
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)d characters.") % {"max": REASON_MAX_LENGTH}}
        )
    return reason


@transaction.atomic
def break_glass_open(
    *, case: Case, reason: str, acting_user: User, now: datetime | None = None
) -> BreakGlassAccess:
    """Open ``case``'s full file to the acting admin's organisation for 24 hours.

    Raises PermissionDenied for a user who may not (the view has already given 404 to one
    who cannot see the case), ValidationError naming ``reason`` for a missing or short
    reason, StateConflict when an opening of the same organisation is still in force.
    """
    now = now or timezone.now()
    refusal = break_glass_refusal(acting_user, case, now=now)
    if refusal is not None:
        raise PermissionDenied(refusal)
    reason = _check_reason(reason)
    # Serialise openings of one case, so a double submission cannot open (and notify) twice.
    list(
        Case.objects.unscoped().select_for_update().filter(pk=case.pk).values_list("pk", flat=True)
    )
    current = break_glass_in_force(
        case, opener_organisation_id=acting_user.organisation_id, now=now
    )
    if current is not None:
        raise StateConflict(
            _("Break-glass access to this case is already open until %(until)s UTC.")
            % {"until": f"{current.expires_at:%Y-%m-%d %H:%M}"}
        )
    access = BreakGlassAccess(
        organisation=case.organisation,
        case=case,
        opened_by=acting_user,
        opener_organisation=acting_user.organisation,
        reason=reason,
        opened_at=now,
        expires_at=now + BREAK_GLASS_DURATION,
    )
    access.full_clean()
    access.save()
    CaseAccessLog.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        user=acting_user,
        viewer_organisation_id=acting_user.organisation_id,
        part=CaseAccessLog.Part.FILE,
        break_glass=True,
    )
    audit_record(
        action="case.break_glass",
        actor=acting_user,
        target=case,
        data={
            "owner": str(case.organisation_id),
            "access": str(access.pk),
            "expires_at": access.expires_at.isoformat(),
        },
    )
    _notify_after_commit(case, access, acting_user)
    return access


def _notify_after_commit(case: Case, access: BreakGlassAccess, acting_user: User) -> None:
    recipients = list(
        User.objects.filter(
            organisation_id=case.organisation_id, role=Role.ADMIN, is_active=True
        ).values_list("email", "language")
    )
    notice = {
        "reference": case.reference,
        "pseudonym": case.pseudonym,
        "organisation": acting_user.organisation.name,
        "user": acting_user.full_name or acting_user.email,
        "until": f"{access.expires_at:%Y-%m-%d %H:%M}",
        "link": settings.SITE_URL + reverse("cases:detail", args=[case.pk]),
    }
    # After commit: an opening that rolls back must not be announced. robust: a mail server
    # that is down must not turn a committed opening into an error page.
    transaction.on_commit(lambda: _notify_owner_admins(recipients, notice), robust=True)


def _notify_owner_admins(recipients: list[tuple[str, str]], notice: dict[str, str]) -> None:
    """One e-mail per owner admin, in their language. Pseudonym and reference only: never the
    defender's identity, nor the reason (free text that may name them; it is on the case)."""
    for email, language in recipients:
        try:
            with translation.override(language or settings.LANGUAGE_CODE):
                # One header-safe line whatever the stored values hold (hrdcase.text).
                subject = email_subject(_("Break-glass access to case %(reference)s") % notice)
                body = (
                    _(
                        "%(user)s of %(organisation)s opened the full file of case %(reference)s "
                        "(%(pseudonym)s) under break-glass access: they reported that the "
                        "defender's life is at immediate risk and that your organisation could "
                        "not be reached.\n\n"
                        "The access lasts until %(until)s UTC. The reason they gave is on the "
                        "case page, where you may also end the access:\n%(link)s\n\n"
                        'This access is recorded in the audit trail and in "who viewed this case".'
                    )
                    % notice
                )
            send_mail(subject, body, None, [email])
        except Exception:
            # One failing address must not keep the others uninformed.
            logger.exception("break-glass notice to an owner admin failed")


@transaction.atomic
def break_glass_end(
    *, access: BreakGlassAccess, acting_user: User, now: datetime | None = None
) -> BreakGlassAccess:
    """End an opening early: the owner's admins and officers (they were reached), or an admin
    of the opener's organisation (the emergency is over)."""
    now = now or timezone.now()
    owner_side = acting_user.organisation_id == access.organisation_id and acting_user.can_write
    opener_side = (
        acting_user.organisation_id == access.opener_organisation_id and acting_user.is_org_admin
    )
    if not (owner_side or opener_side):
        raise PermissionDenied
    if not access.is_active_at(now):
        raise ValidationError(_("This break-glass access has already ended."))
    _end_opening(access, acting_user=acting_user, now=now)
    return access


def _end_opening(
    opening: BreakGlassAccess,
    *,
    acting_user: User | None,
    now: datetime,
    organisation: Organisation | None = None,
    **why: str,
) -> None:
    """End ``opening`` at ``now`` and audit it, on ``organisation``'s trail (the actor's by
    default; ``why``: more to record)."""
    opening.ended_at = now
    opening.ended_by = acting_user
    opening.save(update_fields=["ended_at", "ended_by"])
    audit_record(
        action="case.break_glass_end",
        actor=acting_user,
        organisation=organisation,
        target=opening.case,
        data={"owner": str(opening.organisation_id), "access": str(opening.pk), **why},
    )


def break_glass_end_with_share(*, share: CaseShare, acting_user: User | None) -> None:
    """The share an opening was made through ended (revoked, replaced by another level,
    expired, consent withdrawn, the partner gone): the opening ends with it, on the owner's
    record too, and the opener may open again only through a share in force."""
    now = timezone.now()
    openings = (
        BreakGlassAccess.objects.owned_by(share.organisation)
        .active(now)
        .filter(case_id=share.case_id, opener_organisation_id=share.partner_id)
        .select_related("case")
    )
    for opening in openings:
        _end_opening(
            opening,
            acting_user=acting_user,
            now=now,
            organisation=share.organisation,
            share_ended=share.end_reason,
        )


def break_glass_purge(case: Case) -> None:
    """Retention: an opening still in force ends; the reasons (free text) go."""
    now = timezone.now()
    # unscoped: the purge job runs for every tenant; narrowed to this case.
    for opening in BreakGlassAccess.objects.unscoped().filter(case=case):
        if opening.is_active_at(now):
            opening.ended_at = now
            opening.save(update_fields=["ended_at"])
        blank_fields(opening, ("reason",))
