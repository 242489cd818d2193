"""The panels of the case page, and the page's sections. ``cases`` registers its own panels
(the identity, the risk, the incidents, the timeline, consent and sharing, who viewed the
case...) and the sections, and the apps above it their panels (logbooks' quick-log form,
alerts' "raise an urgent alert" button, relocation's requests), each in its
``hooks.register()``, so ``cases`` never imports them:

    from cases.registries.panels import register_panel

    def _quick_log(request, case, access):
        if not access.can_write_role or not access.has("add_shared_entry"):
            return None  # nothing to show this viewer
        return {"form": LogEntryForm(...)}

    register_panel(
        "logbooks.quick_log", "logbooks/_quick_log_panel.html", _quick_log, order=10
    )  # section="overview", the default

The context function receives the request, the case and the viewer's ``CaseAccess``; it
returns the panel's context (rendered as ``panel`` in the template) or ``None`` to hide
the panel. It must respect ``access``: the panel shows only what the viewer may see.

A summary header heads every section: the case's own facts, and the figures other apps
register with ``register_summary(name, item, order=)`` (alerts: how many are open).

The case page is in sections (``register_section(key, label, order=, when=)``), each its own
URL: Overview (``cases:detail``) and the others (``cases:section``, e.g. ``…/s/risk/``). A
panel belongs to one section (``section=``, Overview by default) and its context function
runs only when that section is drawn: the other sections cost nothing. A section's
``when(access)`` (cheap: the access alone, no query) hides it from the sub-navigation and
answers 404 to a viewer who may see none of it (the risk to a feedback partner).

In a section, panels are drawn by ``order``, then by name. On Overview: what is urgent
first (alerts: 5), logbooks' quick log at 10, then the case file's own (a partner's share
and break-glass 12 to 14, "About the case" 18, the identity 20, the tasks 30). The other
sections keep the orders the panels had on the one-column page (the timeline at
``BELOW_TIMELINE``, support 115, relocation 120, the owner's consent and sharing, who viewed
the case, the defender's other cases: 200 and up).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cases.registries import Registry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from cases.access import CaseAccess
    from cases.models import Case

PanelContext = Callable[["HttpRequest", "Case", "CaseAccess"], dict[str, Any] | None]
SectionWhen = Callable[["CaseAccess"], bool]

#: the first section: the case page's own URL (``cases:detail``).
OVERVIEW = "overview"


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: PanelContext
    order: int
    section: str = OVERVIEW


def _always(access: CaseAccess) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    key: str
    #: a lazy translation: the sub-navigation's text
    label: Any
    order: int
    #: may this viewer see anything of the section? (the access alone: no query)
    when: SectionWhen = _always


#: a figure of the summary header: ``{"label", "value", "url" (optional), "tone" (optional:
#: "danger" draws it as a warning)}``, or None to show nothing to this viewer.
SummaryItem = Callable[["HttpRequest", "Case", "CaseAccess"], dict[str, Any] | None]


@dataclass(frozen=True)
class Summary:
    name: str
    item: SummaryItem
    order: int


_panels: Registry[Panel] = Registry()
_sections: Registry[Section] = Registry()
_summaries: Registry[Summary] = Registry()
_header_actions: Registry[Summary] = Registry()

#: the timeline's place: a panel of a higher order is drawn below it.
BELOW_TIMELINE = 100


def register_panel(
    name: str,
    template: str,
    context: PanelContext,
    *,
    order: int = 50,
    section: str = OVERVIEW,
) -> None:
    """Register (or replace, on autoreload) the panel called ``name`` in ``section``."""
    _panels.add(name, Panel(name, template, context, order, section))


def register_section(key: str, label: Any, *, order: int, when: SectionWhen = _always) -> None:
    """Register (or replace) the case page's section ``key`` (a slug: its URL)."""
    _sections.add(key, Section(key, label, order, when))


def register_summary(name: str, item: SummaryItem, *, order: int = 50) -> None:
    """Register (or replace) a figure of the summary header every section shows (alerts: the
    open alerts). ``item`` runs on every section: one query at most, and only what ``access``
    lets the viewer see."""
    _summaries.add(name, Summary(name, item, order))


def case_summary_items(
    request: HttpRequest, case: Case, access: CaseAccess
) -> list[dict[str, Any]]:
    """The other apps' figures of the summary header this viewer sees, in order."""
    return _header_items(_summaries, request, case, access)


def register_header_action(name: str, action: SummaryItem, *, order: int = 50) -> None:
    """Register (or replace) a button of the summary header, on every section: ``action``
    returns ``{"label", "url", "class" (optional)}`` or None for a viewer who may not use it
    (logbooks: "Log", to the quick log on Overview). No query."""
    _header_actions.add(name, Summary(name, action, order))


def case_header_actions(
    request: HttpRequest, case: Case, access: CaseAccess
) -> list[dict[str, Any]]:
    """The header's buttons this viewer may use, in order."""
    return _header_items(_header_actions, request, case, access)


def _header_items(
    registry: Registry[Summary], request: HttpRequest, case: Case, access: CaseAccess
) -> list[dict[str, Any]]:
    shown = []
    for entry in sorted(registry.entries(), key=lambda s: (s.order, s.name)):
        item = entry.item(request, case, access)
        if item is not None:
            shown.append(item)
    return shown


@contextmanager
def override(
    panels: Mapping[str, Panel] | None = None,
    *,
    only: bool = False,
    sections: Mapping[str, Section] | None = None,
) -> Iterator[None]:
    """Tests: the case page also draws ``panels`` in the block (only them with
    ``only=True``), and also has the ``sections`` given."""
    with _panels.override(panels, only=only), _sections.override(sections):
        yield


def case_sections(access: CaseAccess) -> list[Section]:
    """The sections this viewer may open, in order (the sub-navigation)."""
    return sorted(
        (section for section in _sections.entries() if section.when(access)),
        key=lambda s: (s.order, s.key),
    )


def section_for(key: str, access: CaseAccess) -> Section | None:
    """The section ``key`` if it exists and this viewer may open it; else None (404)."""
    if key not in _sections:
        return None
    section = _sections.as_dict()[key]
    return section if section.when(access) else None


def case_panels(
    request: HttpRequest, case: Case, access: CaseAccess, section: str = OVERVIEW
) -> list[dict[str, Any]]:
    """The panels of ``section`` this viewer sees, in order: ``{"name", "template", "order",
    "panel"}``. Only that section's context functions run."""
    shown = []
    in_section = (panel for panel in _panels.entries() if panel.section == section)
    for panel in sorted(in_section, key=lambda p: (p.order, p.name)):
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
