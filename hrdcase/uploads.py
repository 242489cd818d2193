"""Uploaded files: bounded in size as they stream, held in memory, opened safely.

- ``BoundedMemoryUploadHandler`` (the only entry of ``FILE_UPLOAD_HANDLERS``) keeps every file
  of a request in memory, so an upload never sits in plaintext in a temporary file on disk
  (Django's default handler spools anything over 2.5 MB to ``/tmp`` before we encrypt it).
  It refuses a request whose Content-Length is over ``UPLOAD_MAX_BYTES`` before reading the
  file at all, and stops reading once the files received pass it: a worker holds at most
  ``UPLOAD_MAX_BYTES`` of upload, whatever the client sends. What it refused is left on the
  request (``refusal(request)``) for the view to answer 413 with the form and the message;
  the API's multipart parser (``hrdcase.parsers``) answers 413 itself.
- ``open_archive`` / ``read_member``: content checks of zip-based documents (ODT, DOCX, ...)
  check the members' declared sizes, ratios and compression methods before reading, and read
  a bounded number of bytes of a member: a 1 KB archive can declare, and decompress to,
  terabytes (a "zip bomb").
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from io import BytesIO, UnsupportedOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

#: room in a request for the multipart headers and the small fields beside the file (the
#: CSRF token): a request longer than the limit plus this cannot hold a file that fits.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def max_bytes() -> int:
    """The most bytes of files one request may upload (every file of it together)."""
    return int(settings.UPLOAD_MAX_BYTES)


@dataclass(frozen=True)
class UploadRefused:
    """An upload the handler stopped reading because it was too large."""

    field: str
    limit: int
    #: the size the client declared (Content-Length), when that is what gave it away
    declared: int | None = None

    @property
    def message(self) -> str:
        if self.declared is not None:
            return _(
                "The file is about %(size)s; files may be at most %(limit)s. Nothing was saved."
            ) % {"size": filesizeformat(self.declared), "limit": filesizeformat(self.limit)}
        return _("Files may be at most %(limit)s; this one is larger. Nothing was saved.") % {
            "limit": filesizeformat(self.limit)
        }


def refusal(request: Any) -> UploadRefused | None:
    """What the upload handler refused in this request (a Django or a DRF request), if any."""
    return getattr(request, "upload_refused", None)


def _actual_length(input_data: Any, declared: int) -> int:
    # As Django's MemoryFileUploadHandler: on ASGI the body may be a seekable spooled file
    # whose real size the Content-Length understates; on WSGI the stream enforces it.
    stream = getattr(input_data, "_stream", input_data)
    try:
        length: int = stream.seek(0, os.SEEK_END)
    except (UnsupportedOperation, AttributeError, OSError):
        return declared
    stream.seek(0)
    return max(declared, length)


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Every file in memory, the request refused past ``UPLOAD_MAX_BYTES`` (see the module)."""

    file: BytesIO

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = max_bytes()
        self.declared: int | None = None
        self.too_long = False
        self.received = 0
        # No ``file`` attribute until a file starts: Django closes ``handler.file`` whenever
        # the attribute exists when an upload stops.

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        # Django passes the boundary as bytes; django-stubs says str.
        boundary: bytes | str,
        encoding: str | None = None,
    ) -> None:
        self.limit = max_bytes()
        self.declared = _actual_length(input_data, content_length)
        # Not refused here: the fields before the file (the CSRF token comes first in our
        # forms) are still read, bounded by DATA_UPLOAD_MAX_MEMORY_SIZE, so the page can
        # answer with its form; the file itself is never read (new_file).
        self.too_long = self.declared > self.limit + MULTIPART_OVERHEAD_BYTES
        return None

    def _refuse(self, declared: int | None) -> None:
        if self.request is not None and refusal(self.request) is None:
            self.request.upload_refused = UploadRefused(  # type: ignore[attr-defined]
                field=str(self.field_name), limit=self.limit, declared=declared
            )

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        if self.too_long:
            self._refuse(self.declared)
            # connection_reset: Django does not read the rest of the body either.
            raise StopUpload(connection_reset=True)
        self.file = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            # Several files, or a multipart part longer than declared: stop holding them.
            # What is left of the body is at most MULTIPART_OVERHEAD_BYTES (Content-Length
            # was checked), so Django may read it to the end.
            self._refuse(None)
            raise StopUpload(connection_reset=False)
        self.file.write(raw_data)
        return None  # no later handler: the bytes stop here

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if not hasattr(self, "file"):  # pragma: no cover - Django completes started files only
            return None
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


# --- archives (zip-based documents) ------------------------------------------------------------

#: more parts than any document has (a DOCX or ODT has tens; hundreds with many images)
ARCHIVE_MAX_MEMBERS = 2000
#: what all members together may declare once unpacked
ARCHIVE_MAX_EXPANDED_BYTES = 256 * 1024 * 1024
#: how much more than its compressed size a member may declare (XML compresses 5 to 30
#: times, a page of repeated empty cells a few hundred; deflate's ceiling is ~1,030)
ARCHIVE_MAX_RATIO = 200
#: members this small are not checked for their ratio: whatever they declare is harmless
ARCHIVE_RATIO_FLOOR_BYTES = 1024 * 1024
#: the methods documents use; bzip2 and LZMA expand a few hundred bytes into gigabytes
#: between two reads of Python's zipfile, so they are refused before anything is read
ARCHIVE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)

_CENTRAL_DIRECTORY_SIGNATURE = b"PK\x01\x02"


class ArchiveRefused(ValueError):
    """An archive that does not fit the limits; ``message`` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def open_archive(data: bytes) -> zipfile.ZipFile:
    """``data`` as a zip archive whose members all fit the limits above.

    Raises ``zipfile.BadZipFile`` for what is not a zip archive and ``ArchiveRefused`` for one
    that does not fit. Only the central directory is read; no member is decompressed.
    """
    # Counted before zipfile builds one object per member: every member has one central
    # directory record starting with this signature (compressed bytes may hold it by chance,
    # which only errs towards a higher count).
    if data.count(_CENTRAL_DIRECTORY_SIGNATURE) > ARCHIVE_MAX_MEMBERS:
        raise ArchiveRefused(
            _("It has more than %(n)d parts; no document has.") % {"n": ARCHIVE_MAX_MEMBERS}
        )
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = archive.infolist()
    if len(members) > ARCHIVE_MAX_MEMBERS:  # pragma: no cover - the count above is higher
        raise ArchiveRefused(
            _("It has more than %(n)d parts; no document has.") % {"n": ARCHIVE_MAX_MEMBERS}
        )
    expanded = 0
    for member in members:
        if member.compress_type not in ARCHIVE_METHODS:
            raise ArchiveRefused(_("It is compressed with a method word processors do not use."))
        expanded += member.file_size
        if expanded > ARCHIVE_MAX_EXPANDED_BYTES:
            raise ArchiveRefused(
                _("It would unpack to more than %(size)s.")
                % {"size": filesizeformat(ARCHIVE_MAX_EXPANDED_BYTES)}
            )
        if (
            member.file_size > ARCHIVE_RATIO_FLOOR_BYTES
            and member.file_size > ARCHIVE_MAX_RATIO * max(member.compress_size, 1)
        ):
            raise ArchiveRefused(
                _("A part of it unpacks to more than %(ratio)d times its size.")
                % {"ratio": ARCHIVE_MAX_RATIO}
            )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of member ``name``, whatever it declares or really holds.

    zipfile decompresses deflate in steps bounded by the size asked for, so this allocates
    about ``limit`` bytes even for a member that would unpack to terabytes.
    """
    with archive.open(name) as member:
        return member.read(limit)
