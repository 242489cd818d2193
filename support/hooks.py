"""Every registration of the support app, called once by ``SupportConfig.ready``; importing
this module registers nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from alerts.due import register_due_source
from alerts.kinds import register_readable_source
from cases.models import Case
from cases.registries.panels import register_panel
from cases.registries.parts import register_part
from cases.registries.purgers import register_purger
from cases.signals import case_closed, share_ended
from hrdcase.navigation import register_nav_item
from support.models import SupportRequest
from support.selectors import support_answer_escalations, support_answer_reminders
from support.services import (
    NEED_ASK,
    support_requests_purge,
    support_requests_withdraw_for_case,
    support_requests_withdraw_unfollowed,
)
from support.views import PANEL_REQUESTS, support_panel


def _member(user: Any) -> bool:
    return user.organisation_id is not None


def _requester_still_follows(user: Any) -> Q:
    """An answer or outcome line names the case: it stays while the requester sees it."""
    return Q(case_id__in=Case.objects.visible_ids(user))


def _on_share_ended(sender: Any, *, share: Any, successor: Any = None, **kwargs: Any) -> None:
    """A partner no longer following the case (not at a level that may ask): its unanswered
    requests on it are withdrawn."""
    from cases.access import LEVEL_PERMISSIONS

    if successor is not None and NEED_ASK in LEVEL_PERMISSIONS[successor.level]:
        return  # the same partner still follows the case at its new level
    support_requests_withdraw_unfollowed(
        case=share.case, organisation_id=share.partner_id, reason=share.end_reason
    )


def _on_case_closed(sender: Any, *, case: Any, acting_user: Any = None, **kwargs: Any) -> None:
    support_requests_withdraw_for_case(case=case, reason="case closed", acting_user=acting_user)


def register() -> None:
    # No badge: a badge is a query on every page; Home lists what waits.
    register_nav_item("support:queue", gettext_lazy("Support"), order=62, when=_member)
    register_panel(
        "support.requests",
        "support/_case_panel.html",
        support_panel,
        order=115,
        section="actions",
    )
    register_part(PANEL_REQUESTS, SupportRequest)
    register_purger("support", support_requests_purge)
    register_readable_source("support_answer", _requester_still_follows)
    # Unanswered urgent requests: reminded at half the answer time, then escalated by the
    # receiver's alert policy (relocation's deadline machinery, shared).
    register_due_source("support.answer_reminders", support_answer_reminders)
    register_due_source("support.answer_escalations", support_answer_escalations)
    share_ended.connect(_on_share_ended, dispatch_uid="support.share_ended")
    case_closed.connect(_on_case_closed, dispatch_uid="support.case_closed")
