"""Reads of a case's sensitive parts are recorded: the owner sees who viewed what."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from cases.models import Case, CaseAccessLog
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User


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
