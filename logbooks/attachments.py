"""Attachment bytes: what types are accepted (by their content, not their name), and their
encryption at rest with the field key ring of ``hrdcase.crypto``.

The bytes are sealed with AES-GCM under the active field key; the associated data binds them
to the attachment row (``logbooks.attachment.<pk>``), its key id and its plaintext SHA-256,
so ciphertext copied onto another attachment fails to decrypt, as an encrypted field would.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from hrdcase import crypto
from hrdcase.crypto import DecryptionError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TEXT = "text/plain"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: accepted type -> the file name endings that go with it
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    TEXT: (".txt", ".text", ".md", ".csv"),
    ODT: (".odt",),
    DOCX: (".docx",),
}

ACCEPT_ATTRIBUTE = ",".join(ext for exts in EXTENSIONS.values() for ext in exts)


def max_bytes() -> int:
    return int(getattr(settings, "LOGBOOKS_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Control characters other than tab/newline/carriage return/form feed mean "binary".
    return not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text)


def _zip_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
            return ODT
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return DOCX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def sniff(data: bytes) -> str | None:
    """The accepted type these bytes are, from their content; None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if _is_plain_text(data):
        return TEXT
    return None


def _too_big(size: int, limit: int) -> ValidationError:
    return ValidationError(
        {
            "file": _("The file is %(size)s; attachments may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        }
    )


def check_declared_size(size: int | None) -> None:
    """Refuse an upload by its size before its bytes are read into memory."""
    limit = max_bytes()
    if size is not None and size > limit:
        raise _too_big(size, limit)


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    data: bytes
    sha256: str


def check_upload(*, filename: str, data: bytes) -> CheckedFile:
    """Validate an upload; ValidationError({"file": ...}) with a message the user can act on."""
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    if not name or len(name) > 255:
        raise ValidationError({"file": _("Give the file a name of at most 255 characters.")})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    limit = max_bytes()
    if len(data) > limit:
        raise _too_big(len(data), limit)
    kind = sniff(data)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "This kind of file is not accepted. Attach a PDF, JPEG or PNG image, plain "
                    "text, or an ODT or DOCX document."
                )
            }
        )
    if not name.lower().endswith(EXTENSIONS[kind]):
        # A name that says one thing and content that says another is how executables and
        # macro documents get opened by mistake: refuse rather than rename.
        raise ValidationError(
            {
                "file": _(
                    "The file's name does not match its content (the content is %(kind)s). "
                    "Rename it with the right ending or attach the original."
                )
                % {"kind": kind}
            }
        )
    return CheckedFile(
        filename=name, content_type=kind, data=data, sha256=hashlib.sha256(data).hexdigest()
    )


def _aad(attachment_pk, kid: str, sha256: str) -> bytes:
    return f"hrdcase.logbooks.attachment.v1\x00{kid}\x00{attachment_pk}\x00{sha256}".encode()


def seal(*, attachment_pk, sha256: str, data: bytes) -> tuple[str, bytes, bytes]:
    """(key id, nonce, ciphertext) of ``data`` for one attachment row."""
    ring = crypto.get_key_ring()
    kid = ring.active_kid
    nonce = os.urandom(crypto.NONCE_BYTES)
    sealed = ring.key(kid).encrypt(nonce, data, _aad(attachment_pk, kid, sha256))
    return kid, nonce, sealed


def open_sealed(*, attachment_pk, sha256: str, kid: str, nonce: bytes, ciphertext: bytes) -> bytes:
    key = crypto.get_key_ring().key(kid)
    try:
        data = key.decrypt(bytes(nonce), bytes(ciphertext), _aad(attachment_pk, kid, sha256))
    except InvalidTag:
        raise DecryptionError(
            f"attachment {attachment_pk}: authentication failed with key {kid!r}"
        ) from None
    if hashlib.sha256(data).hexdigest() != sha256:  # pragma: no cover - bound by the AAD
        raise DecryptionError(f"attachment {attachment_pk}: checksum mismatch")
    return data
