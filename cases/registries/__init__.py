"""The registries the apps above ``cases`` plug into, so ``cases`` never imports them, and
``Registry``, the one store they share.

- ``timeline.register(name, provider)``: items on the case timeline;
- ``panels.register_panel(name, template, context, order=)``: a panel on the case page;
- ``parts.register_part(key, Model)``: the model a panel's or provider's read takes a case's
  rows from (``CaseAccess.remember`` skips the reads of the parts a case does not have);
- ``purgers.register_purger(name, fn)``: what the retention purge destroys of a part.

Every registration happens in an app's ``hooks.register()``, called once from its
``AppConfig.ready()`` (``cases`` registers its own parts in ``cases/hooks.py``); nothing
registers as a side effect of an import. Tests change a registry for one block with its
``override(...)``, never by patching its internals.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries by name, in the order they were first registered; registering a name again
    replaces its entry in place (an autoreload, or an app registering twice)."""

    def __init__(self) -> None:
        self._entries: dict[str, T] = {}

    def add(self, name: str, entry: T) -> None:
        self._entries[name] = entry

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def entries(self) -> list[T]:
        return list(self._entries.values())

    def as_dict(self) -> dict[str, T]:
        return dict(self._entries)

    @contextmanager
    def override(
        self, entries: Mapping[str, T] | None = None, *, only: bool = False
    ) -> Iterator[None]:
        """Within the block the registry also holds ``entries`` (nothing else with
        ``only=True``); afterwards it is as it was before, whatever the block registered."""
        saved = self._entries
        self._entries = dict(entries or {}) if only else {**saved, **(entries or {})}
        try:
            yield
        finally:
            self._entries = saved
