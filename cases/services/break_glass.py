"""Break-glass access: an admin of a ``feedback`` partner opens the full file in an emergency.

Rules (issue 3, item 9): only when a defender's life is at immediate risk and the owner
cannot be reached; only an organisation admin; only over an active ``feedback`` share (a
``full`` partner already sees the file, a ``relocation`` partner never sees the case);
a written reason; 24 hours; the owner's admins are told at once (pseudonym only); the
opening is audited and marked in "who viewed this case".

``break_glass_active(user, case)`` is what ``cases.access.case_access`` consults to add
``BREAK_GLASS_PERMISSIONS`` to a partner's access while an opening is in force.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cases import timeline
from cases.models import BreakGlassAccess, Case, CaseAccessLog, CaseShare
from cases.parts import register_part
from cases.timeline import TimelineItem
from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict
from hrdcase.text import email_subject

if TYPE_CHECKING:
    from cases.access import CaseAccess

logger = logging.getLogger(__name__)

BREAK_GLASS_DURATION = timedelta(hours=24)
#: What an opening adds to the partner's share permissions: the full file, read only.
BREAK_GLASS_PERMISSIONS: frozenset[str] = frozenset({"view_case_identity", "view_case_risk"})
REASON_MIN_LENGTH = 20
REASON_MAX_LENGTH = 2000


def _live_shares(now: datetime):
    return CaseShare.objects.unscoped().live(now)


def break_glass_refusal(user: User, case: Case, *, now: datetime | None = None) -> str | None:
    """Why ``user`` may not open ``case``'s full file under break-glass; ``None`` if they may.

    The caller has already established that the case is visible to the user (otherwise 404).
    """
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return _("Only members of an organisation may use break-glass access.")
    if case.organisation_id == user.organisation_id:
        return _("Your organisation owns this case and already sees its full file.")
    if not user.is_org_admin:
        return _(
            "Only an administrator of your organisation may open the full file in an emergency."
        )
    if case.purged_at is not None:
        return _("This case was purged under the retention policy: there is no file to open.")
    share = (
        _live_shares(now)
        .filter(case_id=case.pk, partner_id=user.organisation_id)
        .values_list("level", flat=True)
        .first()
    )
    if share == CaseShare.Level.FULL:
        return _("Your organisation has full access already: break-glass access is not needed.")
    if share != CaseShare.Level.FEEDBACK:
        return _("Break-glass access needs an active feedback share of this case.")
    return None


def break_glass_active(
    user: User, case: Case, *, now: datetime | None = None
) -> BreakGlassAccess | None:
    """The opening in force that gives ``user``'s organisation the full file of ``case``, if any.

    An opening stands on the feedback share it was made through: when the owner revokes the
    share (or it expires, or consent is withdrawn) the opening stops counting at once.
    """
    if (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or user.organisation_id is None
    ):
        return None
    if case.organisation_id == user.organisation_id or case.purged_at is not None:
        return None
    now = now or timezone.now()
    share = _live_shares(now).filter(
        case_id=OuterRef("case_id"),
        partner_id=OuterRef("opener_organisation_id"),
        level=CaseShare.Level.FEEDBACK,
    )
    return (
        BreakGlassAccess.objects.visible_to(user)
        .active(now)
        .filter(Exists(share), case_id=case.pk, opener_organisation_id=user.organisation_id)
        .order_by("-expires_at")
        .first()
    )


#: the key of the case page's read of openings (``CaseAccess.remember``, cases.parts).
OPENINGS = "cases.break_glass_openings"


def break_glass_openings(case: Case, access: CaseAccess) -> list[BreakGlassAccess]:
    """Every opening of ``case``, newest first, for its owner (read once per case page: the
    panel shows those in force, the timeline all of them); empty for anyone else."""
    if not access.is_owner:
        return []
    return access.remember(
        OPENINGS,
        lambda: list(
            BreakGlassAccess.objects.owned_by(case.organisation)
            .filter(case=case)
            .select_related("opener_organisation", "opened_by")
        ),
    )


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
    # Serialise openings of one case, so a double submission cannot open (and notify) twice.
    list(
        Case.objects.unscoped().select_for_update().filter(pk=case.pk).values_list("pk", flat=True)
    )
    current = (
        BreakGlassAccess.objects.owned_by(case.organisation)
        .active(now)
        .filter(case=case, opener_organisation_id=acting_user.organisation_id)
        .order_by("-expires_at")
        .first()
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
    return access


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
    access.ended_at = now
    access.ended_by = acting_user
    access.save(update_fields=["ended_at", "ended_by"])
    audit_record(
        action="case.break_glass_end",
        actor=acting_user,
        target=access.case,
        data={"owner": str(access.organisation_id), "access": str(access.pk)},
    )
    return access


def _timeline(case: Case, access: CaseAccess):
    """Openings on the owner's timeline (partners see their own opening on the case page)."""
    for opening in break_glass_openings(case, access):
        yield TimelineItem(
            at=opening.opened_at,
            kind="break_glass",
            title=_("Break-glass access opened by %(user)s of %(org)s until %(until)s UTC")
            % {
                "user": opening.opened_by,
                "org": opening.opener_organisation,
                "until": f"{opening.expires_at:%Y-%m-%d %H:%M}",
            },
        )
        if opening.ended_at:
            yield TimelineItem(
                at=opening.ended_at,
                kind="break_glass",
                title=_("Break-glass access of %(org)s ended early")
                % {"org": opening.opener_organisation},
            )


timeline.register("cases.break_glass", _timeline)
register_part(OPENINGS, BreakGlassAccess)
