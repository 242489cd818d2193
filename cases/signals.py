"""Domain events of cases that apps above it react to (alerts raises automatic alerts).

``cases`` never imports those apps: they connect receivers in their ``AppConfig.ready``.
The signals are sent inside the service's transaction, so a receiver that writes (an alert
and its outbox rows) commits or rolls back with the change itself.
"""

from django.dispatch import Signal

#: the case's risk level in force rose to high or critical.
#: kwargs: ``case``, ``previous`` (level before, may be ""), ``level``, ``acting_user`` (who
#: assessed or overrode; None when unknown), ``assessment`` (the ``RiskAssessment`` that
#: raised it; None for an override).
case_risk_raised = Signal()

#: a detention was recorded. kwargs: ``case``, ``detention``, ``acting_user``.
detention_recorded = Signal()

#: a share stopped opening the case (revoked, replaced, consent withdrawn, network left,
#: expired, partner deactivated). Sent inside the service's transaction, after the
#: permissions were removed. kwargs: ``share`` (its ``end_reason`` says why),
#: ``acting_user`` (``None`` for the beat sweep and for what the platform did).
#: Receivers end what hangs on the share: relocation freezes the partner's open requests and
#: withdraws its pending referrals; alerts tells both sides.
share_ended = Signal()

#: a case was closed (``cases.services.case.case_close``), inside its transaction. kwargs:
#: ``case``, ``acting_user``. Receivers end what waits on the case: support withdraws its
#: unanswered requests (no reminders after).
case_closed = Signal()

#: a share was granted (new, or at another level). kwargs: ``share``, ``acting_user``.
share_granted = Signal()

#: a task was given to someone other than the user who gave it (a new task, or a change of
#: assignee). kwargs: ``task``, ``acting_user``. alerts tells the assignee.
task_assigned = Signal()

#: a coordination request was recorded for a holder organisation's case. kwargs:
#: ``request`` (``CoordinationRequest``), ``acting_user``. Alerts tells the holder.
coordination_requested = Signal()

#: the holder answered a coordination request. kwargs: ``request`` (its ``status`` says how),
#: ``acting_user``. Alerts tells the requester when the holder shared its case (a refusal is
#: not told: the requester must not learn that somebody holds the defender).
coordination_answered = Signal()
