"""The kinds of notification and the inbox category of each: the one mapping.

Every feature tells people things through ``alerts.services.notify.notify(kind=...)``; the
inbox filters by category (alerts, decisions, shared entries, coordination, reminders) and
the preferences page lists the kinds, grouped by category, with a checkbox "by e-mail" each.
Both read this table, so a kind appears in one category, with one label, everywhere.

A kind is *urgent* when it is about a defender's safety right now (an alert raised, escalated
or still unacknowledged): it always reaches its recipients by e-mail, whatever their
preferences (DESIGN.md, "Nothing lost").

A kind missing from the table still reaches the inbox (under "All") and by e-mail; it has no
filter and no line on the preferences page until it is added here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ALERTS = "alerts", _("Alerts")
    DECISIONS = "decisions", _("Decisions")
    SHARED_ENTRIES = "shared_entries", _("Shared entries")
    COORDINATION = "coordination", _("Coordination")
    REMINDERS = "reminders", _("Reminders")


@dataclass(frozen=True)
class Kind:
    kind: str
    category: Category
    label: str | Promise
    #: always sent by e-mail: a preference cannot turn it off.
    urgent: bool = False
    #: sent by e-mail unless the user turned it off (False: only if the user turned it on).
    email_default: bool = True
    #: never sent by e-mail, whatever the preference (the caller says ``email=False``).
    in_app_only: bool = False


#: logbooks' fan-out of a partner's shared entry (``logbooks.services.entries``).
SHARED_ENTRY = "shared_entry"

KINDS: dict[str, Kind] = {
    kind.kind: kind
    for kind in [
        # alerts (alerts.services.alerts)
        Kind("alert", Category.ALERTS, _("Urgent alert raised"), urgent=True),
        Kind("alert_escalation", Category.ALERTS, _("Urgent alert escalated"), urgent=True),
        Kind(
            "alert_reminder",
            Category.ALERTS,
            _("Urgent alert still unacknowledged"),
            urgent=True,
        ),
        Kind(
            "alert_acknowledged",
            Category.ALERTS,
            _("Urgent alert acknowledged"),
            in_app_only=True,
        ),
        Kind("alert_resolved", Category.ALERTS, _("Urgent alert resolved"), in_app_only=True),
        # a later event of an open alert's cause joined it (alerts.causes): told to whoever
        # acknowledged it, in the inbox only
        Kind(
            "alert_update",
            Category.ALERTS,
            _("Urgent alert: a new event added to it"),
            in_app_only=True,
        ),
        # decisions waiting for an organisation (relocation, logbooks' joint actions)
        Kind("relocation_request", Category.DECISIONS, _("Relocation requests")),
        Kind("relocation_completed", Category.DECISIONS, _("Relocation requests completed")),
        Kind("visa_referral", Category.DECISIONS, _("Visa referrals")),
        Kind("shelter_referral", Category.DECISIONS, _("Shelter referrals")),
        Kind("grant_request", Category.DECISIONS, _("Emergency grant requests")),
        # an answer a relocation request waits for, past its deadline: the owing
        # organisation's escalation policy (relocation.selectors.deadlines)
        Kind("answer_overdue", Category.DECISIONS, _("Relocation answers past their deadline")),
        Kind(
            "logbooks.joint_action_invitation",
            Category.DECISIONS,
            _("Invitations to a joint action"),
        ),
        # support requests (support.services): asked of the organisation; past the answer's
        # deadline, the receiver's escalation policy (support.selectors)
        Kind("support_request", Category.DECISIONS, _("Support requests to answer")),
        Kind(
            "support_answer_overdue",
            Category.DECISIONS,
            _("Support requests unanswered past their deadline"),
        ),
        # partners' shared logbook entries
        # (many a day on a busy case: by e-mail only for whoever asks for it)
        Kind(
            SHARED_ENTRY,
            Category.SHARED_ENTRIES,
            _("A partner shared a logbook entry"),
            email_default=False,
        ),
        # shares and coordination between organisations (alerts.hooks, cases)
        Kind("share", Category.COORDINATION, _("Shares granted, changed or ended")),
        Kind("coordination_request", Category.COORDINATION, _("Coordination requests")),
        Kind("coordination_answer", Category.COORDINATION, _("Answers to coordination requests")),
        # what came of the support an organisation asked (support.services)
        Kind(
            "support_answer",
            Category.COORDINATION,
            _("Answers to our support requests, and their outcomes"),
        ),
        # reminders of due items (the alerts beat sweep's due sources)
        Kind("follow_up", Category.REMINDERS, _("Follow-ups due")),
        Kind("task", Category.REMINDERS, _("Tasks due or assigned to me")),
        Kind("risk_review", Category.REMINDERS, _("Risk reviews due")),
        Kind("benchmark", Category.REMINDERS, _("Detention benchmarks due")),
        Kind("visa_deadline", Category.REMINDERS, _("Visa decision deadlines")),
        Kind("answer_due", Category.REMINDERS, _("Relocation answers due (half the time left)")),
        Kind("stay_ending", Category.REMINDERS, _("Shelter stays ending")),
        Kind(
            "support_answer_due",
            Category.REMINDERS,
            _("Urgent support requests to answer (half the time left)"),
        ),
    ]
}


def category_of(kind: str) -> str | None:
    """The inbox category of ``kind`` (None: a kind the table does not know)."""
    known = KINDS.get(kind)
    return known.category.value if known else None


def kinds_in(category: str) -> list[str]:
    """The kinds the inbox's filter on ``category`` shows."""
    return [k.kind for k in KINDS.values() if k.category == category]


def kinds_by_category() -> list[tuple[Category, list[Kind]]]:
    """The preferences page's groups, in the categories' order."""
    return [
        (category, [k for k in KINDS.values() if k.category == category]) for category in Category
    ]


def email_wanted(kind: str, choices: dict[str, bool]) -> bool:
    """Whether a notification of ``kind`` goes by e-mail to a user whose own choices are
    ``choices`` (``NotificationPreference.email``): urgent kinds always, the others as the
    user chose, else as their default. A kind the table does not know is e-mailed."""
    known = KINDS.get(kind)
    if known is None or known.urgent:
        return True
    if known.in_app_only:
        return False
    return bool(choices.get(kind, known.email_default))


# --- what a notification points at, still readable? -------------------------------------------

#: kind -> ``readable(user)``: a condition on the user's notifications of that kind (a
#: ``Q`` over ``Notification``'s columns: ``case``, ``source_id``) that holds while the user
#: may open what the line names. Registered by the app that owns the objects (logbooks: the
#: shared entries); ``alerts`` never imports it.
_READABLE: dict[str, Callable[[Any], Q]] = {}


def register_readable_source(kind: str, readable: Callable[[Any], Q]) -> None:
    """A notification of ``kind`` stays in the inbox only while ``readable(user)`` holds for
    it: a partner's shared entry taken back, or a share that ended or lapsed (no event at
    all for an expiry), hides its line at once, whatever wrote it. The condition is applied
    to every line of the kind (the inbox's count too): make it an indexed lookup per row or
    an uncorrelated subquery PostgreSQL hashes once."""
    _READABLE[kind] = readable


def readable_sources() -> dict[str, Callable[[Any], Q]]:
    return dict(_READABLE)


@contextmanager
def override(readable_sources: dict[str, Callable[[Any], Q]]) -> Iterator[None]:
    """Tests: run with exactly ``readable_sources`` registered."""
    saved = dict(_READABLE)
    _READABLE.clear()
    _READABLE.update(readable_sources)
    try:
        yield
    finally:
        _READABLE.clear()
        _READABLE.update(saved)
