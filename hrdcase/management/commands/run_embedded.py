"""``make run``: migrate, load the demo data, then run web + worker + urgent worker + beat in
the foreground (the urgent worker consumes only the urgent queue: docs/alerts.md, "Queues").

Each child runs in its own process group, so Ctrl-C reaches only this command, which then
stops the children in order: SIGTERM to each (gunicorn and Celery shut down gracefully on
it), and SIGKILL to whatever is left of a group after ``--stop-timeout`` seconds. A task
killed that way is not lost: tasks are acknowledged late and re-queued when a worker dies.
If any child dies on its own, the others are stopped and the command exits non-zero.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import suppress
from typing import IO, Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections


class Command(BaseCommand):
    help = (
        "Run hrdcase in one terminal: migrate, seed demo data, web + Celery workers (default "
        "and urgent queues) + beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", help="gunicorn address (default 127.0.0.1:8000)")
        parser.add_argument("--port", type=int, help="shorthand for --bind 127.0.0.1:PORT")
        parser.add_argument("--no-migrate", action="store_true", help="skip migrate")
        parser.add_argument("--no-seed", action="store_true", help="skip seed_demo")
        parser.add_argument(
            "--stop-timeout",
            type=float,
            default=15.0,
            help="seconds to wait after SIGTERM before SIGKILL (default 15)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["bind"] and options["port"]:
            raise CommandError("give --bind or --port, not both")
        bind = options["bind"] or f"127.0.0.1:{options['port'] or 8000}"
        _require_free(bind)

        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=1)
        if not options["no_seed"]:
            call_command("seed_demo")
        # The children open their own connections; don't hold a SQLite handle meanwhile.
        connections.close_all()

        self._stop_requested = False
        self._hurry = False
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

        python = [sys.executable, "-m"]
        commands = {
            "web": [
                *python,
                "gunicorn",
                "hrdcase.wsgi:application",
                "--config=python:hrdcase.gunicorn_conf",
                f"--bind={bind}",
                "--workers=2",
                "--threads=4",
                "--access-logfile=-",
                "--graceful-timeout=10",
                *_no_control_socket(),
            ],
            "worker": [
                *python,
                "celery",
                "-A",
                "hrdcase",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                # The default queue only: the urgent one has its own worker, below.
                f"--queues={settings.CELERY_TASK_DEFAULT_QUEUE}",
                "--hostname=default@%h",
            ],
            # Urgent alerts' deliveries and the escalation sweep (docs/alerts.md, "Queues"):
            # never behind a backlog of reminders on the default queue.
            "urgent": [
                *python,
                "celery",
                "-A",
                "hrdcase",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                f"--queues={settings.ALERTS_URGENT_QUEUE}",
                "--hostname=urgent@%h",
            ],
            "beat": [*python, "celery", "-A", "hrdcase", "beat", "--loglevel=INFO"],
        }
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        children: dict[str, subprocess.Popen[bytes]] = {}
        pumps: list[threading.Thread] = []
        for name, command in commands.items():
            child = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                process_group=0,
            )
            children[name] = child
            assert child.stdout is not None
            pump = threading.Thread(target=_pump, args=(name, child.stdout), daemon=True)
            pump.start()
            pumps.append(pump)

        self._banner(bind)
        failed: str | None = None
        while not self._stop_requested and failed is None:
            failed = next((n for n, c in children.items() if c.poll() is not None), None)
            time.sleep(0.2)

        if failed:
            self.stderr.write(f"{failed} exited with code {children[failed].returncode}")
        self.stdout.write("Stopping web, workers and beat...")
        self._stop(children, options["stop_timeout"])
        for pump in pumps:
            pump.join(timeout=2)
        if failed:
            raise CommandError(f"{failed} stopped unexpectedly; stopped the others too")
        self.stdout.write("Stopped.")

    def _on_signal(self, signum: int, frame: object) -> None:
        # A second Ctrl-C while stopping means "now": skip the grace period.
        self._hurry = self._stop_requested
        self._stop_requested = True

    def _stop(self, children: dict[str, subprocess.Popen[bytes]], timeout: float) -> None:
        for child in children.values():
            if child.poll() is None:
                with suppress(ProcessLookupError):
                    child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        self._stop_requested = True
        while time.monotonic() < deadline and not self._hurry:
            if all(child.poll() is not None for child in children.values()):
                break
            time.sleep(0.1)
        for name, child in children.items():
            if child.poll() is None:
                self.stderr.write(f"{name} did not stop in time: killing it")
            # Also reaps grandchildren (gunicorn workers, Celery pool processes) of a leader
            # that was killed or exited without them: each group is that child's own.
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()

    def _banner(self, bind: str) -> None:
        host, _, port = bind.rpartition(":")
        host = "127.0.0.1" if host in ("", "0.0.0.0", "[::]") else host  # noqa: S104
        url = f"http://{host}:{port}/" if port.isdigit() else bind
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        broker = str(settings.CELERY_BROKER_URL).split("://", 1)[0]
        line = "=" * 64
        self.stdout.write(
            f"\n{line}\n"
            f"  hrdcase is starting at {url}\n"
            f"  database: {database}   broker: {broker}   data: {settings.VAR_DIR}\n"
            f"  web (gunicorn), worker, urgent worker and beat (Celery) run below. Ctrl-C stops\n"
            f"  them all.\n"
            f"{line}\n"
        )
        self.stdout.flush()


def _require_free(bind: str) -> None:
    """Before migrating or seeding anything: a busy address is one clear line, not a
    gunicorn traceback after the demo data scrolled by."""
    host, _, port = bind.rpartition(":")
    if not port.isdigit():
        return  # a unix socket or a form gunicorn reads: gunicorn reports its own errors
    host = host.strip("[]") or "127.0.0.1"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except OSError as error:
            raise CommandError(
                f"{host}:{port} is busy ({error.strerror}): stop what runs there, or choose "
                f"another port: make run PORT={int(port) + 1}"
            ) from None


def _no_control_socket() -> list[str]:
    # gunicorn >= 25.1 opens a control socket at a fixed path in $HOME by default: two runs
    # (make run beside the integration test) would steal each other's, and nobody uses it.
    import gunicorn

    return ["--no-control-socket"] if gunicorn.version_info >= (25, 1) else []


_output_lock = threading.Lock()


def _pump(name: str, stream: IO[bytes]) -> None:
    """Copy a child's output to ours, each line prefixed with the child's name."""
    for raw in iter(stream.readline, b""):
        with _output_lock:
            sys.stdout.write(f"{name:<6} | {raw.decode(errors='replace')}")
            sys.stdout.flush()
    stream.close()
