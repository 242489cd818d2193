"""Detention benchmarks fulfilled from the logbook: an entry, or an action once done, of the
organisation that owns the case marks the benchmark it names done (``cases``' service)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cases.services.detention import milestone_mark_done

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import BenchmarkMilestone, Case


def milestone_error(
    milestone: BenchmarkMilestone | None, case: Case, *, is_owner: bool
) -> str | None:
    """Why ``milestone`` cannot be marked done from a record of ``case``, or None."""
    if milestone is None:
        return None
    if not is_owner:
        return _("Only the organisation that owns the case marks benchmarks.")
    if milestone.detention.incident.case_id != case.pk:
        return _("This benchmark belongs to another case.")
    if not milestone.is_open:
        return _("This benchmark is already %(status)s.") % {
            "status": milestone.get_status_display().lower()
        }
    return None


def milestone_fulfil(
    *, milestone: BenchmarkMilestone | None, reference: str, note: str, acting_user: User
) -> None:
    if milestone is not None:
        milestone_mark_done(
            milestone=milestone, acting_user=acting_user, evidence_ref=reference, note=note
        )
