"""What alerts stops when access ends (connected in ``alerts.hooks``):

- a member or an organisation deactivated (``accounts.signals.user_deactivated``,
  ``organisation_deactivated``): their pending sends are ``skipped`` (e-mail, Signal,
  webhook) and their Signal numbers are forgotten (a reactivation starts from nothing, as
  for sessions and tokens);
- a member moved to another organisation (``user_moved``): what was queued for them in the
  one they left is skipped;
- a share ended (``cases.signals.share_ended``): what was queued for the partner about the
  case, and its new level (if any) no longer lets it read, is skipped.

The send itself checks the first two again (``alerts.services.dispatch``): a row queued
before the deactivation or the move and claimed after it is skipped, not sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from alerts.models import ChannelDelivery, Notification, SignalNumber

if TYPE_CHECKING:
    from accounts.models import Organisation, User
    from cases.models import CaseShare

#: ``last_error`` of a row skipped because its recipient or organisation was deactivated.
RECIPIENT_INACTIVE = "recipient deactivated"
ORGANISATION_INACTIVE = "organisation deactivated"
#: ... because its recipient now belongs to another organisation than the one it was for.
RECIPIENT_MOVED = "recipient moved to another organisation"
#: ... because the share that let the recipient's organisation hear of the case ended.
SHARE_ENDED = "the share of the case ended"


def _skip_pending(notifications, deliveries, reason: str) -> int:
    # unscoped: the deactivation spans the recipient's rows, whatever the request's tenant.
    skipped = notifications.filter(status="pending").update(
        status="skipped", last_error=reason, claimed_at=None
    )
    skipped += deliveries.filter(status="pending").update(
        status="skipped", last_error=reason, claimed_at=None
    )
    return skipped


def sends_stop_for_user(*, user: User) -> int:
    """Skip the user's pending sends and delete their Signal number; the rows skipped."""
    SignalNumber.objects.filter(user=user).delete()
    return _skip_pending(
        Notification.objects.unscoped().filter(recipient=user),
        ChannelDelivery.objects.unscoped().filter(notification__recipient=user),
        RECIPIENT_INACTIVE,
    )


def sends_stop_for_organisation(*, organisation: Organisation) -> int:
    """Skip the pending sends of the organisation (its members' e-mails and Signal
    messages, its webhook's posts) and delete its members' Signal numbers."""
    SignalNumber.objects.filter(user__organisation=organisation).delete()
    return _skip_pending(
        Notification.objects.unscoped().filter(organisation=organisation),
        ChannelDelivery.objects.unscoped().filter(organisation=organisation),
        ORGANISATION_INACTIVE,
    )


def sends_stop_for_move(*, user: User, previous_organisation_id) -> int:
    """Skip what was queued for ``user`` in the organisation they left."""
    return _skip_pending(
        Notification.objects.unscoped().filter(
            recipient=user, organisation_id=previous_organisation_id
        ),
        ChannelDelivery.objects.unscoped().filter(
            notification__recipient=user, notification__organisation_id=previous_organisation_id
        ),
        RECIPIENT_MOVED,
    )


def sends_stop_for_share(*, share: CaseShare, successor: CaseShare | None) -> int:
    """Skip the partner's pending sends about the share's case that its access no longer
    covers: about an alert unless the new level is ``full`` (alerts are the owner's and full
    partners'), about anything else on the case unless it still opens the case."""
    from cases.models import CaseShare

    level = successor.level if successor is not None else None
    if level == CaseShare.Level.FULL:
        return 0
    # unscoped: the partner's rows, narrowed to the share's case.
    about_the_case = Q(alert__case_id=share.case_id)
    if level != CaseShare.Level.FEEDBACK:
        about_the_case |= Q(case_id=share.case_id)
    notifications = Notification.objects.unscoped().filter(
        about_the_case, organisation_id=share.partner_id
    )
    return _skip_pending(
        notifications,
        ChannelDelivery.objects.unscoped().filter(notification__in=notifications),
        SHARE_ENDED,
    )
