"""Tamper-evident audit trail (interface; implemented with the AuditEvent hash chain)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


def audit_record(
    *,
    action: str,
    actor: Any = None,
    organisation: Any = None,
    target: Any = None,
    ip: str | None = None,
    data: dict[str, Any] | None = None,
) -> Any:
    return None


def audit_request(
    request: HttpRequest,
    *,
    action: str,
    target: Any = None,
    data: dict[str, Any] | None = None,
) -> Any:
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    return audit_record(
        action=action,
        actor=actor,
        organisation=getattr(actor, "organisation", None),
        target=target,
        ip=client_ip(request),
        data=data,
    )
