"""Local stand-ins for what the channels talk to, on loopback, started by the tests: a
signal-cli REST API server (its ``POST /v2/send``) and an organisation's webhook receiver
that checks the HMAC signature as docs/alerts.md tells receivers to. Nothing of hrdcase is
mocked: the channels make real HTTP requests to these.

Each server records what it *accepted*. ``fail_next`` answers 5xx to the next requests;
``slow`` holds a request (like a server that has not accepted it yet) until ``slow`` is
cleared: a request whose client went away meanwhile (a worker killed mid-send) is then
dropped, never accepted, as a real server does with a connection that closed before it
committed the send.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class StandIn:
    url: str = ""
    accepted: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    fail_next: int = 0
    #: the status of a failing answer (``fail_next``).
    fail_status: int = 503
    slow: threading.Event = field(default_factory=threading.Event)
    holding: threading.Event = field(default_factory=threading.Event)
    #: set when the client of a held request has closed its connection (a killed worker)
    client_left: threading.Event = field(default_factory=threading.Event)
    secret: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client_gone(sock: socket.socket) -> bool:
    readable, _w, _x = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _handler(state: StandIn, path: str, check) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet test output
            pass

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path != path:
                self._answer(404, {"error": "not found"})
                return
            with state.lock:
                failing = state.fail_next > 0
                state.fail_next -= failing
            if failing:
                self._answer(state.fail_status, {"error": "temporarily unavailable"})
                return
            if state.slow.is_set():
                state.holding.set()
                while state.slow.is_set():
                    if not state.client_left.is_set() and _client_gone(self.connection):
                        state.client_left.set()
                    time.sleep(0.1)
                if _client_gone(self.connection):
                    state.rejected.append("client went away before the send was accepted")
                    return
            problem = check(state, raw, self.headers)
            if problem:
                state.rejected.append(problem)
                self._answer(400 if problem != "signature" else 401, {"error": problem})
                return
            with state.lock:
                state.accepted.append(json.loads(raw))
                state.headers.append(dict(self.headers))
            self._answer(201, {"timestamp": str(int(time.time() * 1000))})

    return Handler


def _check_signal(state: StandIn, raw: bytes, headers) -> str:
    body = json.loads(raw)
    if not isinstance(body.get("message"), str) or not body.get("number"):
        return "message and number are required"
    if not isinstance(body.get("recipients"), list) or not body["recipients"]:
        return "recipients must be a non-empty list"
    return ""


def verify_signature(secret: str, raw: bytes, headers, *, max_age: int = 300) -> str:
    """What a receiver does (docs/alerts.md): recompute, compare in constant time, refuse
    an old timestamp. Returns the problem, or "" when the request is genuine."""
    timestamp = headers.get("X-Hrdcase-Timestamp", "")
    given = headers.get("X-Hrdcase-Signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > max_age:
        return "stale"
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256)
    if not hmac.compare_digest(given, "sha256=" + expected.hexdigest()):
        return "signature"
    return ""


def _check_webhook(state: StandIn, raw: bytes, headers) -> str:
    return verify_signature(state.secret, raw, headers)


@contextmanager
def _serve(state: StandIn, path: str, check) -> Iterator[StandIn]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, path, check))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        state.slow.clear()
        server.shutdown()
        server.server_close()


@contextmanager
def signal_server() -> Iterator[StandIn]:
    """A signal-cli REST API stand-in: ``POST /v2/send`` -> 201 ``{"timestamp"}``."""
    with _serve(StandIn(), "/v2/send", _check_signal) as state:
        yield state


@contextmanager
def webhook_receiver(secret: str) -> Iterator[StandIn]:
    """A receiver at ``/hook`` that accepts only correctly signed, fresh requests."""
    with _serve(StandIn(secret=secret), "/hook", _check_webhook) as state:
        yield state
