"""Audit of authentication events (logins, failed logins, lockouts, logouts), the idle
expiry of a new session, and the accounts domain signals other apps connect to
(``organisation_deactivated``)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal, receiver

from accounts.middleware import IdleSessionMiddleware
from hrdcase.audit import audit_record, client_ip


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(
        action="auth.login", actor=user, organisation=user.organisation, ip=client_ip(request)
    )


@receiver(user_logged_in)
def start_idle_expiry(sender, request, user, **kwargs) -> None:
    """A login saves the session: its idle expiry starts now, not at the next request."""
    IdleSessionMiddleware.stamp(request.session)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(
            action="auth.logout", actor=user, organisation=user.organisation, ip=client_ip(request)
        )


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The typed username only: never the password Django has already masked.
    audit_record(
        action="auth.login_failed",
        ip=client_ip(request),
        data={"username": str(credentials.get("username", ""))[:254]},
    )


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs) -> None:
    audit_record(action="auth.lockout", ip=ip_address, data={"username": str(username or "")[:254]})


# --- Domain signals other apps connect to --------------------------------------------------

#: Sent by ``accounts.services.organisation_deactivate`` inside its transaction, once the
#: organisation is marked inactive and its members' sessions, API tokens and pending
#: invitations have ended; sent once per deactivation (deactivating an inactive organisation
#: sends nothing). ``sender`` is the ``Organisation`` class; kwargs: ``organisation`` (the
#: deactivated Organisation) and ``acting_user`` (the platform staff User). A receiver that
#: raises rolls the whole deactivation back; receivers queue their messages with
#: ``transaction.on_commit`` (or write outbox rows, which commit with it).
organisation_deactivated = Signal()
