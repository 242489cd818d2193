"""The case timeline's items, drawn in Python: ``{% timeline_items items %}``.

Through the template engine an item cost ~0.14 ms (its fields, tags and localized time looked
up one variable at a time): 7 ms of the Logbook section's 50 items, a fifth of the page
(docs/performance.md, session 11). The markup is the one the template
``cases/_timeline_items.html`` drew before, unchanged; each item is one ``format_html``, and
its time is formatted once per language and zone (``hrdcase.localize``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from cases.registries.timeline import TimelineItem
from hrdcase.localize import local_date, local_datetime

register = template.Library()

_ITEM = (
    '\n<li class="timeline-item timeline-{kind}">\n'
    '  <time datetime="{iso}">{when}</time>\n'
    "  <p>{title}{tags}{byline}</p>\n"
    "  {detail}\n"
    "</li>\n"
)


def _item(item: TimelineItem) -> SafeString:
    title = format_html('<a href="{}">{}</a>', item.url, item.title) if item.url else item.title
    tags = format_html_join(
        "", ' <span class="{}">{}</span>', ((t.css, t.label) for t in item.tags)
    )
    byline = (
        format_html(' <span class="muted" dir="auto">{}</span>', item.byline) if item.byline else ""
    )
    detail = format_html('<p class="muted" dir="auto">{}</p>', item.detail) if item.detail else ""
    return format_html(
        _ITEM,
        kind=item.kind,
        iso=item.at.isoformat(),
        # a day-only event (an incident, a hearing) is not shown as happening at midnight
        when=local_datetime(item.at)
        if isinstance(item.at, datetime.datetime)
        else local_date(item.at),
        title=title,
        tags=tags,
        byline=byline,
        detail=detail,
    )


@register.simple_tag
def timeline_items(items: Iterable[TimelineItem]) -> SafeString:
    """The ``<li>`` of each item, then a line end (as the template's loop drew them)."""
    return mark_safe("".join(_item(item) for item in items) + "\n")  # noqa: S308 (each escaped)
