"""What alerts registers with the rest of hrdcase (imported by ``AlertsConfig.ready``):
the case page panel, the case timeline, the retention purger, the menu entries, the
receivers of cases' domain signals, and the reminders of cases' due items."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import Role, User
from accounts.signals import organisation_deactivated, user_deactivated, user_moved
from accounts.timezones import ONE_DAY, days_anywhere, organisation_today
from alerts.channels import register_channel
from alerts.channels.email import EmailChannel
from alerts.channels.signal import SignalChannel
from alerts.channels.webhook import WebhookChannel
from alerts.due import DueItem, register_due_source
from alerts.models import Alert, AlertEvent, CheckIn, Notification
from alerts.selectors.notifications import inbox_badge_count
from alerts.services.notifications import purged_subject
from alerts.services.notify import notify
from alerts.services.recipients import WRITER_ROLES
from cases.registries import timeline
from cases.registries.panels import register_panel, register_summary
from cases.registries.parts import register_part
from cases.registries.purgers import register_purger
from cases.registries.timeline import TimelineItem
from cases.signals import (
    case_risk_raised,
    coordination_answered,
    coordination_requested,
    detention_recorded,
    share_ended,
    share_granted,
    task_assigned,
)
from hrdcase.later import label, later, later_date
from hrdcase.links import object_url
from hrdcase.navigation import register_nav_item

# --- case page -------------------------------------------------------------------------------

#: the case timeline shows this many of the latest check-ins (the check-ins page lists all).
TIMELINE_CHECK_INS = 20
#: keys of the case page's reads shared by the panel and the timeline (CaseAccess.remember).
CASE_ALERTS = "alerts.case_alerts"
RECENT_CHECK_INS = "alerts.recent_check_ins"
#: a feedback partner's own alerts on the case (none read when the case has no alert).
PARTNER_ALERTS = "alerts.partner_alerts"


def _full_level(access) -> bool:
    return access.is_owner or access.sees_identity


def _panel(request, case, access) -> dict | None:
    """The "raise an urgent alert" panel: open alerts first, the button for writers."""
    if not _full_level(access):
        return _partner_panel(request, case, access)
    from alerts.forms.alerts import AlertRaiseForm
    from alerts.services.checkins import active_schedule, next_due

    # A break-glass opening shows the full file, not the alerts' pages (Alert.visible_to):
    # no links to pages that would answer 404.
    alerts = [] if access.break_glass is not None else _case_alerts(case, access)
    open_alerts = [a for a in alerts if a.status != Alert.Status.RESOLVED]
    can_raise = access.can_write_role and not case.is_closed and not case.purged_at
    schedule = active_schedule(case)
    check_ins = _recent_check_ins(case, access)
    last = check_ins[0] if check_ins else None
    return {
        "open_alerts": open_alerts,
        "can_raise": can_raise,
        "form": AlertRaiseForm() if can_raise else None,
        "schedule": schedule,
        "last_check_in": last,
        "next_check_in": next_due(schedule, last.at if last else None) if schedule else None,
    }


def _summary(request, case, access) -> dict | None:
    """The case page's header: how many alerts are open, for who sees the case's alerts (the
    panel's and the timeline's read: one query at most, none when the case has none)."""
    if not _full_level(access) or access.break_glass is not None:
        return None
    count = sum(1 for a in _case_alerts(case, access) if a.status != Alert.Status.RESOLVED)
    return {
        "label": _("Open alerts"),
        "value": count,
        "url": reverse("cases:detail", args=[case.pk]) + "#alert-panel-heading",
        "tone": "danger" if count else "",
    }


def _partner_panel(request, case, access) -> dict | None:
    """A ``feedback`` partner raises an urgent alert on a case it follows, and sees whether
    the alerts it raised were acknowledged (issue 21); nothing of the owner's alerts."""
    if access.level != "feedback":
        return None
    from alerts.forms.alerts import AlertRaiseForm
    from alerts.selectors.alerts import partner_alerts_for

    can_raise = access.can_write_role and not case.is_closed and not case.purged_at
    return {
        "partner": True,
        "own_alerts": access.remember(
            PARTNER_ALERTS,
            lambda: list(partner_alerts_for(request.user).filter(case=case)[:10]),
        ),
        "can_raise": can_raise,
        "form": AlertRaiseForm() if can_raise else None,
    }


#: the columns of a case's alerts that its page reads (``_case_alerts``).
CASE_ALERT_FIELDS = [
    "case",
    "organisation",
    "created_at",
    "kind",
    "severity",
    "status",
    "raised_by__full_name",
    "raised_by__email",
]


def _case_alerts(case, access) -> list[Alert]:
    """Every alert of ``case``, newest first, read once per case page (panel and timeline).
    The caller checked ``_full_level``: an alert's organisation is the case's owner, so for
    the owner and a ``full`` partner these are the alerts ``visible_to`` lets it see; a
    feedback partner with a break-glass opening sees them on the timeline only."""
    # What the panel, the header and the timeline show: not the message (encrypted), nor
    # the rest of the raiser's row (its password hash was read on every case page).
    alerts = (
        case.alerts.select_related("raised_by").only(*CASE_ALERT_FIELDS).order_by("-created_at")
    )
    return access.remember(CASE_ALERTS, lambda: list(alerts))


def _recent_check_ins(case, access) -> list[CheckIn]:
    """The case's latest check-ins, newest first (any organisation's: partners' count)."""
    # unscoped: narrowed to one case the viewer holds in full (checked by the caller).
    return access.remember(
        RECENT_CHECK_INS,
        lambda: list(
            CheckIn.objects.unscoped()
            .filter(case=case)
            .select_related("logged_by")
            .order_by("-at")[:TIMELINE_CHECK_INS]
        ),
    )


def _timeline(case, access) -> Iterator[TimelineItem]:
    if not _full_level(access):
        return
    for alert in _case_alerts(case, access):
        url = object_url("alerts:detail", alert.pk)
        raised_by = (
            alert.raised_by.full_name or alert.raised_by.email
            if alert.raised_by
            else _("automatically")
        )
        yield TimelineItem(
            at=alert.created_at,
            kind="alert",
            title=_("Urgent alert (%(kind)s, %(severity)s): %(status)s")
            % {
                "kind": alert.get_kind_display(),
                "severity": alert.get_severity_display(),
                "status": alert.get_status_display(),
            },
            detail=_("Raised by %(who)s") % {"who": raised_by},
            url=url,
        )
    for check_in in _recent_check_ins(case, access):
        yield TimelineItem(at=check_in.at, kind="check_in", title=_("Defender checked in"))


def _purge(case) -> None:
    # unscoped: the purge runs for every tenant; narrowed to this case.
    for alert in Alert.objects.unscoped().filter(case=case):
        alert.message = ""
        alert.resolution_note = ""
        alert.save(update_fields=["message", "resolution_note"])
    for check_in in CheckIn.objects.unscoped().filter(case=case).exclude(note=None):
        check_in.note = ""
        check_in.save(update_fields=["note"])
    # Subjects carry the pseudonym, which the purge replaces: so do we.
    Notification.objects.unscoped().filter(Q(case=case) | Q(alert__case=case)).update(
        subject=purged_subject()
    )
    # unscoped: as above. An event's "what happened" is narrative, like the alert's message.
    for event in AlertEvent.objects.unscoped().filter(alert__case=case):
        event.reason = ""
        event.save(update_fields=["reason"])


# --- menu ------------------------------------------------------------------------------------


def _member(user: User) -> bool:
    return user.organisation_id is not None


# --- cases' domain signals -> automatic alerts (same transaction: outbox) ---------------------


def _on_risk_raised(
    sender, *, case, previous, level, acting_user=None, assessment=None, **kwargs
) -> None:
    """ "Risk raised to critical by risk assessment v3 of 2026-12-05": its own kind, what
    raised it, and not its author's alert (issue 22)."""
    from alerts.services.alerts import alert_raise_automatic

    values = {"previous": previous or _("not assessed"), "level": level}
    if assessment is not None:
        reason = _(
            "Risk raised from %(previous)s to %(level)s by risk assessment v%(version)s of "
            "%(date)s."
        ) % {**values, "version": assessment.version, "date": assessment.assessed_on.isoformat()}
    else:
        reason = _("Risk raised from %(previous)s to %(level)s by an override.") % values
    alert_raise_automatic(
        case=case,
        kind=Alert.Kind.RISK_CRITICAL if level == "critical" else Alert.Kind.RISK_HIGH,
        severity=Alert.Severity.CRITICAL if level == "critical" else Alert.Severity.HIGH,
        reason=reason,
        # one per case, level and day: a level that drops and rises again the next day alerts
        # again; a doubled save the same day does not.
        auto_key=f"risk:{case.pk}:{level}:{timezone.localdate().isoformat()}",
        acting_user=acting_user,
    )


def _on_detention_recorded(sender, *, case, detention, acting_user=None, **kwargs) -> None:
    from alerts.services.alerts import alert_raise_automatic

    alert_raise_automatic(
        case=case,
        kind=Alert.Kind.DETENTION_RECORDED,
        severity=Alert.Severity.CRITICAL,
        reason=_("Detention recorded (detained since %(date)s).")
        % {"date": detention.detained_since.isoformat()},
        auto_key=f"detention:{detention.pk}",
        acting_user=acting_user,
    )


# --- reminders of cases' due items ------------------------------------------------------------


def _case_people(case) -> list[User]:
    """Who is reminded of a case's due item: its lead officer, else the owner's writers."""
    if case.lead_officer_id and case.lead_officer.acts_for(case.organisation_id):
        return [case.lead_officer]
    return list(
        User.objects.filter(
            organisation_id=case.organisation_id, role__in=WRITER_ROLES, is_active=True
        )
    )


def _benchmarks(now: datetime) -> Iterator[DueItem]:
    from cases.selectors.detention import DUE_SOON, due_benchmarks

    # Read up to the latest day anywhere (the sweep's UTC day plus one), then judge each
    # step on its organisation's day: a step due on the 8th is not overdue on a Bogotá
    # evening of the 7th, when UTC is already on the 8th.
    with timezone.override(UTC):
        milestones = due_benchmarks(now, within=DUE_SOON + ONE_DAY)
    for milestone in milestones:
        today = organisation_today(milestone.organisation, now)
        if milestone.due_on > today + DUE_SOON:
            continue
        case = milestone.detention.incident.case
        overdue = milestone.due_on < today
        state = "overdue" if overdue else "soon"
        yield DueItem(
            key=f"cases.benchmark:{milestone.pk}:{milestone.due_on.isoformat()}:{state}",
            kind="benchmark",
            subject=later(
                gettext_noop("Detention benchmark overdue: %(pseudonym)s")
                if overdue
                else gettext_noop("Detention benchmark due soon: %(pseudonym)s"),
                pseudonym=case.pseudonym,
            ),
            recipients=_case_people(case),
            url=reverse(
                "cases:detention",
                kwargs={"pk": case.pk, "incident_pk": milestone.detention.incident_id},
            ),
            case=case,
        )


def _risk_reviews(now: datetime) -> Iterator[DueItem]:
    from cases.selectors.risk import cases_due_for_review

    latest = days_anywhere(now)[1]  # then each case on its organisation's day
    for case in cases_due_for_review(today=latest).select_related("lead_officer", "organisation"):
        if case.review_due > organisation_today(case.organisation, now):
            continue
        yield DueItem(
            key=f"cases.risk_review:{case.pk}:{case.review_due.isoformat()}",
            kind="risk_review",
            subject=later(gettext_noop("Risk review due: %(pseudonym)s"), pseudonym=case.pseudonym),
            recipients=_case_people(case),
            url=reverse("cases:risk_list", kwargs={"pk": case.pk}),
            case=case,
        )


# --- tasks: reminded when due, told when given -----------------------------------------------


def _org_writers(organisation_ids) -> dict[object, list[User]]:
    writers: dict[object, list[User]] = {}
    for user in User.objects.filter(
        organisation_id__in=set(organisation_ids), role__in=WRITER_ROLES, is_active=True
    ):
        writers.setdefault(user.organisation_id, []).append(user)
    return writers


def _task_where(task) -> str:
    return task.case.pseudonym if task.case_id else gettext_lazy("your organisation")


def _tasks(now: datetime) -> Iterator[DueItem]:
    """Open tasks due today or overdue in their organisation's time zone
    (``cases.selectors.task.tasks_due``): to the assignee, or to the organisation's writers
    when nobody (or nobody who may still act) has it. Once per task and due date; a task
    whose due date passed during a snooze is reminded again the day it wakes (its snooze is
    in the key). A logbook follow-up keeps the key its reminder had before follow-ups became
    tasks, so none is reminded twice."""
    from cases.models import Task
    from cases.selectors.task import tasks_due

    due = tasks_due(now)
    unassigned = [task for task, _today in due if not _assignee_may_act(task)]
    writers = _org_writers(t.organisation_id for t in unassigned) if unassigned else {}
    for task, today in due:
        if task.kind == Task.Kind.FOLLOW_UP:
            key = f"logbooks.follow_up:{task.source_id}:{task.due_on.isoformat()}"
        else:
            key = f"cases.task:{task.pk}:{task.due_on.isoformat()}"
        if task.snoozed_until:
            key += f":{task.snoozed_until.isoformat()}"
        if task.due_on < today:
            subject = later(gettext_noop("Task overdue: %(where)s"), where=_task_where(task))
        else:
            subject = later(gettext_noop("Task due today: %(where)s"), where=_task_where(task))
        yield DueItem(
            key=key,
            kind="task",
            subject=subject,
            recipients=(
                [task.assignee]
                if _assignee_may_act(task)
                else writers.get(task.organisation_id, [])
            ),
            url=reverse("cases:task_detail", kwargs={"task_pk": task.pk}),
            case=task.case,
        )


def _assignee_may_act(task) -> bool:
    assignee = task.assignee
    return (
        assignee is not None
        and assignee.is_active
        and assignee.organisation_id == task.organisation_id
        and assignee.can_write
    )


def _on_task_assigned(sender, *, task, acting_user=None, **kwargs) -> None:
    """The assignee hears that a task was given to them (in the inbox; by e-mail as their
    preferences for "task" say). The subject names the case's pseudonym at most: a title is
    free text and the subject may be e-mailed."""
    notify(
        recipients=[task.assignee],
        kind="task",
        subject=later(
            gettext_noop("A task was assigned to you: %(where)s, due %(date)s"),
            where=_task_where(task),
            date=later_date(task.due_on, "DATE_FORMAT"),
        ),
        # once per assignment: given back and forth, each new assignment is told
        dedupe_key=f"cases.task_assigned:{task.pk}:{task.assignee_id}:{task.updated_at.timestamp()}",
        url=reverse("cases:task_detail", kwargs={"task_pk": task.pk}),
        case=task.case,
    )


# --- shares: both sides are told ------------------------------------------------------------


def _partner_writers(share) -> list[User]:
    """The partner organisation's officers and admins (none once it was deactivated)."""
    return list(
        User.objects.filter(
            organisation_id=share.partner_id,
            organisation__is_active=True,
            is_active=True,
            role__in=WRITER_ROLES,
        )
    )


def _owner_people(case) -> list[User]:
    """Who follows a case on the owner's side: its lead officer and the owner's admins."""
    return list(
        User.objects.filter(is_active=True, organisation_id=case.organisation_id).filter(
            Q(pk=case.lead_officer_id) | Q(role=Role.ADMIN)
        )
    )


def _not_the_actor(people: list[User], acting_user) -> list[User]:
    return [user for user in people if acting_user is None or user.pk != acting_user.pk]


def _on_share_granted(sender, *, share, acting_user=None, previous=None, **kwargs) -> None:
    """The partner hears that a case was shared with it, or that its access level changed."""
    from cases.models import CaseShare

    case = share.case
    opens_page = share.level != CaseShare.Level.RELOCATION
    subject = later(
        gettext_noop("Case %(pseudonym)s shared with your organisation: %(level)s")
        if previous is None
        else gettext_noop("Your access to case %(pseudonym)s changed: %(level)s"),
        pseudonym=case.pseudonym,
        level=_share_level_name(share.level),
    )
    notify(
        recipients=_not_the_actor(_partner_writers(share), acting_user),
        kind="share",
        subject=subject,
        dedupe_key=f"cases.share:{share.pk}:granted",
        url=reverse("cases:detail", args=[case.pk]) if opens_page else "",
        case=case if opens_page else None,
    )


def _on_share_ended(sender, *, share, acting_user=None, successor=None, **kwargs) -> None:
    """The side that did not act hears that a share ended, and why: the partner (unless a new
    level replaced it: ``_on_share_granted`` says so), and the owner when it was not the
    owner's own doing (expiry, a partner leaving a network or deactivated). What was queued
    for the partner about the case, and its access no longer covers, is not sent."""
    from alerts.services.deactivation import sends_stop_for_share

    sends_stop_for_share(share=share, successor=successor)
    case = share.case
    reason = label(share, "end_reason")
    if successor is None:
        notify(
            recipients=_not_the_actor(_partner_writers(share), acting_user),
            kind="share",
            subject=later(
                gettext_noop("Your organisation's access to case %(pseudonym)s ended: %(reason)s"),
                pseudonym=case.pseudonym,
                reason=reason,
            ),
            dedupe_key=f"cases.share:{share.pk}:ended",
        )
    owner_acted = acting_user is not None and acting_user.organisation_id == case.organisation_id
    if not owner_acted:
        notify(
            recipients=_not_the_actor(_owner_people(case), acting_user),
            kind="share",
            subject=later(
                gettext_noop("Share of case %(pseudonym)s with %(partner)s ended: %(reason)s"),
                pseudonym=case.pseudonym,
                partner=share.partner.name,
                reason=reason,
            ),
            dedupe_key=f"cases.share:{share.pk}:ended:owner",
            url=reverse("cases:shares", args=[case.pk]),
            case=case,
        )


# --- coordination: the holder hears of a request, the requester of a share ----------------


def _on_coordination_requested(sender, *, request, acting_user=None, **kwargs) -> None:
    """The holder's lead officer of the case and its admins hear that another organisation
    asks to coordinate on it (the request's page answers it)."""
    case = request.case
    notify(
        recipients=_not_the_actor(_owner_people(case), acting_user),
        kind="coordination_request",
        subject=later(
            gettext_noop("Coordination request on case %(pseudonym)s from %(org)s"),
            pseudonym=case.pseudonym,
            org=request.organisation.name,
        ),
        dedupe_key=f"cases.coordination:{request.pk}:requested",
        url=reverse("cases:coordination_answer", args=[request.pk]),
        case=case,
    )


def _on_coordination_answered(sender, *, request, acting_user=None, **kwargs) -> None:
    """Who asked (and the lead officer of the requester's case) hear that the holder shared
    its case. A refusal is told to nobody: asking says the same whether or not somebody
    follows the defender, and a "declined" would say that somebody does (docs/alerts.md)."""
    from cases.models import CaseShare, CoordinationRequest

    if request.status != CoordinationRequest.Status.SHARED:
        return
    share = (
        # unscoped: the share the holder just made, read to say what it opens.
        CaseShare.objects.unscoped()
        .live()
        .filter(case_id=request.case_id, partner_id=request.organisation_id)
        .first()
    )
    opens_page = share is not None and share.level != CaseShare.Level.RELOCATION
    requester_case = request.requester_case
    people = list(
        User.objects.filter(
            is_active=True,
            organisation_id=request.organisation_id,
            organisation__is_active=True,
            pk__in=[request.requested_by_id, requester_case.lead_officer_id],
        )
    )
    notify(
        recipients=_not_the_actor(people, acting_user),
        kind="coordination_answer",
        subject=later(
            gettext_noop(
                "%(org)s answered your coordination request on case %(pseudonym)s: shared"
            ),
            org=request.holder.name,
            pseudonym=requester_case.pseudonym,
        ),
        dedupe_key=f"cases.coordination:{request.pk}:answered",
        url=reverse("cases:detail", args=[request.case_id]) if opens_page else "",
        case=request.case if opens_page else None,
    )


def _share_level_name(level: str) -> str:
    return {
        "full": gettext_lazy("full access"),
        "feedback": gettext_lazy("feedback"),
        "relocation": gettext_lazy("relocation referrals only"),
    }.get(level, level)


def _on_user_deactivated(sender, *, user, **kwargs) -> None:
    from alerts.services.deactivation import sends_stop_for_user

    sends_stop_for_user(user=user)


def _on_user_moved(sender, *, user, previous_organisation_id, **kwargs) -> None:
    from alerts.services.deactivation import sends_stop_for_move

    sends_stop_for_move(user=user, previous_organisation_id=previous_organisation_id)


def _on_organisation_deactivated(sender, *, organisation, **kwargs) -> None:
    from alerts.services.deactivation import sends_stop_for_organisation

    sends_stop_for_organisation(organisation=organisation)


def register() -> None:
    for channel in (EmailChannel(), SignalChannel(), WebhookChannel()):
        register_channel(channel)
    register_panel("alerts.raise", "alerts/_case_panel.html", _panel, order=5)
    register_summary("alerts.open", _summary, order=10)
    timeline.register("alerts.alerts", _timeline)
    register_part(CASE_ALERTS, Alert)
    register_part(PARTNER_ALERTS, Alert)
    register_part(RECENT_CHECK_INS, CheckIn)
    register_purger("alerts.alerts", _purge)
    register_nav_item("alerts:list", gettext_lazy("Alerts"), order=15, when=_member)
    # The one inbox (notifications and partners' shared entries: logbooks' "Updates" went).
    register_nav_item(
        "alerts:notifications",
        gettext_lazy("Inbox"),
        order=16,
        when=_member,
        badge=inbox_badge_count,
        badge_id="notification-count",
        badge_url_name="alerts:unread_count",
    )
    register_nav_item(
        "alerts:policy",
        gettext_lazy("Escalation"),
        order=90,
        when=lambda u: u.organisation_id is not None and u.role == Role.ADMIN,
    )
    case_risk_raised.connect(_on_risk_raised, dispatch_uid="alerts.risk_raised")
    detention_recorded.connect(_on_detention_recorded, dispatch_uid="alerts.detention_recorded")
    share_granted.connect(_on_share_granted, dispatch_uid="alerts.share_granted")
    share_ended.connect(_on_share_ended, dispatch_uid="alerts.share_ended")
    coordination_requested.connect(
        _on_coordination_requested, dispatch_uid="alerts.coordination_requested"
    )
    coordination_answered.connect(
        _on_coordination_answered, dispatch_uid="alerts.coordination_answered"
    )
    task_assigned.connect(_on_task_assigned, dispatch_uid="alerts.task_assigned")
    user_deactivated.connect(_on_user_deactivated, dispatch_uid="alerts.user_deactivated")
    user_moved.connect(_on_user_moved, dispatch_uid="alerts.user_moved")
    organisation_deactivated.connect(
        _on_organisation_deactivated, dispatch_uid="alerts.organisation_deactivated"
    )
    register_due_source("cases.benchmarks", _benchmarks)
    register_due_source("cases.risk_reviews", _risk_reviews)
    register_due_source("cases.tasks", _tasks)
