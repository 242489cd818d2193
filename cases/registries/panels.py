"""The panels of the case page. ``cases`` registers its own (the identity, the risk, the
incidents, the timeline, consent and sharing, who viewed the case...) and the apps above it
theirs (logbooks' quick-log form, alerts' "raise an urgent alert" button, relocation's
requests), each in its ``hooks.register()``, so ``cases`` never imports them and the page
draws every panel in one loop:

    from cases.registries.panels import register_panel

    def _quick_log(request, case, access):
        if not access.can_write_role or not access.has("add_shared_entry"):
            return None  # nothing to show this viewer
        return {"form": LogEntryForm(...)}

    register_panel("logbooks.quick_log", "logbooks/_quick_log_panel.html", _quick_log, order=10)

The context function receives the request, the case and the viewer's ``CaseAccess``; it
returns the panel's context (rendered as ``panel`` in the template) or ``None`` to hide
the panel. It must respect ``access``: the panel shows only what the viewer may see.

Panels are drawn by ``order``, then by name. The slots in use: below 10, what is urgent
(alerts: 5) and the case file's own parts (6 to 9); 10 to 99, the other apps' panels above
the timeline; the timeline itself at ``BELOW_TIMELINE`` (100); above it, what comes after
the timeline (relocation: 120; the owner's consent and sharing, who viewed the case, the
defender's other cases: 200 and up).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cases.registries import Registry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from cases.access import CaseAccess
    from cases.models import Case

PanelContext = Callable[["HttpRequest", "Case", "CaseAccess"], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: PanelContext
    order: int


_panels: Registry[Panel] = Registry()

#: the timeline's place: a panel of a higher order is drawn below it.
BELOW_TIMELINE = 100


def register_panel(name: str, template: str, context: PanelContext, *, order: int = 50) -> None:
    """Register (or replace, on autoreload) the panel called ``name``."""
    _panels.add(name, Panel(name, template, context, order))


def override(
    panels: Mapping[str, Panel] | None = None, *, only: bool = False
) -> AbstractContextManager[None]:
    """Tests: the case page also draws ``panels`` in the block (only them with
    ``only=True``)."""
    return _panels.override(panels, only=only)


def case_panels(request: HttpRequest, case: Case, access: CaseAccess) -> list[dict[str, Any]]:
    """The panels this viewer sees, in order: ``{"name", "template", "order", "panel"}``."""
    shown = []
    for panel in sorted(_panels.entries(), key=lambda p: (p.order, p.name)):
        context = panel.context(request, case, access)
        if context is not None:
            shown.append(
                {
                    "name": panel.name,
                    "template": panel.template,
                    "order": panel.order,
                    "panel": context,
                }
            )
    return shown
