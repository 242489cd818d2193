"""What a write told the person who made it, for the page that made it.

A service deep below a page (alerts raising an automatic alert when a risk assessment is
saved) has no request to add a message to, and the page (cases) may not import it. It calls
``add(text)``; ``NoticesMiddleware`` collects the notices of each page request and shows them
as Django messages when the page succeeded (status below 400: a write that failed and rolled
back told nobody anything). Outside a page request (a task, a command, the API) ``add`` does
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase

_collected: ContextVar[list[str] | None] = ContextVar("hrdcase_notices", default=None)


def add(text: str) -> None:
    """Tell the person whose page request this is ``text`` (nothing outside a page)."""
    notices = _collected.get()
    if notices is not None:
        notices.append(str(text))


@contextmanager
def collect() -> Iterator[list[str]]:
    """The notices added inside the block (nested: the inner block takes them)."""
    notices: list[str] = []
    token = _collected.set(notices)
    try:
        yield notices
    finally:
        _collected.reset(token)


class NoticesMiddleware:
    """Below ``MessageMiddleware``: the notices of a successful page become messages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith("/api/"):
            return self.get_response(request)
        with collect() as notices:
            response = self.get_response(request)
        if notices and response.status_code < 400:
            for text in notices:
                messages.warning(request, text)
        return response
