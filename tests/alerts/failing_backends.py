"""E-mail backends for tests of the pipeline (loaded by dotted path, like a real one)."""

from __future__ import annotations

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

#: the SMTP server is "down" while this is true (unit tests flip it).
DOWN = {"value": False}


class FlakySMTPBackend(LocmemBackend):
    def send_messages(self, messages):
        if DOWN["value"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


#: address -> the error the "mail server" answers for it (unit tests fill it).
REFUSED: dict[str, Exception] = {}


class RefusingBackend(LocmemBackend):
    """A server that refuses some recipients and accepts the others, one message at a time
    (Django sends one message per notification)."""

    def send_messages(self, messages):
        for message in messages:
            for address in message.recipients():
                if address in REFUSED:
                    raise REFUSED[address]
        return super().send_messages(messages)


class SlowFileBackend(FileBackend):
    """Writes each message to its own file in EMAIL_FILE_PATH, after sleeping
    ``HRDCASE_TEST_SEND_DELAY`` seconds when the marker file ``slow`` exists there: the
    integration test kills the worker during that sleep. The addresses listed in the file
    ``refuse`` there (one a line) are refused, as a server rejects a recipient."""

    def send_messages(self, messages):
        folder = Path(self.file_path)
        refuse = folder / "refuse"
        refused = set(refuse.read_text().split()) if refuse.exists() else set()
        for message in messages:
            for address in set(message.recipients()) & refused:
                raise smtplib.SMTPRecipientsRefused({address: (550, b"mailbox unavailable")})
        if (folder / "slow").exists():
            (folder / "sending").touch()
            time.sleep(float(os.environ.get("HRDCASE_TEST_SEND_DELAY", "30")))
        sent = 0
        for message in messages:
            path = folder / f"{time.time_ns()}-{os.getpid()}.eml"
            # written aside then renamed: a test polling the folder never reads half an e-mail
            partial = path.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            partial.replace(path)
            sent += 1
        return sent


class NullBackend(BaseEmailBackend):
    def send_messages(self, messages):
        return len(messages)
