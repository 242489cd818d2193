"""Verification of the audit hash chain, shared by ``verify_audit`` and the tests."""

from __future__ import annotations

from dataclasses import dataclass

from hrdcase.audit import GENESIS, event_hash


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    count: int
    head_id: int | None
    head_hash: str
    #: the first broken link, or None when the chain is intact.
    broken: ChainBreak | None


def verify_chain(*, expected_head: tuple[int, str] | None = None, batch: int = 2000) -> ChainReport:
    """Walk the whole chain in id order; the first event whose hash does not match its
    fields, or whose ``prev_hash`` is not its predecessor's hash, is the first broken link.
    A deleted event shows as a break at its successor. ``expected_head`` (kept outside the
    database with ``audit_head``) also catches truncation of the newest events."""
    from hrdcase.models import AuditEvent

    prev_hash = GENESIS
    count = 0
    last = None
    queryset = AuditEvent.objects.order_by("id")
    for event in queryset.iterator(chunk_size=batch):
        count += 1
        if event.prev_hash != prev_hash:
            return ChainReport(
                count,
                event.id,
                event.hash,
                ChainBreak(
                    event.id,
                    "previous hash does not match: an event before it was changed or deleted",
                ),
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                count,
                event.id,
                event.hash,
                ChainBreak(event.id, "hash does not match its fields: the event was changed"),
            )
        prev_hash = event.hash
        last = event
    head_id = last.id if last else None
    head_hash = last.hash if last else GENESIS
    if expected_head is not None:
        want_id, want_hash = expected_head
        found = AuditEvent.objects.filter(id=want_id).values_list("hash", flat=True).first()
        if found is None:
            return ChainReport(
                count,
                head_id,
                head_hash,
                ChainBreak(want_id, "the recorded head is missing: events were deleted"),
            )
        if found != want_hash:
            return ChainReport(
                count,
                head_id,
                head_hash,
                ChainBreak(want_id, "the recorded head's hash differs: the chain was rewritten"),
            )
    return ChainReport(count, head_id, head_hash, None)
