"""Who may write what in logbooks: one rule per kind of write, used by the pages, the API and
the services (which re-check it: they are the last line, whatever the caller checked)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from cases.access import get_case_for, require_case_write

if TYPE_CHECKING:
    from accounts.models import User
    from cases.access import CaseAccess
    from cases.models import Case
    from logbooks.models import DiplomaticAction, LogEntry

#: the share permission that lets a partner's writers add entries and actions to a case.
NEED_LOG = "add_shared_entry"


def open_case(user: User, case_pk: Any, *, writing: bool) -> tuple[Case, CaseAccess]:
    """The case of a logbook route: 404 for anyone who cannot see it, and for a write on a
    purged case (it keeps its shape for the statistics, nothing is added to it)."""
    case, access = get_case_for(user, case_pk)
    if case.purged_at and writing:
        raise Http404
    return case, access


def can_log(access: CaseAccess) -> bool:
    """Owner organisation's writers log anything; ``full``/``feedback`` partners' writers log
    on the cases they follow (their entries are theirs: internal to them, or shared)."""
    return access.can_write_role and (access.is_owner or access.has(NEED_LOG))


def require_can_log(access: CaseAccess) -> None:
    """A page's or the API's check before showing or taking a form: 403 otherwise."""
    if not can_log(access):
        raise PermissionDenied


def require_log_write(*, case: Case, acting_user: User) -> bool:
    """The services' check: the owner's writers, and writers of a partner whose live share
    lets it add entries (``cases.access.require_case_write``), on a case not purged.
    Returns whether the acting user's organisation owns the case."""
    require_case_write(case=case, acting_user=acting_user, need=NEED_LOG)
    if case.purged_at:
        raise ValidationError(_("This case was purged: nothing can be added to it."))
    return case.organisation_id == acting_user.organisation_id


def require_own(record: LogEntry | DiplomaticAction, acting_user: User) -> None:
    """An entry or an action is changed only by the organisation that wrote it: another
    organisation's shared record is visible to it, not its to change."""
    if record.organisation_id != acting_user.organisation_id:
        raise PermissionDenied
