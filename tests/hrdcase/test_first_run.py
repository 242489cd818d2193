"""The first run (issue 23, item 7): ``make run PORT=...``, a busy port reported before
anything happens, and the embedded mode's e-mails one line each."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def busy_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_a_busy_port_stops_the_run_before_migrating_anything(busy_port, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HRDCASE_DEBUG": "1",
        "HRDCASE_VAR_DIR": str(tmp_path / "var"),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "run_embedded", "--port", str(busy_port)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [
        f"CommandError: 127.0.0.1:{busy_port} is busy (Address already in use): stop what "
        f"runs there, or choose another port: make run PORT={busy_port + 1}"
    ]
    assert done.stdout == ""  # no migration, no demo data, nothing started
    assert not (tmp_path / "var" / "hrdcase.sqlite3").exists()


def test_bind_and_port_together_are_refused(db):
    with pytest.raises(CommandError, match="not both"):
        call_command("run_embedded", bind="127.0.0.1:1", port=2)


def test_make_run_passes_the_port():
    makefile = (BASE_DIR / "Makefile").read_text()
    assert "run_embedded $(if $(PORT),--port $(PORT))" in makefile


def test_the_embedded_mode_prints_one_line_per_e_mail_and_keeps_it_whole(settings, tmp_path, capfd):
    settings.EMAIL_BACKEND = "hrdcase.mail.DevelopmentEmailBackend"
    settings.VAR_DIR = tmp_path
    mail.send_mail(
        "Urgent alert raised",
        "A long body\nwith a link: https://example.test/alerts/1/\n" * 20,
        "hrdcase <noreply@localhost>",
        ["ana.officer@demo.hrdcase.test"],
    )
    mail.send_mail("Second", "Body", None, ["ana.officer@demo.hrdcase.test"])
    out = [line for line in capfd.readouterr().out.splitlines() if line.startswith("e-mail")]
    assert len(out) == 2
    assert out[0].startswith('e-mail to ana.officer@demo.hrdcase.test: "Urgent alert raised" (')
    saved = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(saved) == 2 and "https://example.test/alerts/1/" in saved[0].read_text()
    # the process id in the name: a worker's pool processes never write the same file
    assert all(f"-{os.getpid()}-" in path.name for path in saved)
