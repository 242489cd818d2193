"""The retention purge registry: each part of the case file says how to destroy its share of a
case's identity and narratives.

A purger is ``fn(case)``: it overwrites (or deletes) the part's identifying and free-text
data for ``case`` and keeps what dashboards count (kinds, dates, levels). It runs inside the
purge's transaction, so a purger that raises rolls the whole case back, and it must be
idempotent (a purge that is retried runs it again).

Parts register in their app's ``hooks.register()`` (``AppConfig.ready``):

    from cases.registries.purgers import register_purger

    def _purge_incidents(case):
        for incident in case.incidents.all():
            incident.description = ""  # EncryptedTextField: assign "" and save
            incident.save(update_fields=["description"])

    register_purger("cases.incidents", _purge_incidents)

Encrypted fields are overwritten through ``save()`` (the column refuses a plain
``QuerySet.update``: ``cases.services.retention.blank_fields`` does it); plain text columns
may use ``update()`` on the case's related manager.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from cases.registries import Registry

if TYPE_CHECKING:
    from cases.models import Case

Purger = Callable[["Case"], object]
_purgers: Registry[Purger] = Registry()


def register_purger(name: str, fn: Purger) -> None:
    """Register (or replace, on autoreload) the purger called ``name``. Purgers run in the
    order they were first registered."""
    _purgers.add(name, fn)


def registered_purgers() -> dict[str, Purger]:
    return _purgers.as_dict()


def override(
    purgers: Mapping[str, Purger] | None = None, *, only: bool = False
) -> AbstractContextManager[None]:
    """Tests: ``with override({"tests.part": fn}): ...`` runs ``fn`` too (only it with
    ``only=True``) in the block."""
    return _purgers.override(purgers, only=only)


def run_purgers(case: Case) -> list[str]:
    """Run every registered purger on ``case``; returns their names (for the audit event)."""
    names = []
    for name, fn in registered_purgers().items():
        fn(case)
        names.append(name)
    return names
