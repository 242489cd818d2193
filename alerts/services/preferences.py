"""Writes of a user's notification preferences: which kinds reach them by e-mail and by
Signal, and their quiet hours.

Every notification reaches the inbox whatever is chosen here; urgent kinds (an alert raised,
escalated or still unacknowledged) reach the user by e-mail unless Signal takes them to a
verified number: a choice that would leave an urgent kind on no channel is refused, however
it was sent (a forged form, the API)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alerts.kinds import KINDS
from alerts.models import NotificationPreference
from alerts.selectors.channels import signal_wanted, verified_signal_users
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User


#: ``quiet`` left as it is.
UNCHANGED = object()


@transaction.atomic
def notification_preferences_save(
    *,
    user: User,
    email: Mapping[str, bool],
    acting_user: User,
    signal: Mapping[str, bool] | None = None,
    quiet: tuple[time | None, time | None] | object = UNCHANGED,
) -> NotificationPreference:
    """Store ``user``'s choices, kind -> by e-mail or not, kind -> by Signal or not (kinds
    not named keep theirs), and their quiet hours ``(start, end)`` (both or neither). Only
    the user chooses their own channels.

    An urgent kind always reaches at least one channel outside hrdcase: its e-mail may be
    turned off only while Signal takes it, to a verified number. A number removed or a
    Signal server gone brings the e-mail back: ``notify`` e-mails a notification written
    after, and ``dispatch.delivery_send`` e-mails one already queued for Signal when it finds
    no destination at the send (docs/alerts.md, "Channels")."""
    if acting_user.pk != user.pk:
        raise ValidationError(_("Only you choose which notifications reach you by e-mail."))
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user
    )
    signal = dict(signal or {})
    reachable = bool(verified_signal_users([user.pk]))
    if signal and not reachable:
        raise ValidationError({"signal": [_("Verify your Signal number first.")]})
    signal_after = {**preference.signal, **{k: bool(v) for k, v in signal.items()}}
    errors = _email_errors(email, signal_after, reachable=reachable) + _signal_errors(signal)
    if errors:
        raise ValidationError({"email": errors})
    if quiet is not UNCHANGED:
        start, end = quiet  # type: ignore[misc]
        if (start is None) != (end is None) or (start is not None and start == end):
            raise ValidationError(
                {"quiet_start": [_("Give both the start and the end of your quiet hours.")]}
            )
        preference.quiet_start, preference.quiet_end = start, end
    chosen = {kind: bool(wanted) for kind, wanted in email.items()}
    preference.email = {**preference.email, **chosen}
    preference.signal = signal_after
    preference.save(update_fields=["email", "signal", "quiet_start", "quiet_end", "updated_at"])
    audit_record(
        action="alerts.notification_preferences",
        actor=acting_user,
        target=user,
        data={
            "email_off": sorted(kind for kind, on in preference.email.items() if not on),
            "signal_on": sorted(kind for kind, on in preference.signal.items() if on),
            "quiet_hours": bool(preference.quiet_start),
        },
    )
    return preference


def _email_errors(
    email: Mapping[str, bool], signal_after: Mapping[str, bool], *, reachable: bool
) -> list[str]:
    """``signal_after``: the Signal choices once saved; ``reachable``: Signal reaches the
    user now (else an urgent kind's e-mail cannot be turned off)."""
    errors = []
    for kind, wanted in email.items():
        known = KINDS.get(kind)
        if known is None:
            errors.append(_("Unknown kind of notification: %(kind)s.") % {"kind": kind[:60]})
        elif (
            known.urgent
            and not wanted
            and not (reachable and signal_wanted(kind, dict(signal_after)))
        ):
            errors.append(
                _(
                    "%(kind)s: urgent alerts always reach you by e-mail unless they reach you "
                    "by Signal; this cannot be turned off."
                )
                % {"kind": known.label}
            )
        elif known.in_app_only and wanted:
            errors.append(_("%(kind)s: shown in the inbox only.") % {"kind": known.label})
    return errors


def _signal_errors(signal: Mapping[str, bool]) -> list[str]:
    errors = []
    for kind, wanted in signal.items():
        known = KINDS.get(kind)
        if known is None:
            errors.append(_("Unknown kind of notification: %(kind)s.") % {"kind": kind[:60]})
        elif known.in_app_only and wanted:
            errors.append(_("%(kind)s: shown in the inbox only.") % {"kind": known.label})
    return errors
