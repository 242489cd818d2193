"""Panels of the case page contributed by the apps above ``cases`` (logbooks' quick-log form,
alerts' "raise an urgent alert" button, relocation's requests), registered in their
``AppConfig.ready`` so ``cases`` never imports them:

    from cases.panels import register_panel

    def _quick_log(request, case, access):
        if not access.can_add_shared_entry and not access.can_edit:
            return None  # nothing to show this viewer
        return {"form": LogEntryForm(...)}

    register_panel("logbooks.quick_log", "logbooks/_quick_log_panel.html", _quick_log, order=10)

The context function receives the request, the case and the viewer's ``CaseAccess``; it
returns the panel's context (rendered as ``panel`` in the template) or ``None`` to hide
the panel. It must respect ``access``: the panel shows only what the viewer may see.
Panels with ``order < 100`` are drawn above the timeline, the others below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


_panels: dict[str, Panel] = {}

BELOW_TIMELINE = 100


def register_panel(name: str, template: str, context: PanelContext, *, order: int = 50) -> None:
    """Register (or replace, on autoreload) the panel called ``name``."""
    _panels[name] = Panel(name, template, context, order)


def case_panels(request: HttpRequest, case: Case, access: CaseAccess) -> list[dict[str, Any]]:
    """The panels this viewer sees, in order: ``{"name", "template", "order", "panel"}``."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
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
