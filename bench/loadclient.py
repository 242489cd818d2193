"""A small keep-alive HTTP client on loopback: logs in through the real forms, then times
sequential requests (one user's latency, after warm-up), as a browser would make them.

The load run (bench/throughput.py) gives each of its concurrent connections a ``clone()``
of a signed-in client (the same session or token, a connection of its own) and reads which
worker answered from ``last_worker`` (the ``X-Bench-Worker`` header of the bench web
settings)."""

from __future__ import annotations

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class BenchClient:
    def __init__(self, port: int, *, token: str = "") -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.token = token
        #: the pid of the gunicorn worker that sent the last answer ("" without the header).
        self.last_worker = ""
        #: connections opened again after the server closed one.
        self.reconnects = 0

    def clone(self) -> BenchClient:
        """The same session (cookies) or token on a new connection of its own."""
        other = BenchClient(self.port, token=self.token)
        other.cookies = dict(self.cookies)
        return other

    def close(self) -> None:
        self.conn.close()

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        # As behind the production TLS proxy (HRDCASE_BEHIND_PROXY=1).
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        extra = {}
        data = None
        if body is not None:
            data = urlencode(body)
            extra = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{self.port}",
                "Referer": f"https://127.0.0.1:{self.port}{path}",
            }
        try:
            self.conn.request(method, path, body=data, headers=self._headers(extra))
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # gunicorn closes a keep-alive connection idle for 2 s (while another bench user
            # was measured): open a new one. Warm-up requests absorb the reconnection.
            self.conn.close()
            self.reconnects += 1
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=data, headers=self._headers(extra))
            response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        self.last_worker = response.headers.get("X-Bench-Worker", "")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), text

    def timed_get(self, path: str) -> tuple[float, int]:
        started = time.perf_counter()
        status, _location, _text = self.request("GET", path)
        return (time.perf_counter() - started) * 1000, status

    def login(self, email: str, password: str, code_fn) -> None:
        """Password form, then the authenticator code (``code_fn()``: the current TOTP)."""
        status, _, text = self.request("GET", "/accounts/login/")
        token = _CSRF_RE.search(text).group(1)
        status, _location, _ = self.request(
            "POST",
            "/accounts/login/",
            {"username": email, "password": password, "csrfmiddlewaretoken": token},
        )
        if status != 302:
            raise RuntimeError(f"login of {email} answered {status}")
        # Twice: a time step's code is good once, and one taken meanwhile (a sign-in of the
        # same user, a request sent again on a new connection) leaves the next step's.
        for _attempt in range(2):
            status, _, text = self.request("GET", "/accounts/verify/")
            if status == 302:  # verified already: an earlier answer was lost on the way
                return
            token = _CSRF_RE.search(text).group(1)
            status, _location, text = self.request(
                "POST", "/accounts/verify/", {"code": code_fn(), "csrfmiddlewaretoken": token}
            )
            if status == 302:
                return
        said = re.findall(r"(?:invalid-feedback|errorlist)[^>]*>(.*?)</", text, re.S)
        raise RuntimeError(f"second factor of {email} answered {status}: {said}")


def signed_in_client(port: int, user, auth: str) -> BenchClient:
    """A client of ``user`` on gunicorn at ``port``: ``auth`` is an operation's (``"session"``:
    the two-step login through the forms; ``"token"``: a new API token; ``"none"``)."""
    if auth == "none":
        return BenchClient(port)
    if auth == "token":
        from knox.models import AuthToken

        _instance, token = AuthToken.objects.create(user=user)
        return BenchClient(port, token=token)
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.seeders import BENCH_PASSWORD

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()

    def code():
        # A code is good once (django-otp refuses a time step at or before the last one
        # used): a second sign-in of the same user within 30 s waits for the next step.
        device.refresh_from_db(fields=["last_t"])
        totp = TOTP(device.bin_key, device.step, device.t0)
        while totp.t() <= device.last_t:
            time.sleep(0.5)
        return f"{totp.token():06d}"

    client = BenchClient(port)
    client.login(user.email, BENCH_PASSWORD, code)
    return client
