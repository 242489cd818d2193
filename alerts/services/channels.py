"""Writes of the channels beyond e-mail: a user's Signal number and its verification, an
organisation's webhook.

A Signal number is used only once verified: a six-digit code is sent to it through Signal
and entered on the page within ``SIGNAL_CODE_MINUTES`` (15), with ``SIGNAL_CODE_ATTEMPTS``
(5) wrong entries allowed; then the code is void and a new one must be asked for (at most
one a minute). Only a hash of the code is stored. A number that changes is verified again.

A webhook is set by the organisation's administrators: an ``https://`` URL (``http://``
only with ``HRDCASE_WEBHOOK_ALLOW_HTTP``; internal hosts only if named in
``HRDCASE_WEBHOOK_ALLOWED_HOSTS``), a signing secret (stored encrypted, never shown
again, never audited) and the kinds it takes.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alerts import conf
from alerts.channels.base import ChannelError
from alerts.channels.signal import signal_post
from alerts.channels.webhook import private_address
from alerts.kinds import KINDS
from alerts.models import NotificationPreference, OrganisationWebhook, SignalNumber
from cases.access import require_org_admin
from hrdcase.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import Organisation, User

#: E.164: a plus, then 7 to 15 digits, the first not 0.
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
#: a new code at most this often (Signal rate-limits senders; a code a second is abuse).
CODE_EVERY = timedelta(seconds=60)
SECRET_MIN_LENGTH = 16


def _own(user: User, acting_user: User, what: str) -> None:
    if acting_user.pk != user.pk:
        raise ValidationError(what)


def _code_hash(user: User, code: str) -> str:
    return salted_hmac("alerts.signal_code", f"{user.pk}:{code}", algorithm="sha256").hexdigest()


def normalise_number(number: str) -> str:
    """``+57 300 123-4567`` -> ``+573001234567``; spaces, dots, dashes and brackets go."""
    return re.sub(r"[\s().-]", "", number or "")


def signal_number_start(*, user: User, number: str, acting_user: User) -> SignalNumber:
    """Record ``number`` (unverified) and send it a code through Signal."""
    _own(user, acting_user, _("Only you set your own Signal number."))
    if not conf.signal_enabled():
        raise ValidationError({"number": _("Signal is not set up on this server.")})
    number = normalise_number(number)
    if not E164.match(number):
        raise ValidationError(
            {"number": _("Enter the number with its country code, e.g. +573001234567.")}
        )
    now = timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        row = SignalNumber.objects.select_for_update().filter(user=user).first()
        if row is not None and row.code_sent_at and now - row.code_sent_at < CODE_EVERY:
            raise ValidationError({"number": _("A code was just sent; wait a minute.")})
        row = row or SignalNumber(user=user)
        if row.pk is None or row.number != number:
            row.verified_at = None  # a new number is verified again
        row.number = number
        row.code_hash = _code_hash(user, code)
        row.code_sent_at = now
        row.code_expires_at = now + conf.signal_code_valid_for()
        row.code_attempts = 0
        row.save()
        audit_record(action="alerts.signal_number_code", actor=acting_user, target=user)
    text = _(
        "hrdcase: your verification code is %(code)s. It expires in %(minutes)s minutes. "
        "If you did not ask for it, ignore this message."
    ) % {"code": code, "minutes": int(conf.signal_code_valid_for().total_seconds() // 60)}
    try:
        signal_post(recipient=number, text=text)
    except ChannelError as error:
        SignalNumber.objects.filter(user=user).update(code_hash="", code_sent_at=None)
        raise ValidationError(
            {"number": _("The code could not be sent through Signal; try again.")}
        ) from error
    return row


def signal_number_verify(*, user: User, code: str, acting_user: User) -> SignalNumber:
    """Check the code: the number is verified, or the attempt is counted (and stays
    counted: the error is raised after the count is committed)."""
    _own(user, acting_user, _("Only you verify your own Signal number."))
    now = timezone.now()
    with transaction.atomic():
        row = SignalNumber.objects.select_for_update().filter(user=user).first()
        error = _code_error(row, now)
        if error is None:
            assert row is not None
            if constant_time_compare(row.code_hash, _code_hash(user, (code or "").strip())):
                row.verified_at = now
                row.code_hash = ""
                row.code_expires_at = None
                row.save()
                audit_record(action="alerts.signal_number_verified", actor=acting_user, target=user)
                return row
            row.code_attempts += 1
            left = conf.signal_code_attempts() - row.code_attempts
            if left <= 0:
                row.code_hash = ""  # void: a new code must be asked for
            row.save(update_fields=["code_attempts", "code_hash", "updated_at"])
            error = (
                ngettext(
                    "Wrong code; %(left)s attempt left.",
                    "Wrong code; %(left)s attempts left.",
                    left,
                )
                % {"left": left}
                if left > 0
                else _("Wrong code, and no attempt left: ask for a new code.")
            )
    raise ValidationError({"code": error})


def _code_error(row: SignalNumber | None, now) -> str | None:
    if row is None or not row.code_hash:
        return _("No code is waiting: ask for a code first.")
    if row.code_expires_at is None or row.code_expires_at <= now:
        return _("The code has expired: ask for a new one.")
    return None


@transaction.atomic
def signal_number_remove(*, user: User, acting_user: User) -> None:
    """Forget the number; urgent kinds the user had left to Signal alone go back to
    e-mail (``notify`` would e-mail them anyway: this keeps the page truthful)."""
    _own(user, acting_user, _("Only you remove your own Signal number."))
    SignalNumber.objects.filter(user=user).delete()
    preference = NotificationPreference.objects.select_for_update().filter(user=user).first()
    if preference is not None:
        preference.email = {
            kind: on
            for kind, on in preference.email.items()
            if on or not (kind in KINDS and KINDS[kind].urgent)
        }
        preference.save(update_fields=["email", "updated_at"])
    audit_record(action="alerts.signal_number_removed", actor=acting_user, target=user)


def webhook_kinds() -> list[str]:
    """The kinds a webhook may take: every kind sent outside the inbox."""
    return [k.kind for k in KINDS.values() if not k.in_app_only]


def _webhook_errors(url: str, kinds: Iterable[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    parsed = urlparse(url or "")
    schemes = ("https", "http") if conf.webhook_allow_http() else ("https",)
    if parsed.scheme not in schemes or not parsed.hostname:
        errors["url"] = [_("Enter an https:// address.")]
    elif parsed.username or parsed.password:
        errors["url"] = [_("Put no credentials in the address: the signature authenticates.")]
    elif private_address(url):
        errors["url"] = [_("This address is inside a private network: use a public one.")]
    unknown = sorted(set(kinds) - set(webhook_kinds()))
    if unknown:
        errors["kinds"] = [_("Unknown kind of notification: %(kind)s.") % {"kind": unknown[0][:60]}]
    return errors


@transaction.atomic
def webhook_save(
    *,
    organisation: Organisation,
    url: str,
    secret: str,
    kinds: Iterable[str],
    active: bool,
    acting_user: User,
) -> OrganisationWebhook:
    """Create or change the organisation's webhook (its administrators only). A blank
    ``secret`` keeps the stored one; a new webhook needs one."""
    require_org_admin(acting_user)
    if acting_user.organisation_id != organisation.pk:
        raise ValidationError(_("Only the organisation's administrators set its webhook."))
    kinds = list(dict.fromkeys(kinds))
    errors = _webhook_errors(url, kinds)
    hook = OrganisationWebhook.objects.owned_by(organisation).select_for_update().first()
    if secret and len(secret) < SECRET_MIN_LENGTH:
        errors["secret"] = [
            _("Use at least %(n)s characters (a random string).") % {"n": SECRET_MIN_LENGTH}
        ]
    elif not secret and hook is None:
        errors["secret"] = [_("Set a signing secret.")]
    if errors:
        raise ValidationError(errors)
    hook = hook or OrganisationWebhook(organisation=organisation)
    hook.url, hook.kinds, hook.active, hook.updated_by = url, kinds, active, acting_user
    if secret:
        hook.secret = secret
    hook.save()
    audit_record(
        action="alerts.webhook",
        actor=acting_user,
        target=hook,
        data={"host": urlparse(url).hostname, "kinds": kinds, "active": active},
    )
    return hook


@transaction.atomic
def webhook_remove(*, organisation: Organisation, acting_user: User) -> None:
    require_org_admin(acting_user)
    if acting_user.organisation_id != organisation.pk:
        raise ValidationError(_("Only the organisation's administrators set its webhook."))
    hook = OrganisationWebhook.objects.owned_by(organisation).first()
    if hook is not None:
        audit_record(action="alerts.webhook_removed", actor=acting_user, target=hook)
        hook.delete()
