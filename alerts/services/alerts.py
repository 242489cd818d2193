"""Raising, acknowledging and resolving urgent alerts.

Rules (docs/alerts.md):
- Raise: writers (officers, administrators) of the owner organisation or of a partner that
  follows the case (``full`` or ``feedback`` share: issue 21); not on a closed or purged case.
  A ``feedback`` partner's alert reaches the owner's chain; the partner sees its
  acknowledgement, not the owner's internals. Automatic alerts are raised by the system,
  once per event (``auto_key``); one whose cause already has an open alert on the case
  joins it (``alerts.causes``).
- Nobody is alerted about their own action: the author of the change that raised an alert
  (who raised it, or whose risk assessment or detention record did) is not among its
  recipients, at any step of the escalation.
- Acknowledge ("someone is on it"): the same people. A full partner may acknowledge: it is
  often the partner on the ground who reaches the defender first, and the acknowledgement
  names who did it, so the owner sees it. It stops the escalation.
- Resolve ("it is over"): writers of the owner organisation only: the owner holds the case.
- Viewers and coordinators never write; everyone else gets 404 (the alert is invisible).

The alert and its first notifications are written in one transaction (outbox); e-mails are
queued after commit.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from alerts import conf
from alerts.causes import SEVERITY_ORDER, cause_of
from alerts.models import (
    FULL_LEVEL_PERMISSION,
    PARTNER_LEVEL_PERMISSION,
    Alert,
    AlertEvent,
    EscalationStep,
    Notification,
)
from alerts.services.notify import notify
from alerts.services.policy import escalation_steps
from alerts.services.recipients import (
    first_recipients,
    full_access_organisation_ids,
    step_recipients,
)
from cases.access import require_case_write
from hrdcase import notices
from hrdcase.audit import audit_record
from hrdcase.exceptions import StateConflict
from hrdcase.later import label, later

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import User
    from cases.models import Case

logger = logging.getLogger(__name__)

#: kinds raised by the system only, each saying what raised it.
AUTOMATIC_KINDS = (
    Alert.Kind.MISSED_CHECK_IN,
    Alert.Kind.RISK_HIGH,
    Alert.Kind.RISK_CRITICAL,
    Alert.Kind.DETENTION_RECORDED,
    Alert.Kind.HEARING_UNOBSERVED,
)
#: kinds a person may choose.
MANUAL_KINDS = tuple(k for k in Alert.Kind.values if k not in AUTOMATIC_KINDS)
MESSAGE_MAX = 2000
#: the page that raised an alert names this many recipients, then counts the others.
NAMED_RECIPIENTS = 5


def alert_url(alert: Alert) -> str:
    return reverse("alerts:detail", kwargs={"pk": alert.pk})


def _subject(alert: Alert, *, escalated: bool = False, again: bool = False) -> str:
    """In each recipient's language (``hrdcase.later``)."""
    values = {"pseudonym": alert.case.pseudonym, "kind": label(alert, "kind")}
    if escalated:
        return later(
            gettext_noop("Unacknowledged urgent alert: %(pseudonym)s (%(kind)s)"), **values
        )
    if again:
        return later(
            gettext_noop("Still unacknowledged: urgent alert on %(pseudonym)s (%(kind)s)"), **values
        )
    if alert.source == Alert.Source.AUTOMATIC:
        return later(gettext_noop("Automatic alert: %(pseudonym)s (%(kind)s)"), **values)
    return later(gettext_noop("Urgent alert: %(pseudonym)s (%(kind)s)"), **values)


def _require_full_writer(user: User, case: Case) -> None:
    """Writers of the owner or of a ``full`` partner holding the case now (a break-glass
    opening shows alerts, it does not act on them)."""
    require_case_write(case=case, acting_user=user, need=FULL_LEVEL_PERMISSION)


def _require_follower_writer(user: User, case: Case) -> None:
    """Raising: writers of the owner or of a partner following the case now (``full`` or
    ``feedback``: issue 21); a ``relocation`` partner does not follow it."""
    require_case_write(case=case, acting_user=user, need=PARTNER_LEVEL_PERMISSION)


def _check_case_open(case: Case) -> None:
    if case.purged_at:
        raise ValidationError({"case": _("This case was purged: no alert can be raised on it.")})
    if case.is_closed:
        raise ValidationError(
            {"case": _("This case is closed: reopen it before raising an alert on it.")}
        )


def _notify_split(
    *,
    alert: Alert,
    users: list[User],
    kind: str,
    subject: str,
    dedupe_key: str,
    email: bool = True,
    allowed: set | None = None,
) -> list[Notification]:
    """Recipients who may open the alert get its link; the others (network coordinators of
    organisations without access) get the pseudonym and their organisation must call.
    ``allowed``: ``full_access_organisation_ids(alert.case)``, when the caller has it."""
    allowed = set(full_access_organisation_ids(alert.case) if allowed is None else allowed)
    if alert.raised_by_organisation_id:  # a feedback partner opens its view of the alert
        allowed.add(alert.raised_by_organisation_id)
    with_link = [u for u in users if u.organisation_id in allowed]
    without = [u for u in users if u.organisation_id not in allowed]
    rows = notify(
        recipients=with_link,
        kind=kind,
        subject=subject,
        dedupe_key=dedupe_key,
        url=alert_url(alert),
        case=alert.case,
        email=email,
        alert=alert,
    )
    if without:
        rows += notify(
            recipients=without,
            kind=kind,
            subject=subject,
            dedupe_key=dedupe_key,
            url="",
            case=None,
            email=email,
            alert=alert,
        )
    return rows


def _not_the_author(alert: Alert, users: list[User]) -> list[User]:
    """Nobody is alerted about their own action: the person who raised the alert, or whose
    change raised it (``caused_by``), is left out of every step (issue 22)."""
    authors = {alert.raised_by_id, alert.caused_by_id} - {None}
    return [u for u in users if u.pk not in authors]


def _plan_escalation(alert: Alert, steps: list[EscalationStep]) -> None:
    """When the new ``alert`` escalates and is re-notified, set before its row is written."""
    now = alert.created_at
    alert.next_escalation_at = now + _delay(steps[0]) if steps else None
    alert.renotify_at = now + conf.renotify_every()


def _start(alert: Alert, steps: list[EscalationStep]) -> list[Notification]:
    """Notify the first recipients (inside the raising transaction)."""
    allowed = full_access_organisation_ids(alert.case)
    rows = _notify_split(
        alert=alert,
        users=_not_the_author(alert, first_recipients(alert.case, organisations=allowed)),
        kind="alert",
        subject=_subject(alert),
        dedupe_key=f"alert:{alert.pk}:step:0:r0",
        allowed=allowed,
    )
    notices.add(_sent_to(alert, rows, steps[0] if steps else None))
    return rows


def _acting_organisation_id(alert: Alert):
    """The organisation of whoever raised ``alert`` (or made the change that raised it)."""
    if alert.raised_by_organisation_id:
        return alert.raised_by_organisation_id
    for user in (alert.raised_by, alert.caused_by):
        if user is not None:
            return user.organisation_id
    return None


def _sent_to(alert: Alert, rows: list[Notification], step: EscalationStep | None) -> str:
    """What the page that raised ``alert`` tells its author: who was alerted (names, then
    a count), or that nobody is yet and when the policy's first step fires. An author of
    another organisation (a partner) learns neither the owner's people nor its policy."""
    acting = _acting_organisation_id(alert)
    if acting is not None and acting != alert.case.organisation_id:
        return _(
            "An urgent alert was raised and sent to the on-call people of %(organisation)s."
        ) % {"organisation": alert.case.organisation.name}
    names = [r.recipient.full_name or r.recipient.email for r in rows]
    values = {"kind": alert.get_kind_display()}
    if not names:
        if step is None:
            return (
                _(
                    "An urgent alert (%(kind)s) was raised; nobody else was notified, and the "
                    "escalation policy has no step."
                )
                % values
            )
        return _(
            "An urgent alert (%(kind)s) was raised; nobody else is on its first step: it "
            "escalates to %(step)s after %(minutes)s minutes unless acknowledged."
        ) % {**values, "step": step.describe(), "minutes": step.after_minutes}
    shown = ", ".join(names[:NAMED_RECIPIENTS])
    more = len(names) - NAMED_RECIPIENTS
    if more > 0:
        return _(
            "An urgent alert (%(kind)s) was raised and sent to %(names)s and %(count)s others."
        ) % {**values, "names": shown, "count": more}
    return _("An urgent alert (%(kind)s) was raised and sent to %(names)s.") % {
        **values,
        "names": shown,
    }


def _delay(step: EscalationStep):
    from datetime import timedelta

    return timedelta(seconds=step.after_seconds)


def _clean_message(message: str) -> str:
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say in a few words what happened.")})
    if len(message) > MESSAGE_MAX:
        raise ValidationError(
            {"message": _("Keep the message under %(max)s characters.") % {"max": MESSAGE_MAX}}
        )
    return message


@transaction.atomic
def alert_raise(
    *, case: Case, kind: str, message: str, acting_user: User, severity: str = Alert.Severity.HIGH
) -> Alert:
    """Raise an urgent alert on ``case`` and notify its people (outbox, same transaction).

    A ``feedback`` partner's alert is the owner's like any other (its policy escalates it,
    its chain is notified); ``raised_by_organisation`` lets the partner see its
    acknowledgement."""
    _require_follower_writer(acting_user, case)
    errors: dict[str, str] = {}
    if kind not in MANUAL_KINDS:
        errors["kind"] = _("Choose one of the kinds of alert: %(kinds)s.") % {
            "kinds": ", ".join(MANUAL_KINDS)
        }
    if severity not in Alert.Severity.values:
        errors["severity"] = _("Choose a severity: %(values)s.") % {
            "values": ", ".join(Alert.Severity.values)
        }
    try:
        message = _clean_message(message)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    try:
        _check_case_open(case)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    alert = Alert(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        severity=severity,
        message=message,
        raised_by=acting_user,
        raised_by_organisation_id=acting_user.organisation_id,
        source=Alert.Source.MANUAL,
        cause=cause_of(kind),
    )
    steps = escalation_steps(case.organisation)
    _plan_escalation(alert, steps)
    # Fields only: a new alert's id is new and its checks (a raiser, no acknowledgement or
    # resolution yet) hold by construction; the database enforces both anyway, and Django's
    # validation of them costs ten statements on every raise.
    alert.full_clean(
        exclude=["organisation", "case", "raised_by", "raised_by_organisation"],
        validate_unique=False,
        validate_constraints=False,
    )
    alert.save()
    _start(alert, steps)
    audit_record(
        action="alert.raise",
        actor=acting_user,
        organisation=acting_user.organisation,
        target=alert,
        data={
            "case": str(case.pk),
            "kind": kind,
            "severity": severity,
            "partner": acting_user.organisation_id != case.organisation_id,
        },
    )
    return alert


def _event_seen(auto_key: str) -> bool:
    # unscoped: the dedupe check across tenants of a system-wide unique key.
    return (
        Alert.objects.unscoped().filter(auto_key=auto_key).exists()
        or AlertEvent.objects.unscoped().filter(auto_key=auto_key).exists()
    )


def _open_alert_for(case: Case, cause: str) -> Alert | None:
    """The case's open alert for ``cause`` (the oldest), locked: two events of one cause at
    once join one alert. The case row is locked first, so two first events cannot both
    open one."""
    from cases.models import Case as CaseModel

    if not cause:
        return None
    # unscoped: the system raises on the owner's case; narrowed to this one case.
    list(CaseModel.objects.unscoped().select_for_update().filter(pk=case.pk).values_list("pk"))
    # Never a partner's alert: the partner sees its alert's severity, and an event of the
    # owner's (a risk assessment) raising it would tell the partner the owner's risk level.
    return (
        Alert.objects.unscoped()
        .select_for_update(of=("self",))
        .filter(case=case, cause=cause)
        .filter(
            Q(raised_by_organisation__isnull=True)
            | Q(raised_by_organisation_id=case.organisation_id)
        )
        .exclude(status=Alert.Status.RESOLVED)
        .order_by("created_at")
        .first()
    )


def alert_raise_automatic(
    *,
    case: Case,
    kind: str,
    severity: str,
    reason: str,
    auto_key: str,
    acting_user: User | None = None,
    cause: str = "",
) -> Alert | None:
    """Raise the automatic alert for the event ``auto_key`` unless it was raised already or
    the case is closed or purged. Runs in the caller's transaction (a savepoint).

    When the event's cause (``alerts.causes``; a source may name its own) already has an
    open alert on the case, the event joins that alert's history instead (returned, with
    nobody alerted again). ``acting_user``: the author of the change that raised it, who is
    told on the page and alerted at no step."""
    if case.is_closed or case.purged_at:
        return None
    auto_key = auto_key[:200]
    if _event_seen(auto_key):
        return None
    if kind not in Alert.Kind.values:
        kind = Alert.Kind.OTHER
    if severity not in Alert.Severity.values:
        severity = Alert.Severity.HIGH
    reason = (reason or "").strip()[:MESSAGE_MAX] or kind
    cause = (cause or cause_of(kind, auto_key))[:100]
    try:
        with transaction.atomic():
            open_alert = _open_alert_for(case, cause)
            if open_alert is not None:
                _join(
                    open_alert,
                    kind=kind,
                    severity=severity,
                    reason=reason,
                    auto_key=auto_key,
                    caused_by=acting_user,
                )
                return open_alert
            alert = Alert(
                organisation_id=case.organisation_id,
                case=case,
                kind=kind,
                severity=severity,
                message=reason,
                source=Alert.Source.AUTOMATIC,
                auto_key=auto_key,
                cause=cause,
                caused_by=acting_user,
            )
            steps = escalation_steps(case.organisation)
            _plan_escalation(alert, steps)
            alert.save(force_insert=True)
            _start(alert, steps)
            audit_record(
                action="alert.raise_automatic",
                organisation=case.organisation,
                target=alert,
                data={"case": str(case.pk), "kind": kind, "key": auto_key, "cause": cause},
            )
    except IntegrityError:  # the same event raised concurrently: one alert is enough.
        return None
    return alert


def _join(
    alert: Alert, *, kind: str, severity: str, reason: str, auto_key: str, caused_by: User | None
) -> AlertEvent:
    """Add an event of the alert's cause to its history; a more severe event raises the
    alert's severity. Nobody is alerted again: the alert's people are on it (or still being
    reminded); whoever acknowledged it learns of the event in the inbox."""
    event = AlertEvent.objects.create(
        organisation_id=alert.organisation_id,
        alert=alert,
        kind=kind,
        severity=severity,
        reason=reason,
        auto_key=auto_key,
        caused_by=caused_by,
    )
    if SEVERITY_ORDER.get(severity, 0) > SEVERITY_ORDER.get(alert.severity, 0):
        alert.severity = severity
        alert.save(update_fields=["severity"])
    audit_record(
        action="alert.join",
        organisation=alert.organisation,
        target=alert,
        data={"event": str(event.pk), "kind": kind, "key": auto_key},
    )
    values = {
        "pseudonym": alert.case.pseudonym,
        "kind": label(alert, "kind"),
        "event": label(event, "kind"),
    }
    on_it = alert.acknowledged_by
    if on_it is not None and on_it.pk != getattr(caused_by, "pk", None):
        _notify_split(
            alert=alert,
            users=[on_it],
            kind="alert_update",
            subject=later(
                gettext_noop("%(event)s: added to the open alert on %(pseudonym)s (%(kind)s)"),
                **values,
            ),
            dedupe_key=f"alert:{alert.pk}:event:{event.pk}",
            email=False,
        )
    notices.add(
        _(
            "%(event)s: the case already has an open alert for this (%(kind)s); it was added "
            "to that alert's history and nobody was alerted again."
        )
        % values
    )
    return event


def _tell_the_others(alert: Alert, *, what: str, acting_user: User, subject: str) -> None:
    """In-app only: everyone already notified of the alert learns it was taken up/closed."""
    users = {
        n.recipient
        for n in alert.notifications.select_related("recipient").exclude(recipient=acting_user)
    }
    if alert.raised_by_id and alert.raised_by_id != acting_user.pk:
        users.add(alert.raised_by)
    if users:
        _notify_split(
            alert=alert,
            users=list(users),
            kind=f"alert_{what}",
            subject=subject,
            dedupe_key=f"alert:{alert.pk}:{what}",
            email=False,
        )


def _locked(alert: Alert) -> Alert:
    # unscoped: the caller already opened the alert through visible_to; this re-reads it
    # under a row lock so two people acknowledging at once get a clean conflict.
    return (
        Alert.objects.unscoped()
        .select_for_update(of=("self",))
        .select_related("case", "organisation")
        .get(pk=alert.pk)
    )


@transaction.atomic
def alert_acknowledge(*, alert: Alert, acting_user: User) -> Alert:
    """Someone is on it: stops the escalation and records the time to acknowledge."""
    _require_full_writer(acting_user, alert.case)
    locked = _locked(alert)
    if locked.status != Alert.Status.RAISED:
        raise StateConflict(
            _("This alert is already %(status)s.") % {"status": locked.get_status_display()},
            allowed=["resolve"] if locked.status == Alert.Status.ACKNOWLEDGED else [],
        )
    now = timezone.now()
    locked.status = Alert.Status.ACKNOWLEDGED
    locked.acknowledged_by = acting_user
    locked.acknowledged_at = now
    locked.seconds_to_acknowledge = max(0, int((now - locked.created_at).total_seconds()))
    locked.next_escalation_at = None
    locked.renotify_at = None
    locked.save(
        update_fields=[
            "status",
            "acknowledged_by",
            "acknowledged_at",
            "seconds_to_acknowledge",
            "next_escalation_at",
            "renotify_at",
        ]
    )
    audit_record(
        action="alert.acknowledge",
        actor=acting_user,
        target=locked,
        data={"case": str(locked.case_id), "seconds": locked.seconds_to_acknowledge},
    )
    _tell_the_others(
        locked,
        what="acknowledged",
        acting_user=acting_user,
        subject=later(
            gettext_noop("Alert on %(pseudonym)s acknowledged by %(who)s"),
            pseudonym=locked.case.pseudonym,
            who=acting_user.organisation.name,
        ),
    )
    _copy(locked, alert)
    return alert


@transaction.atomic
def alert_resolve(*, alert: Alert, acting_user: User, note: str) -> Alert:
    """It is over (released, found, safe): owner organisation's writers only. Resolving an
    unacknowledged alert acknowledges it too."""
    require_case_write(case=alert.case, acting_user=acting_user)
    locked = _locked(alert)
    if locked.status == Alert.Status.RESOLVED:
        raise StateConflict(_("This alert is already resolved."), allowed=[])
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how the situation was resolved.")})
    if len(note) > MESSAGE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(max)s characters.") % {"max": MESSAGE_MAX}}
        )
    now = timezone.now()
    if locked.acknowledged_at is None:
        locked.acknowledged_by = acting_user
        locked.acknowledged_at = now
        locked.seconds_to_acknowledge = max(0, int((now - locked.created_at).total_seconds()))
    locked.status = Alert.Status.RESOLVED
    locked.resolved_by = acting_user
    locked.resolved_at = now
    locked.resolution_note = note
    locked.next_escalation_at = None
    locked.renotify_at = None
    locked.save()
    audit_record(
        action="alert.resolve",
        actor=acting_user,
        target=locked,
        data={"case": str(locked.case_id)},
    )
    _tell_the_others(
        locked,
        what="resolved",
        acting_user=acting_user,
        subject=later(
            gettext_noop("Alert on %(pseudonym)s resolved"), pseudonym=locked.case.pseudonym
        ),
    )
    _copy(locked, alert)
    return alert


def _copy(source: Alert, target: Alert) -> None:
    """Keep the caller's instance in step with the saved row."""
    for name in (
        "status",
        "acknowledged_by",
        "acknowledged_at",
        "seconds_to_acknowledge",
        "resolved_by",
        "resolved_at",
        "next_escalation_at",
        "renotify_at",
    ):
        setattr(target, name, getattr(source, name))
    if source.status == Alert.Status.RESOLVED:
        target.resolution_note = source.resolution_note


# --- escalation (called by the sweep) --------------------------------------------------------


def _current_recipients(alert: Alert, steps: list[EscalationStep]) -> list[User]:
    if alert.escalation_step == 0 or alert.escalation_step > len(steps):
        return first_recipients(alert.case)
    return step_recipients(alert, steps[alert.escalation_step - 1])


def alert_escalate_due(*, alert: Alert, now: datetime) -> int:
    """Fire every step of ``alert`` due at ``now``; returns the number fired. Safe to run
    twice at once: each step is claimed by a conditional update of ``escalation_step``."""
    fired = 0
    steps = escalation_steps(alert.organisation)
    while alert.status == Alert.Status.RAISED and alert.escalation_step < len(steps):
        step = steps[alert.escalation_step]
        if alert.created_at + _delay(step) > now:
            break
        index = alert.escalation_step + 1
        following = steps[index] if index < len(steps) else None
        with transaction.atomic():
            claimed = (
                Alert.objects.unscoped()
                .filter(pk=alert.pk, status=Alert.Status.RAISED, escalation_step=index - 1)
                .update(
                    escalation_step=index,
                    next_escalation_at=alert.created_at + _delay(following) if following else None,
                    renotify_at=now + conf.renotify_every(),
                    renotify_round=0,
                )
            )
            if claimed != 1:
                return fired
            alert.escalation_step = index
            alert.renotify_round = 0
            _notify_split(
                alert=alert,
                users=_not_the_author(alert, step_recipients(alert, step)),
                kind="alert_escalation",
                subject=_subject(alert, escalated=True),
                dedupe_key=f"alert:{alert.pk}:step:{index}:r0",
            )
            audit_record(
                action="alert.escalate",
                organisation=alert.organisation,
                target=alert,
                data={"step": index, "target": step.target, "role": step.role},
            )
        fired += 1
    if alert.escalation_step >= len(steps) and alert.next_escalation_at is not None:
        # steps removed from the policy meanwhile: nothing left to fire.
        Alert.objects.unscoped().filter(pk=alert.pk).update(next_escalation_at=None)
    return fired


def alert_renotify(*, alert: Alert, now: datetime) -> bool:
    """Remind the current step's recipients of an alert still unacknowledged."""
    steps = escalation_steps(alert.organisation)
    round_ = alert.renotify_round + 1
    with transaction.atomic():
        claimed = (
            Alert.objects.unscoped()
            .filter(pk=alert.pk, status=Alert.Status.RAISED, renotify_round=alert.renotify_round)
            .update(renotify_round=round_, renotify_at=now + conf.renotify_every())
        )
        if claimed != 1:
            return False
        alert.renotify_round = round_
        _notify_split(
            alert=alert,
            users=_not_the_author(alert, _current_recipients(alert, steps)),
            kind="alert_reminder",
            subject=_subject(alert, again=True),
            dedupe_key=f"alert:{alert.pk}:step:{alert.escalation_step}:r{round_}",
        )
    return True


# --- acknowledging in bulk (the alerts list, the API) ----------------------------------------

#: at most this many alerts in one bulk acknowledgement.
BULK_MAX = 100


@dataclass
class BulkAcknowledgement:
    """What became of each selected alert: acknowledged now, already acknowledged or resolved
    by then, or not the user's to acknowledge (not visible, or a role or share that does not
    allow it)."""

    acknowledged: list[Alert] = field(default_factory=list)
    already: list[Alert] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def alerts_acknowledge(*, alert_ids: list, acting_user: User) -> BulkAcknowledgement:
    """Acknowledge every selected alert ``acting_user`` may acknowledge, each in its own
    transaction (one that another person acknowledged meanwhile does not undo the others).
    An id the user cannot see is refused like one they may not act on: the answer says
    nothing about alerts of other organisations."""
    from alerts.selectors.alerts import alerts_for

    ids = list(dict.fromkeys(str(pk) for pk in alert_ids))
    if not ids:
        raise ValidationError({"alerts": _("Select the alerts to acknowledge.")})
    if len(ids) > BULK_MAX:
        raise ValidationError(
            {"alerts": _("Select at most %(max)s alerts at a time.") % {"max": BULK_MAX}}
        )
    # an id that is not even a UUID (a tampered form) is refused like an unknown one
    well_formed = [pk for pk in ids if _is_uuid(pk)]
    found = {str(a.pk): a for a in alerts_for(acting_user).filter(pk__in=well_formed)}
    result = BulkAcknowledgement()
    for pk in ids:
        alert = found.get(pk)
        if alert is None:
            result.refused.append(pk)
            continue
        try:
            alert_acknowledge(alert=alert, acting_user=acting_user)
        except PermissionDenied:
            result.refused.append(pk)
        except StateConflict:
            result.already.append(alert)
        else:
            result.acknowledged.append(alert)
    return result
