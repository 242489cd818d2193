"""``object_url``: the link ``reverse()`` gives, with the route reversed once."""

import uuid

from django.urls import clear_script_prefix, reverse, set_script_prefix

from hrdcase.links import object_url


def test_it_gives_the_link_reverse_gives_under_every_script_prefix():
    first, second = uuid.uuid4(), uuid.uuid4()
    for viewname in ("cases:detail", "logbooks:entry_detail", "alerts:detail"):
        assert object_url(viewname, first) == reverse(viewname, args=[first])
        assert object_url(viewname, second) == reverse(viewname, args=[second])
    try:
        set_script_prefix("/hrdcase/")  # served under a sub-path: the route reversed again
        assert object_url("cases:detail", first) == f"/hrdcase/cases/{first}/"
    finally:
        clear_script_prefix()
    assert object_url("cases:detail", first) == f"/cases/{first}/"


def test_a_route_without_parameters_is_the_link_reverse_gives():
    from hrdcase.links import route_url

    assert route_url("cases:list") == reverse("cases:list")
    try:
        set_script_prefix("/sub/")
        assert route_url("cases:list") == "/sub/cases/"
    finally:
        clear_script_prefix()
