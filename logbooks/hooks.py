"""What logbooks plugs into the registries of ``cases`` and ``alerts``:
``register()``, called once from ``LogbooksConfig.ready``; nothing registers on import."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hrdcase.later import later
from hrdcase.links import object_url

if TYPE_CHECKING:
    from cases.access import CaseAccess
    from cases.models import Case
    from cases.registries.timeline import TimelineItem

TIMELINE_ENTRIES = 50
#: what ``logbooks.selectors.entries.entry_item`` shows of an entry on the case page (not the
#: author's password hash and the organisation's settings the join would otherwise read).
TIMELINE_ENTRY_FIELDS = (
    "occurred_at",
    "kind",
    "summary",
    "visibility",
    "version",
    "organisation__name",
    "author__full_name",
    "author__email",
)
TIMELINE_ACTIONS = 50
#: the key of the case page's read of actions (``CaseAccess.remember``, cases.registries.parts).
ACTIONS = "logbooks.actions"
HEARING_HORIZON = datetime.timedelta(hours=48)


# --- case page -----------------------------------------------------------------------------------


def timeline_entries(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    from logbooks.models import LogEntry
    from logbooks.selectors.entries import entry_item

    for entry in (
        LogEntry.objects.seen_through(access)
        .current()
        .filter(case=case)
        .select_related("author", "organisation")
        .only(*TIMELINE_ENTRY_FIELDS)
        .order_by("-occurred_at")[:TIMELINE_ENTRIES]
    ):
        yield entry_item(entry)


def timeline_actions(case: Case, access: CaseAccess) -> Iterator[TimelineItem]:
    from cases.registries.timeline import TimelineItem

    # The case is visible to this viewer (they hold ``access``), and every action on a
    # visible case is visible (models.DiplomaticActionQuerySet.visible_to): the related
    # manager needs no further scope.
    actions = (
        case.diplomatic_actions.select_related("organisation")
        .only("case", "taken_on", "type", "authority", "status", "organisation__name")
        .order_by("-taken_on")
    )
    for action in access.remember(ACTIONS, lambda: list(actions[:TIMELINE_ACTIONS])):
        yield TimelineItem(
            at=action.taken_on,
            kind="action",
            title=_("%(type)s — %(authority)s")
            % {"type": action.get_type_display(), "authority": action.authority},
            detail=_("%(org)s · %(status)s")
            % {"org": action.organisation.name, "status": action.get_status_display()},
            url=object_url("logbooks:action_detail", action.pk),
        )


#: Overview shows this many of the latest entries under the quick log (one query; the
#: Logbook section's timeline has the latest 50 of every kind of event).
OVERVIEW_ENTRIES = 3


def _latest_entries(case: Case, access: CaseAccess) -> list[TimelineItem]:
    """The latest entries this viewer may read (the timeline's read, three rows)."""
    from logbooks.models import LogEntry
    from logbooks.selectors.entries import entry_item

    return [
        entry_item(entry)
        for entry in LogEntry.objects.seen_through(access)
        .current()
        .filter(case=case)
        .select_related("author", "organisation")
        .only(*TIMELINE_ENTRY_FIELDS)
        .order_by("-occurred_at")[:OVERVIEW_ENTRIES]
    ]


def quick_log_panel(request, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    from logbooks.access import can_log
    from logbooks.forms.entries import QuickLogForm

    if case.purged_at:
        return None
    form = QuickLogForm(case=case, sees_hearings=access.sees_identity) if can_log(access) else None
    return {
        "form": form,
        "latest": _latest_entries(case, access),
        "timeline_url": reverse("cases:section", args=[case.pk, "logbook"]),
        "logbook_url": reverse("logbooks:case_logbook", kwargs={"case_pk": case.pk}),
        "actions_url": reverse("logbooks:case_actions", kwargs={"case_pk": case.pk}),
        "post_url": reverse("logbooks:quick_log", kwargs={"case_pk": case.pk}),
    }


#: the Actions section's panel lists this many of the latest actions (the actions page: all).
PANEL_ACTIONS = 10


def actions_panel(request, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """The Actions section's "Diplomatic actions": the latest ones (the timeline's read, so
    what every viewer of the case sees there), the page of all and "Record an action"."""
    from logbooks.access import can_log

    if case.purged_at or not access.has("view_case"):
        return None
    actions = (
        case.diplomatic_actions.select_related("organisation")
        .only("case", "taken_on", "type", "authority", "status", "organisation__name")
        .order_by("-taken_on")
    )
    seen = access.remember(ACTIONS, lambda: list(actions[:TIMELINE_ACTIONS]))
    return {
        "actions": seen[:PANEL_ACTIONS],
        "more": len(seen) > PANEL_ACTIONS,
        "actions_url": reverse("logbooks:case_actions", kwargs={"case_pk": case.pk}),
        "create_url": reverse("logbooks:action_create", kwargs={"case_pk": case.pk})
        if can_log(access)
        else "",
    }


def log_button(request, case: Case, access: CaseAccess) -> dict[str, Any] | None:
    """The case page header's "Log" (every section; on a phone, always in reach): to the
    quick log on Overview, for who may log."""
    from logbooks.access import can_log

    if case.purged_at or not can_log(access):
        return None
    return {
        "label": _("Log"),
        "url": reverse("cases:detail", args=[case.pk]) + "#quick-log-heading",
        "class": "case-log-button",
    }


# --- reminders and automatic alerts ----------------------------------------------------------


def _recipient(author, case, organisation_id):
    if author is not None and author.acts_for(organisation_id):
        return author
    lead = case.lead_officer
    if lead is not None and lead.acts_for(organisation_id):
        return lead
    return None


def _follow_up(record, author, *, key: str, subject: str, url: str, extra: dict):
    """The reminder of one action's follow-up, to its author or else the case's
    lead officer (of the record's organisation); None when neither may act on it."""
    from alerts.due import DueItem

    recipient = _recipient(author, record.case, record.organisation_id)
    if recipient is None:
        return None
    return DueItem(
        key=key,
        kind="follow_up",
        subject=subject,
        recipients=[recipient],
        url=url,
        case=record.case,
        extra=extra,
    )


def follow_ups(now: datetime.datetime):
    """Diplomatic actions waiting for their follow-up. (A logbook entry's follow-up date is a
    task, ``cases.models.task``: alerts reminds it with every task, ``cases.tasks``.)"""
    from logbooks.models import ActionStatus, DiplomaticAction

    # unscoped: the beat sweep runs for every organisation; each item goes to its own people.
    actions = (
        DiplomaticAction.objects.unscoped()
        .filter(status=ActionStatus.FOLLOW_UP_DUE, case__purged_at__isnull=True)
        .select_related("created_by", "case__lead_officer")
    )
    items = [
        _follow_up(
            action,
            action.created_by,
            key=f"logbooks.action_follow_up:{action.pk}:{action.updated_at:%Y%m%d%H%M%S}",
            subject=later(
                gettext_noop("Follow-up due on a diplomatic action: %(case)s"),
                case=action.case.pseudonym,
            ),
            url=object_url("logbooks:action_detail", action.pk),
            extra={"action": str(action.pk)},
        )
        for action in actions
    ]
    return [item for item in items if item is not None]


def hearings_without_observation(now: datetime.datetime):
    """A hearing within the next 48 hours, of any live proceeding (with or without a
    detention), that no mission is planned to observe: raise a high alert once per hearing.

    Planned means a ``HearingObserver`` planned or attended, or a trial-observation action
    naming the hearing (planned or done), or, for records from before proceedings, a trial
    observation of the case dated on the hearing's day."""
    from alerts.due import AutoAlert
    from cases.models import Case, Hearing
    from cases.models.court import LIVE_PROCEEDING_STATUSES
    from cases.services.court import hearing_case
    from logbooks.selectors.actions import hearings_without_observation as unobserved

    today = timezone.localdate(now)
    horizon = timezone.localdate(now + HEARING_HORIZON)
    # unscoped: the sweep looks at every organisation's hearings; the alert goes to the
    # case's owner (alerts raises it on the case).
    hearings = (
        Hearing.objects.unscoped()
        .filter(
            date__gte=today,
            date__lte=horizon,
            proceeding__status__in=LIVE_PROCEEDING_STATUSES,
            proceeding__case__purged_at__isnull=True,
        )
        .exclude(proceeding__case__status=Case.Status.CLOSED)
        .select_related("proceeding__case")
    )
    for hearing in unobserved(hearings):
        yield AutoAlert(
            # The key of the detention-only rule it replaces: no hearing is alerted twice.
            key=f"logbooks.hearing_unobserved:{hearing.pk}",
            case=hearing_case(hearing),
            # its own kind (never "Other" nor "Imminent threat"), and a cause per hearing:
            # two hearings of a case without an observer are two alerts, not one history.
            kind="hearing_unobserved",
            cause=f"hearing:{hearing.pk}",
            severity="high",
            reason=_("Hearing on %(date)s: no trial observer is planned.")
            % {"date": hearing.date.isoformat()},
        )


def _purge(case) -> None:
    from logbooks.services.retention import purge_case

    purge_case(case)


def register() -> None:
    from alerts.due import register_alert_source, register_due_source
    from alerts.kinds import SHARED_ENTRY, register_readable_source
    from cases.registries import timeline
    from cases.registries.panels import register_header_action, register_panel
    from cases.registries.parts import register_part
    from cases.registries.purgers import register_purger
    from logbooks.models import DiplomaticAction
    from logbooks.selectors.inbox import readable_lines

    timeline.register("logbooks.entries", timeline_entries)
    timeline.register("logbooks.actions", timeline_actions)
    register_part(ACTIONS, DiplomaticAction)
    register_panel(
        "logbooks.quick_log", "logbooks/_quick_log_panel.html", quick_log_panel, order=10
    )
    register_panel(
        "logbooks.actions",
        "logbooks/_actions_panel.html",
        actions_panel,
        order=10,
        section="actions",
    )
    register_header_action("logbooks.log", log_button, order=10)
    register_due_source("logbooks.follow_ups", follow_ups)
    register_alert_source("logbooks.hearing_without_observation", hearings_without_observation)
    register_purger("logbooks", _purge)
    # No menu entry of its own: partners' shared entries reach the one inbox (alerts'
    # "Inbox", with its badge) as notifications (logbooks.services.inbox), each line shown
    # only while the reader may still open that version (taken back, share ended: gone).
    register_readable_source(SHARED_ENTRY, readable_lines)
