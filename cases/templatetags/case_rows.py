"""The case list's rows, drawn in Python: ``{% case_rows rows %}``.

Through the template engine a row cost ~0.14 ms (about twenty variable lookups, a URL
reversal, two lazy translations and a localized date per row): 7 ms of a 50-case page,
a fifth of the page (issue 24, docs/performance.md). Here the column names, the labels and
the link are worked out once per page and each row is one ``format_html``; the markup is
templates/cases/case_list.html's table-cards row, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cases.models import Case
from cases.models.risk import RiskLevel
from hrdcase.links import object_url
from hrdcase.localize import local_date

register = template.Library()

_ROW = (
    "<tr>"
    '<td data-label="{reference_label}"><a href="{url}">{reference}</a></td>'
    '<td data-label="{pseudonym_label}"><span dir="auto">{pseudonym}</span></td>'
    '<td data-label="{status_label}"><span class="badge status status-{status}">'
    "{status_text}</span></td>"
    '<td data-label="{risk_label}">{risk}</td>'
    '<td data-label="{threats_label}">{threats}</td>'
    '<td data-label="{owner_label}">{owner}</td>'
    '<td data-label="{opened_label}">{opened}</td>'
    "</tr>"
)


class _Page:
    """What every row of one page shares, in the active language."""

    def __init__(self) -> None:
        self.labels = {
            "reference_label": _("Reference"),
            "pseudonym_label": _("Pseudonym"),
            "status_label": _("Status"),
            "risk_label": _("Risk"),
            "threats_label": _("Threats"),
            "owner_label": _("Owner"),
            "opened_label": _("Opened"),
        }
        self.statuses = {value: str(label) for value, label in Case.Status.choices}
        self.risks = {value: str(label) for value, label in RiskLevel.choices}
        self.not_assessed = _("not assessed")
        self.not_shared = format_html('<span class="muted">{}</span>', _("not shared"))
        self.shared = {"full": _("shared: full"), "feedback": _("shared: feedback")}
        self.own = _("own")

    def risk(self, case: Case, level: str | None) -> SafeString:
        if level == "feedback":
            return self.not_shared
        return format_html(
            '<span class="risk risk-{}">{}</span>',
            case.risk_level or "none",
            self.risks.get(case.risk_level) or case.risk_level or self.not_assessed,
        )

    def owner(self, case: Case, level: str | None) -> SafeString | str:
        if not level:
            return self.own
        return format_html(
            '<span dir="auto">{}</span> <span class="tag sharing sharing-{}">{}</span>',
            case.organisation.name,
            level,
            self.shared["full"] if level == "full" else self.shared["feedback"],
        )

    def row(self, case: Case, level: str | None) -> SafeString:
        # ``listed_threats``: prefetched by ``case_list_for`` (else a query, never a blank)
        listed = getattr(case, "listed_threats", None)
        if listed is None:
            listed = case.threat_types.all()
        threats = ", ".join(str(threat) for threat in listed) if level != "feedback" else ""
        return format_html(
            _ROW,
            url=object_url("cases:detail", case.pk),
            reference=case.reference,
            pseudonym=case.pseudonym,
            status=case.status,
            status_text=self.statuses.get(case.status, case.status),
            risk=self.risk(case, level),
            threats=threats or "—",
            owner=self.owner(case, level),
            opened=local_date(case.opened_on),
            **self.labels,
        )


@register.simple_tag
def case_rows(rows: Iterable[tuple[Case, Any]]) -> SafeString:
    """The ``<tr>`` of each ``(case, sharing level)`` of the page (level None: own case)."""
    page = _Page()
    return format_html_join("\n", "{}", ((page.row(case, level),) for case, level in rows))
