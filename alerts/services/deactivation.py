"""What alerts stops when a member or an organisation is deactivated
(``accounts.signals.user_deactivated``, ``organisation_deactivated``; connected in
``alerts.hooks``): their pending sends are ``skipped`` (e-mail, Signal, webhook) and their
Signal numbers are forgotten (a reactivation starts from nothing, as for sessions and
tokens). The send itself checks again (``alerts.services.dispatch``): a row queued before
the deactivation and claimed after it is skipped, not sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alerts.models import ChannelDelivery, Notification, SignalNumber

if TYPE_CHECKING:
    from accounts.models import Organisation, User

#: ``last_error`` of a row skipped because its recipient or organisation was deactivated.
RECIPIENT_INACTIVE = "recipient deactivated"
ORGANISATION_INACTIVE = "organisation deactivated"


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
