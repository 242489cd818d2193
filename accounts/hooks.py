"""What accounts connects to: the audit of authentication events (logins, failed logins,
lockouts, logouts), the idle expiry of a new session, and the API's authentication schemes.
``register()`` is called once from ``AccountsConfig.ready``; nothing connects on import."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from accounts.middleware import IdleSessionMiddleware
from accounts.models import User
from hrdcase.audit import audit_record, client_ip


def audit_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit_record(
        action="auth.login", actor=user, organisation=user.organisation, ip=client_ip(request)
    )


def start_idle_expiry(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """A login saves the session: its idle expiry starts now, not at the next request."""
    IdleSessionMiddleware.stamp(request.session)


def audit_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            action="auth.logout", actor=user, organisation=user.organisation, ip=client_ip(request)
        )


def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The typed username only: never the password Django has already masked.
    audit_record(
        action="auth.login_failed",
        ip=client_ip(request),
        data={"username": str(credentials.get("username", ""))[:254]},
    )


def audit_lockout(
    sender: Any, request: HttpRequest, username: str, ip_address: str, **kwargs: Any
) -> None:
    audit_record(action="auth.lockout", ip=ip_address, data={"username": str(username or "")[:254]})


def register() -> None:
    user_logged_in.connect(audit_login, dispatch_uid="accounts.audit_login")
    user_logged_in.connect(start_idle_expiry, dispatch_uid="accounts.start_idle_expiry")
    user_logged_out.connect(audit_logout, dispatch_uid="accounts.audit_logout")
    user_login_failed.connect(audit_login_failed, dispatch_uid="accounts.audit_login_failed")
    user_locked_out.connect(audit_lockout, dispatch_uid="accounts.audit_lockout")
    # drf-spectacular registers an OpenApiAuthenticationExtension when its subclass is created.
    from accounts import schema  # noqa: F401
