"""Reads of a user's notification preferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alerts.kinds import KINDS, email_wanted
from alerts.models import NotificationPreference
from alerts.selectors.channels import signal_wanted, verified_signal_users

if TYPE_CHECKING:
    from accounts.models import User


def email_choices_of(user: User) -> dict[str, bool]:
    """Every kind of the table -> whether it reaches ``user`` by e-mail now (their own
    choice, else the kind's default; urgent kinds always, unless the user left them to
    Signal and Signal reaches them: ``alerts.selectors.channels.plans_for``'s rule)."""
    stored = NotificationPreference.objects.filter(user_id=user.pk).first()
    email: dict[str, bool] = stored.email if stored else {}
    choices = {kind: email_wanted(kind, email) for kind in KINDS}
    left_to_signal = [
        k for k, on in email.items() if on is False and k in KINDS and KINDS[k].urgent
    ]
    if left_to_signal and verified_signal_users([user.pk]):
        signal: dict[str, bool] = stored.signal if stored else {}
        for kind in left_to_signal:
            choices[kind] = not signal_wanted(kind, signal)
    return choices
