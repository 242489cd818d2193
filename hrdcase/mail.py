"""The e-mail backend of the embedded mode (``make run``): one line per message on the
console, the whole message in ``var/mail/`` where its links can be opened.

Django's console backend printed every demo notification whole above the login table, so
the one thing a new user needs (how to sign in) scrolled away; a file-only backend would hide
the password-reset and invitation links a tester must follow."""

from __future__ import annotations

import itertools
import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

_counter = itertools.count(1)
_lock = threading.Lock()


class DevelopmentEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(settings.VAR_DIR) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            with _lock:  # the process id too: the worker's pool processes write side by side
                name = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{next(_counter):04d}.eml"
            path = folder / name
            path.write_bytes(message.message().as_bytes())
            recipients = ", ".join(message.recipients())
            # sys.__stdout__: in a Celery worker sys.stdout is a logger that adds its own prefix
            out = sys.__stdout__ or sys.stdout
            out.write(f'e-mail to {recipients}: "{message.subject}" ({path})\n')
            out.flush()
            sent += 1
        return sent
