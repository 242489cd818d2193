"""Attachment bytes: what types are accepted (by their content, not their name), their
encryption at rest with the field key ring of ``hrdcase.crypto``, and the one response that
hands them out (the page and the API download alike).

Zip-based documents (ODT, DOCX) are opened through ``hrdcase.uploads.open_archive``, which
refuses archives that declare too much or compress too well before anything is unpacked, and
read a bounded number of bytes of a member: a 919-byte ODT once made a worker allocate 1.5 GB
reading its ``mimetype``.

The bytes are sealed with AES-GCM under the active field key; the associated data binds them
to the attachment row (``logbooks.attachment.<pk>``), its key id and its plaintext SHA-256,
so ciphertext copied onto another attachment fails to decrypt, as an encrypted field would.

A download is always a sandboxed attachment, never content the browser renders in our origin:
a document with scripts (a PDF's JavaScript, a text file a browser would sniff as HTML) must
not run as a page of the signed-in user, whichever route (page or API) handed it out.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from hrdcase import crypto, uploads
from hrdcase.crypto import DecryptionError

if TYPE_CHECKING:
    from logbooks.models import Attachment

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


#: an ODT's ``mimetype`` member holds its 39-byte type name; more is not an ODT
_MIMETYPE_READ_BYTES = 256

# Control characters other than tab/newline/carriage return/form feed mean "binary". Searched
# in the bytes (UTF-8 encodes them as themselves), not character by character in Python, which
# took a second for 10 MB.
_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")


def max_bytes() -> int:
    return int(getattr(settings, "LOGBOOKS_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


class FileTooLarge(ValidationError):
    """The file is over the size limit (the API and the page answer 413, not 400)."""


def _is_plain_text(data: bytes) -> bool:
    if _BINARY_CONTROL.search(data):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _archive_refused(reason: str) -> ValidationError:
    return ValidationError(
        {
            "file": _(
                "This document was refused: %(reason)s Save it again from your word "
                "processor, or as a PDF."
            )
            % {"reason": reason}
        }
    )


def _zip_kind(data: bytes) -> str | None:
    try:
        archive = uploads.open_archive(data)
    except uploads.ArchiveRefused as refused:
        raise _archive_refused(refused.message) from None
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    with archive:
        names = set(archive.namelist())
        try:
            if (
                "mimetype" in names
                and uploads.read_member(archive, "mimetype", _MIMETYPE_READ_BYTES).strip()
                == ODT.encode()
            ):
                return ODT
        except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, ValueError, EOFError):
            return None  # damaged or encrypted: not a document we can vouch for
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return DOCX
    return None


def sniff(data: bytes) -> str | None:
    """The accepted type these bytes are, from their content; None for anything else.

    Raises ValidationError({"file": ...}) for an archive refused unopened (see the module)."""
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


def _too_big(size: int, limit: int) -> FileTooLarge:
    return FileTooLarge(
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


def content_disposition(filename: str) -> str:
    """``attachment`` with the name as ASCII (quotes, backslashes, semicolons and controls
    replaced) and in full as RFC 5987 UTF-8."""
    ascii_name = "".join(ch if 32 < ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def attachment_response(attachment: Attachment, data: bytes) -> HttpResponse:
    """The decrypted bytes of ``attachment`` as a download: saved, never shown in our origin
    (the module docstring), its stored type not second-guessed by the browser."""
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
