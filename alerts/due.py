"""Due-item sources: the features register what falls due (logbook follow-ups, risk reviews,
detention benchmarks, visa deadlines, stays ending) and the beat sweep turns each item into
one notification per recipient. ``alerts`` never imports the features; they register here
from their ``AppConfig.ready``:

    from alerts.due import DueItem, register_due_source

    def _follow_ups(now):
        for entry in LogEntry.objects.unscoped().filter(follow_up_on__lte=now.date(), ...):
            yield DueItem(key=f"logbooks.follow_up:{entry.pk}", recipients=[entry.author], ...)

    register_due_source("logbooks.follow_ups", _follow_ups)

A source is called with ``now`` and returns the items due at that moment. ``key`` is stable
for one due event (include the due date if the same object can fall due again), so a sweep
that runs every minute notifies once per recipient, never every minute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class DueItem:
    key: str  # stable per due event, e.g. "relocation.visa_deadline:<pk>:<deadline>"
    kind: str  # "follow_up", "risk_review", "benchmark", "visa_deadline", "stay_ending"
    subject: str  # pseudonym at most: it may be e-mailed
    recipients: Iterable[User]
    url: str = ""
    case: Any = None
    due_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


DueSource = Callable[[datetime], Iterable[DueItem]]
_sources: dict[str, DueSource] = {}


def register_due_source(name: str, source: DueSource) -> None:
    """Register (or replace, on autoreload) the due-item source called ``name``."""
    _sources[name] = source


def registered_due_sources() -> dict[str, DueSource]:
    return dict(_sources)


@dataclass(frozen=True)
class AutoAlert:
    """An alert a feature asks the sweep to raise automatically (e.g. logbooks: "a hearing of a
    detained defender within 48 hours and no trial observation planned"). ``key`` is stable
    per event: the sweep raises at most one alert per key."""

    key: str
    case: Any
    kind: str  # one of the alert kinds (alerts.models.Alert.Kind), e.g. "hearing_unobserved"
    severity: str  # "high" / "critical" ...
    reason: str  # short, no identity: stored encrypted as the alert's message
    #: what the alert is about (``alerts.causes``): an open alert of the case with the same
    #: cause takes the event into its history instead of a new alert. Blank: the kind's
    #: cause, or for "other" the source's name (the key's prefix).
    cause: str = ""


AlertSource = Callable[[datetime], Iterable[AutoAlert]]
_alert_sources: dict[str, AlertSource] = {}


def register_alert_source(name: str, source: AlertSource) -> None:
    """Register (or replace) a source of automatic alerts, called by the beat sweep with
    ``now``; the sweep raises each returned item once (deduplicated by ``key``)."""
    _alert_sources[name] = source


def registered_alert_sources() -> dict[str, AlertSource]:
    return dict(_alert_sources)


@contextmanager
def override(
    *,
    due_sources: dict[str, DueSource] | None = None,
    alert_sources: dict[str, AlertSource] | None = None,
) -> Iterator[None]:
    """For tests: inside the block the sweep calls exactly the sources given (a registry not
    given keeps what the apps registered), and the registered ones again after it (instead
    of monkeypatching the registries)."""
    saved = [(registry, dict(registry)) for registry in (_sources, _alert_sources)]
    for registry, sources in ((_sources, due_sources), (_alert_sources, alert_sources)):
        if sources is not None:
            registry.clear()
            registry.update(sources)
    try:
        yield
    finally:
        for registry, registered in saved:
            registry.clear()
            registry.update(registered)
