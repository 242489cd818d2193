"""The checks every relocation write makes itself, even when its view checked first (the
service is the last line): who may write, on which side, and whether the request and its case
still allow it. DESIGN.md, "When access ends": a requester's write re-checks that its
organisation holds the case *now*."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User
from cases.access import live_permissions, require_case_write
from cases.models import Case
from cases.services.consent import require_relocation_consent
from hrdcase.exceptions import StateConflict
from hrdcase.tenancy import TenantModel
from relocation.models import RelocationRequest

M = TypeVar("M", bound=TenantModel)

#: the part of a case a partner must hold, now, to ask for relocation on it (``full``).
REFERRAL_PERMISSION = "add_case_referral"

FROZEN_MESSAGE = _lazy(
    "This request is on hold: the requesting organisation no longer holds the case. The case "
    "owner may share the case again at full level, which resumes it, or cancel it."
)


def require_writer_of(user: User, organisation_id) -> None:
    """The addressee's side: a writer (admin, officer) of ``organisation_id``."""
    if user.organisation_id != organisation_id or not user.can_write:
        raise PermissionDenied


def require_admin_of(user: User, organisation_id) -> None:
    """An organisation's own configuration (settings, programme, capacity): its admins."""
    if user.organisation_id != organisation_id or not user.is_org_admin:
        raise PermissionDenied


def require_requester(user: User, relocation_request: RelocationRequest) -> None:
    """A requester's write: a writer of the requesting organisation, which must still hold the
    case *now* (its owner, or a partner whose live share grants referrals). A partner whose
    share ended gets ``PermissionDenied`` even on a request it raised earlier."""
    require_writer_of(user, relocation_request.organisation_id)
    require_case_write(case=relocation_request.case, acting_user=user, need=REFERRAL_PERMISSION)


def requester_holds_case(relocation_request: RelocationRequest) -> bool:
    """Whether the requesting organisation still holds the case (owner, or live share with
    referrals), whoever asks: an addressee's decision waits while it does not."""
    case = relocation_request.case
    if relocation_request.organisation_id == case.organisation_id:
        return True
    return REFERRAL_PERMISSION in live_permissions(relocation_request.organisation, case)


def require_live_request(relocation_request: RelocationRequest) -> None:
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


def require_live_referral(referral) -> None:
    """A referral without a request (a grant on its own, issue 20) is decided only while its
    requester still holds the case."""
    case = referral.case
    if referral.organisation_id == case.organisation_id:
        return
    if REFERRAL_PERMISSION not in live_permissions(referral.organisation, case):
        raise StateConflict(
            _(
                "The requesting organisation no longer holds this case: this grant request "
                "cannot be answered."
            ),
            allowed=[],
        )


def require_open_case(case: Case) -> None:
    if case.purged_at is not None or case.is_closed:
        raise ValidationError(
            {"case": _("This case is closed: reopen it before asking for relocation support.")}
        )


def require_consent(case: Case) -> None:
    """Relocation consent on record, as a 400 on ``case``."""
    try:
        require_relocation_consent(case=case)
    except ValidationError as error:
        raise ValidationError({"case": error.messages}) from None


def locked(model: type[M], pk) -> M:
    # unscoped: re-reading, under a row lock, an object the caller already loaded through
    # its scoped path (the lock serialises two concurrent decisions on it).
    return model.objects.unscoped().select_for_update().get(pk=pk)
