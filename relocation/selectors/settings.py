"""Reads of each organisation's relocation settings."""

from __future__ import annotations

from relocation.models import RelocationSettings


def settings_for(organisation_id) -> RelocationSettings:
    """The organisation's relocation settings, or the defaults (unsaved) if it has none."""
    # unscoped: one organisation's own configuration row, read by id.
    row = RelocationSettings.objects.unscoped().filter(organisation_id=organisation_id).first()
    return row or RelocationSettings(organisation_id=organisation_id)
