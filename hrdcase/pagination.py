"""One way to cut a list page into pages: ``paginate`` and the ``_pagination.html`` template.

The page carries the list's own query string (its filters, without ``page``), so the links to
the previous and next pages keep the filters; the template shows "Page 2 of 5 (230 results)".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int
) -> Page[Any]:
    """The requested page of ``items`` (the last one for a number past the end, the first for
    anything that is not a number), with ``page.query``: the request's query string without
    ``page``, for the template's links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.query = query.urlencode()  # type: ignore[attr-defined]  # read by _pagination.html
    return page
