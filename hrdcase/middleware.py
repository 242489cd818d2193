"""Response headers every page needs, set in one place (static files, served by WhiteNoise
before these run, are left alone).

- ``NoStoreMiddleware``: ``Cache-Control: no-store`` on every response to a signed-in user and
  on every download or export, whoever asks. A page of a defender's identity otherwise stays
  in the browser's disk cache after logout, readable by the next person at that laptop.
- ``PermissionsPolicyMiddleware``: ``Permissions-Policy`` denying the browser features no page
  of ours uses (camera, microphone, geolocation, ...: ``settings.PERMISSIONS_POLICY``), so
  nothing that gets into a page can ask for them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

Handler = Callable[[HttpRequest], HttpResponseBase]


def _signed_in(request: HttpRequest) -> bool:
    # After the view: an API token's user is set on the Django request by DRF as well.
    # Missing when a middleware above authentication answered (then nobody is signed in).
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _is_download(response: HttpResponseBase) -> bool:
    disposition = response.headers.get("Content-Disposition", "")
    return disposition.strip().lower().startswith("attachment")


class NoStoreMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _is_download(response) or _signed_in(request):
            # Replaces whatever a view said (a max-age would let a copy be kept).
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches and proxies
            response.headers.pop("Expires", None)
        return response


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` -> ``camera=(), fullscreen=(self)``."""
    return ", ".join(
        f"{feature}=({' '.join(allowed)})" for feature, allowed in sorted(features.items())
    )


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
