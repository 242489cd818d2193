"""The case list's rows, drawn in Python: ``{% case_rows rows %}``.

Through the template engine a row cost ~0.14 ms (about twenty variable lookups, a URL
reversal, two lazy translations and a localized date per row): 7 ms of a 50-case page,
a fifth of the page (issue 24, docs/performance.md). Here the column names, the labels and
the link are worked out once per page and each row is one ``str.format`` of escaped values;
the markup is templates/cases/case_list.html's table-cards row, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as _escape  # django.utils.html.escape's, without its lazy wrapper
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
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
#: the placeholders of ``_ROW`` a row fills (the others are the page's labels).
_ROW_VALUES = (
    "url",
    "reference",
    "pseudonym",
    "status",
    "status_text",
    "risk",
    "threats",
    "owner",
    "opened",
)


def _braced(text: str) -> str:
    """``text`` (escaped markup) safe to put in a ``str.format`` template as a literal."""
    return text.replace("{", "{{").replace("}", "}}")


class _Page:
    """What every row of one page shares, in the active language: the row's markup with its
    labels already in, and each label, status, risk and owner escaped once. A row is then one
    ``str.format`` of values escaped here (``format_html`` escaped and re-checked ~30 values a
    row, labels included: ~40 % of drawing the rows)."""

    def __init__(self) -> None:
        labels = {
            "reference_label": _("Reference"),
            "pseudonym_label": _("Pseudonym"),
            "status_label": _("Status"),
            "risk_label": _("Risk"),
            "threats_label": _("Threats"),
            "owner_label": _("Owner"),
            "opened_label": _("Opened"),
        }
        values = {name: "{" + name + "}" for name in _ROW_VALUES}
        self.template = _ROW.format(
            **{name: _braced(_escape(label)) for name, label in labels.items()}, **values
        )
        # str() first: escape() of a lazy label stays lazy, translated again at every row
        self.statuses = {value: _escape(str(label)) for value, label in Case.Status.choices}
        self.risks = {value: str(label) for value, label in RiskLevel.choices}
        self.not_assessed = _("not assessed")
        self.not_shared = format_html('<span class="muted">{}</span>', _("not shared"))
        self.shared = {"full": _("shared: full"), "feedback": _("shared: feedback")}
        self.own = _escape(_("own"))
        self._drawn: dict[tuple, str] = {}  # risks, owners, threats and dates of this page

    def _once(self, key: tuple, draw) -> str:
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = draw()
        return drawn

    def risk(self, case: Case, level: str | None) -> str:
        if level == "feedback":
            return self.not_shared
        return self._once(
            ("risk", case.risk_level),
            lambda: format_html(
                '<span class="risk risk-{}">{}</span>',
                case.risk_level or "none",
                self.risks.get(case.risk_level) or case.risk_level or self.not_assessed,
            ),
        )

    def owner(self, case: Case, level: str | None) -> str:
        if not level:
            return self.own
        return self._once(
            ("owner", case.organisation.name, level),
            lambda: format_html(
                '<span dir="auto">{}</span> <span class="tag sharing sharing-{}">{}</span>',
                case.organisation.name,
                level,
                self.shared["full"] if level == "full" else self.shared["feedback"],
            ),
        )

    def threats(self, case: Case, level: str | None) -> str:
        if level == "feedback":
            return "—"
        # ``listed_threats``: prefetched by ``case_list_for`` (else a query, never a blank)
        listed = getattr(case, "listed_threats", None)
        if listed is None:
            listed = case.threat_types.all()
        # each page names a handful of threat types: translated and escaped once each
        key = ("threats", *(threat.pk for threat in listed))
        return self._once(key, lambda: _escape(", ".join(str(t) for t in listed)) or "—")

    def row(self, case: Case, level: str | None) -> str:
        return self.template.format(
            url=_escape(object_url("cases:detail", case.pk)),
            reference=_escape(case.reference),
            pseudonym=_escape(case.pseudonym),
            status=_escape(case.status),
            status_text=self.statuses.get(case.status) or _escape(case.status),
            risk=self.risk(case, level),
            threats=self.threats(case, level),
            owner=self.owner(case, level),
            opened=self._once(
                ("opened", case.opened_on), lambda: _escape(local_date(case.opened_on))
            ),
        )


@register.simple_tag
def case_rows(rows: Iterable[tuple[Case, Any]]) -> SafeString:
    """The ``<tr>`` of each ``(case, sharing level)`` of the page (level None: own case)."""
    page = _Page()
    # every value of a row is escaped by ``_Page.row`` (or drawn by format_html)
    return mark_safe("\n".join(page.row(case, level) for case, level in rows))  # noqa: S308
