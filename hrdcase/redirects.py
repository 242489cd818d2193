"""Back to where a step was taken from: the ``next`` a form or a link carries.

One rule for every view: ``next`` must be a path of this site ("/..."), anything else (another
host, a scheme, "x", a URL name) goes to the view's default. And the answer is always a plain
redirect to that path: ``django.shortcuts.redirect`` would read a bare word as a URL name and
fail with a 500 after the step was written.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str, *, avoid: str = "") -> str:
    """The request's ``next`` (POST, else GET) when it is a path of this site not under
    ``avoid``; else ``default`` (a path)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not (avoid and target.startswith(avoid))
    ):
        return target
    return default


def redirect_back(request: HttpRequest, default: str, *, avoid: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next(request, default, avoid=avoid))
