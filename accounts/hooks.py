"""What accounts connects to: the audit of authentication events (logins, failed logins,
lockouts, logouts), the idle expiry of a new session, and the API's authentication schemes.
``register()`` is called once from ``AccountsConfig.ready``; nothing connects on import."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import F
from django.db.models.signals import m2m_changed
from django.http import HttpRequest

from accounts.middleware import IdleSessionMiddleware
from accounts.models import ProtectionNetwork, User
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


def count_members_change(
    sender: Any, *, instance: Any, action: str, reverse: bool, pk_set: set | None, **kwargs: Any
) -> None:
    """A network's members changed (``network.members`` or ``organisation.networks``, the
    admin's lists included): its ``members_version`` goes up once the change is written, so
    nothing computed from the old members is read as the new ones'."""
    if reverse and action == "pre_clear":  # clear() names no network after the fact
        instance._networks_before_clear = list(instance.networks.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        networks = [instance.pk]
    elif action == "post_clear":
        networks = getattr(instance, "_networks_before_clear", [])
    else:
        networks = list(pk_set or ())
    ProtectionNetwork.objects.filter(pk__in=networks).update(
        members_version=F("members_version") + 1
    )


def register() -> None:
    m2m_changed.connect(
        count_members_change,
        sender=ProtectionNetwork.members.through,
        dispatch_uid="accounts.count_members_change",
    )
    user_logged_in.connect(audit_login, dispatch_uid="accounts.audit_login")
    user_logged_in.connect(start_idle_expiry, dispatch_uid="accounts.start_idle_expiry")
    user_logged_out.connect(audit_logout, dispatch_uid="accounts.audit_logout")
    user_login_failed.connect(audit_login_failed, dispatch_uid="accounts.audit_login_failed")
    user_locked_out.connect(audit_lockout, dispatch_uid="accounts.audit_lockout")
    # drf-spectacular registers an OpenApiAuthenticationExtension when its subclass is created.
    from accounts import schema  # noqa: F401
