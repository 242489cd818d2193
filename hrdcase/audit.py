"""Tamper-evident audit trail: ``audit_record`` appends to the AuditEvent hash chain.

Appends are serialised (a PostgreSQL advisory lock, SQLite's single writer) so that each
event's ``prev_hash`` is the hash of the event before it; the hash covers every stored field.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

if TYPE_CHECKING:
    from hrdcase.models import AuditEvent

GENESIS = "0" * 64
# An arbitrary constant naming "the audit chain" among PostgreSQL advisory locks.
_ADVISORY_LOCK_ID = 0x48524443  # "HRDC"


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def compute_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor_id: Any,
    actor_label: str,
    organisation_id: Any,
    action: str,
    target_type: str,
    target_id: str,
    ip: str | None,
    data: dict[str, Any],
) -> str:
    """The hash of one event: canonical JSON of its fields, chained to the previous hash."""
    payload = {
        "prev": prev_hash,
        "at": at.isoformat(timespec="microseconds"),
        "actor": str(actor_id) if actor_id else "",
        "actor_label": actor_label,
        "organisation": str(organisation_id) if organisation_id else "",
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "ip": ip or "",
        "data": data,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def event_hash(event: AuditEvent) -> str:
    return compute_hash(
        prev_hash=event.prev_hash,
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        organisation_id=event.organisation_id,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        ip=event.ip,
        data=event.data,
    )


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_ID])


def _normalise(data: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip through JSON so the hash is computed over exactly what the database returns.
    normalised: dict[str, Any] = json.loads(json.dumps(data or {}, default=str))
    return normalised


def audit_record(
    *,
    action: str,
    actor: Any = None,
    organisation: Any = None,
    target: Model | None = None,
    ip: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction, so an action that rolls back
    leaves no trace and an action that commits cannot lose its event."""
    from hrdcase.models import AuditEvent

    if organisation is None and actor is not None:
        organisation = getattr(actor, "organisation", None)
    fields: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": getattr(actor, "pk", None),
        "actor_label": str(getattr(actor, "email", "") or "")[:254],
        "organisation_id": getattr(organisation, "pk", None),
        "action": action,
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        # Stored as the field stores it (IPv6 compressed), so the hash survives a reload.
        "ip": AuditEvent._meta.get_field("ip").get_prep_value(ip) or None,
        "data": _normalise(data),
    }
    # No savepoint: an event that fails must take its action with it, and a savepoint costs
    # two statements on every audited action.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev_hash = last or GENESIS
        digest = compute_hash(prev_hash=prev_hash, **fields)
        return AuditEvent.objects.create(prev_hash=prev_hash, hash=digest, **fields)


def audit_request(
    request: HttpRequest,
    *,
    action: str,
    target: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
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
