"""Writes of a user's notification preferences: which kinds reach them by e-mail.

Every notification reaches the inbox whatever is chosen here; urgent kinds (an alert raised,
escalated or still unacknowledged) reach the user by e-mail whatever is chosen here too: a
choice to turn them off is refused, however it was sent (a forged form, the API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alerts.kinds import KINDS
from alerts.models import NotificationPreference
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def notification_preferences_save(
    *, user: User, email: Mapping[str, bool], acting_user: User
) -> NotificationPreference:
    """Store ``user``'s choices, kind -> by e-mail or not (kinds not named keep theirs).
    Only the user chooses their own e-mail."""
    if acting_user.pk != user.pk:
        raise ValidationError(_("Only you choose which notifications reach you by e-mail."))
    errors = []
    for kind, wanted in email.items():
        known = KINDS.get(kind)
        if known is None:
            errors.append(_("Unknown kind of notification: %(kind)s.") % {"kind": kind[:60]})
        elif known.urgent and not wanted:
            errors.append(
                _("%(kind)s: urgent alerts always reach you by e-mail; this cannot be turned off.")
                % {"kind": known.label}
            )
        elif known.in_app_only and wanted:
            errors.append(_("%(kind)s: shown in the inbox only.") % {"kind": known.label})
    if errors:
        raise ValidationError({"email": errors})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user
    )
    chosen = {kind: bool(wanted) for kind, wanted in email.items() if not KINDS[kind].urgent}
    preference.email = {**preference.email, **chosen}
    preference.save(update_fields=["email", "updated_at"])
    audit_record(
        action="alerts.notification_preferences",
        actor=acting_user,
        target=user,
        data={"email_off": sorted(kind for kind, on in preference.email.items() if not on)},
    )
    return preference
