"""The case timeline: one chronological view assembled from providers.

``cases`` (for its own parts) and the apps above it (logbooks, relocation, alerts) register
a provider in their ``hooks.register()``; ``cases`` never imports them. A provider receives
the case and the viewer's ``CaseAccess`` and returns only items that viewer may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.utils import timezone

from cases.registries import Registry

if TYPE_CHECKING:
    from cases.access import CaseAccess
    from cases.models import Case


@dataclass(frozen=True)
class Tag:
    """A short label beside an item's title ("shared", "version 2"), drawn as ``css``."""

    label: str
    css: str = "tag"


@dataclass(frozen=True)
class TimelineItem:
    """One event, drawn by ``{% timeline_items %}`` (cases/templatetags/timeline.py) whatever
    its kind: a title (a link when ``url``), tags, a byline (who, in muted text) and a detail
    line. Items carry text, not a template of their own: an include per item cost the 50-item
    timeline about 7 ms per level (docs/performance.md, session 10)."""

    at: datetime | date  # a date: an event known by its day only (shown without a time)
    kind: str  # a stable key: "incident", "assessment", "share", "entry", ...
    title: str
    detail: str = ""
    url: str = ""
    tags: tuple[Tag, ...] = ()
    byline: str = ""

    @property
    def moment(self) -> datetime:
        """Dates sort as the start of their day, so date-only events mix with timestamps."""
        if isinstance(self.at, datetime):
            return self.at
        return timezone.make_aware(datetime.combine(self.at, time.min))


Provider = Callable[["Case", "CaseAccess"], Iterable[TimelineItem]]
_providers: Registry[Provider] = Registry()


def register(name: str, provider: Provider) -> None:
    """Register (or replace, on autoreload) the provider called ``name``."""
    _providers.add(name, provider)


def override(
    providers: Mapping[str, Provider] | None = None, *, only: bool = False
) -> AbstractContextManager[None]:
    """Tests: the timeline also draws on ``providers`` in the block (only on them with
    ``only=True``)."""
    return _providers.override(providers, only=only)


#: the case page shows this many of the latest events; the logbook pages list every entry
#: and action (the design's "case detail with its latest 50 entries").
TIMELINE_LIMIT = 50


def case_timeline(
    case: Case, access: CaseAccess, *, limit: int = TIMELINE_LIMIT
) -> list[TimelineItem]:
    """The ``limit`` latest events of every provider, newest first."""
    items: list[TimelineItem] = []
    for provider in _providers.entries():
        items.extend(provider(case, access))
    items.sort(key=lambda item: item.moment, reverse=True)
    return items[:limit]
