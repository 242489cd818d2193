"""One pagination for every list page: the links keep the list's filters."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from hrdcase.pagination import paginate


def test_a_page_keeps_the_filters_of_its_list_for_its_links():
    request = RequestFactory().get("/", {"status": "open", "page": "2", "q": "río"})
    page = paginate(request, list(range(120)), 50)
    assert page.number == 2 and list(page.object_list) == list(range(50, 100))
    assert page.query == "status=open&q=r%C3%ADo"


@pytest.mark.parametrize(("asked", "number"), [("9", 3), ("x", 1), ("", 1)])
def test_a_page_number_out_of_range_or_not_a_number_gives_a_page(asked, number):
    page = paginate(RequestFactory().get("/", {"page": asked}), list(range(120)), 50)
    assert page.number == number


@pytest.mark.django_db
def test_the_updates_inbox_keeps_its_unread_filter_from_page_to_page():
    """The inbox had no query string in its page links: page 2 lost "unread only"."""
    from django.template.loader import render_to_string

    request = RequestFactory().get("/", {"unread": "1"})
    page = paginate(request, list(range(60)), 25)
    html = render_to_string("_pagination.html", {"page": page})
    assert 'href="?unread=1&amp;page=2"' in html
    assert "Page 1 of 3 (60 results)" in html
