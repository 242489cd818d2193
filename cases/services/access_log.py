"""Reads of a case's sensitive parts are recorded: the owner sees who viewed what."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from cases.models import Case, CaseAccessLog
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User
    from cases.access import CaseAccess


@transaction.atomic
def case_part_viewed(
    *, case: Case, user: User, part: str, ip: str | None = None, break_glass: bool = False
) -> None:
    CaseAccessLog.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        user=user,
        viewer_organisation_id=user.organisation_id,
        part=part,
        break_glass=break_glass,
    )
    audit_record(
        action="case.view_" + part,
        actor=user,
        target=case,
        ip=ip,
        data={"owner": str(case.organisation_id), "break_glass": break_glass},
    )


def identity_viewed(*, case: Case, access: CaseAccess, user: User, ip: str | None) -> None:
    """A read of the defender's identity (the identity page, the defender form, the API):
    marked break-glass when an opening is what showed it."""
    case_part_viewed(
        case=case,
        user=user,
        part=CaseAccessLog.Part.IDENTITY,
        ip=ip,
        break_glass=access.break_glass is not None,
    )
