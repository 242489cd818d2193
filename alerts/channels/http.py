"""JSON over HTTP for the channels that speak it (Signal's REST bridge, webhooks): the
standard library's client, always with a timeout, never following a redirect (a webhook
must not be bounced to another address)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from alerts import conf
from alerts.channels.base import ChannelError


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx is an error (``HTTPError``), not a hop: a webhook bounced elsewhere is not
    followed, and the signed body never reaches an address nobody chose."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, payload: Any, *, headers: dict[str, str] | None = None) -> bytes:
    """POST ``payload`` (or bytes already encoded) as JSON; the answer's body on a 2xx,
    else ``ChannelError`` naming the status (a 5xx, a refused connection, a timeout)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    request = urllib.request.Request(  # noqa: S310 (http(s) only: checked where configured)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "hrdcase", **(headers or {})},
    )
    try:
        with _OPENER.open(request, timeout=conf.channel_timeout()) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise ChannelError(f"HTTP {error.code} from {_host(url)}") from error
    except (urllib.error.URLError, OSError) as error:
        raise ChannelError(f"{type(error).__name__} reaching {_host(url)}: {error}") from error


def _host(url: str) -> str:
    """The host only: a URL's path or query may hold a token, and errors are stored."""
    return urllib.parse.urlparse(url).netloc
