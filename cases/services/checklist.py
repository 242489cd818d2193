"""The owner's "Not sharing this case" on the new case's checklist (Overview): the answer to
"shared with a partner?" that needs no share. Recorded in the audit trail, which the
checklist reads (``cases.selectors.checklist``): no field of its own on the case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from cases.access import require_case_write
from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict
from hrdcase.models import AuditEvent

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case

#: the audit action the checklist looks for.
NOT_SHARED = "case.not_shared"


@transaction.atomic
def case_mark_not_shared(*, case: Case, acting_user: User, ip: str | None = None) -> None:
    """The owner's writer says the case stays with its organisation (for now): the
    checklist's sharing step is done. Sharing it later is still possible. Said once: a second
    answer (two tabs, a double click) records nothing more."""
    require_case_write(case=case, acting_user=acting_user)
    if case.is_closed:
        raise StateConflict(_("This case is closed: it has no checklist to answer."))
    if is_marked_not_shared(case):
        return
    audit_record(action=NOT_SHARED, actor=acting_user, target=case, ip=ip)


def is_marked_not_shared(case: Case) -> bool:
    return AuditEvent.objects.filter(
        target_type=case._meta.label_lower, target_id=str(case.pk), action=NOT_SHARED
    ).exists()
