"""Secrets for the embedded (DEBUG) mode, generated once into ``var/secrets.json``.

Production reads every key from the environment and refuses to start without them; the
embedded mode must work on a fresh machine with no configuration, so it makes its own keys
the first time and keeps them beside its SQLite database (losing the file means losing the
encrypted demo data, which is acceptable for demo data only).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path


def _new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def load_or_create(var_dir: Path) -> dict[str, str]:
    path = var_dir / "secrets.json"
    if path.exists():
        existing: dict[str, str] = json.loads(path.read_text())
        return existing
    var_dir.mkdir(parents=True, exist_ok=True)
    values = {
        "HRDCASE_SECRET_KEY": secrets.token_urlsafe(50),
        "HRDCASE_FIELD_KEYS": f"k1:{_new_key()}",
        "HRDCASE_BLIND_INDEX_KEY": _new_key(),
    }
    # O_EXCL: web, worker and beat start together; the first one writes, the others read.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        written: dict[str, str] = json.loads(path.read_text())
        return written
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    return values
