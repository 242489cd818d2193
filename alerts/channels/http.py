"""JSON over HTTP for the channels that speak it (Signal's REST bridge, webhooks): the
standard library's client, always with a timeout, never following a redirect (a webhook
must not be bounced to another address). A webhook posts through ``post_pinned``: to the
address its host was resolved to and checked at (``alerts.channels.webhook``), never a
second lookup."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
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


class _Pinned:
    """Connects to the address already resolved and checked (``address``), whatever the
    name resolves to now; the request still names the host (``Host``, and for https the
    SNI and the certificate's name are checked against it)."""

    def __init__(self, host: str, port: int | None, *, address: str, **kwargs: Any) -> None:
        super().__init__(host, port, **kwargs)  # type: ignore[call-arg]
        self._pinned = address

        def create_connection(target: tuple[str, int], *args: Any, **kw: Any) -> socket.socket:
            return socket.create_connection((self._pinned, target[1]), *args, **kw)

        self._create_connection = create_connection


class PinnedHTTPConnection(_Pinned, http.client.HTTPConnection):
    pass


class PinnedHTTPSConnection(_Pinned, http.client.HTTPSConnection):
    pass


def post_pinned(url: str, address: str, body: bytes, *, headers: dict[str, str]) -> None:
    """POST ``body`` (JSON) to ``url`` through a connection to ``address`` (one of its
    host's addresses, checked by the caller): no new lookup, no redirect followed (a 3xx is
    an error like any non-2xx), always a timeout. ``ChannelError`` on a failure."""
    parsed = urllib.parse.urlparse(url)
    host = parsed.hostname or ""
    timeout = conf.channel_timeout()
    if parsed.scheme == "https":
        connection: http.client.HTTPConnection = PinnedHTTPSConnection(
            host,
            parsed.port,
            address=address,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        connection = PinnedHTTPConnection(host, parsed.port, address=address, timeout=timeout)
    path = (parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": "hrdcase", **headers},
        )
        response = connection.getresponse()
        response.read(65536)
    except (OSError, http.client.HTTPException) as error:
        raise ChannelError(f"{type(error).__name__} reaching {_host(url)}: {error}") from error
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        raise ChannelError(f"HTTP {response.status} from {_host(url)}")
