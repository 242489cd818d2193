"""Upload limits: a 919-byte ODT made a web worker allocate 1.5 GB (its ``mimetype`` read
whole), the size limit was the form's only, and an upload over 2.5 MB sat in plaintext in a
temporary file before we encrypted it. Now archives are checked before anything is unpacked
and read a bounded number of bytes, a request too large is refused as it streams (413), and
every file stays in memory."""

from __future__ import annotations

import functools
import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from hrdcase.models import AuditEvent
from hrdcase.uploads import MULTIPART_OVERHEAD_BYTES
from logbooks.files import check_upload
from logbooks.models import Attachment, AttachmentContent
from tests.factories import CaseFactory
from tests.logbooks.factories import log

ODT_TYPE = b"application/vnd.oasis.opendocument.text"
MB = 1024 * 1024


def _member(name: str, method: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # same bytes every run
    info.compress_type = method
    return info


@functools.cache
def bomb(method: int = zipfile.ZIP_DEFLATED, megabytes: int = 200) -> bytes:
    """An ODT whose ``mimetype`` unpacks to ``megabytes`` of zeros: ~200 KB deflated (ratio
    ~1,000), a few hundred bytes with bzip2. Written by streaming, never held whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        with archive.open(_member("mimetype", method), "w") as member:
            chunk = bytes(MB)
            for _ in range(megabytes):
                member.write(chunk)
        archive.writestr(_member("content.xml"), "<office:document-content/>")
    return buffer.getvalue()


def odt(mimetype: bytes = ODT_TYPE) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_member("mimetype", zipfile.ZIP_STORED), mimetype)
        archive.writestr(_member("content.xml"), "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def entry(db, org, officer):
    return log(CaseFactory(organisation=org), officer, "shared")


def _api(client, entry, name: str, data: bytes):
    return client.post(
        f"/api/v1/entries/{entry.pk}/attachments/", {"file": SimpleUploadedFile(name, data)}
    )


def _page(client, entry, name: str, data: bytes):
    return client.post(
        reverse("logbooks:attachment_upload", args=[entry.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def _assert_nothing_written() -> None:
    assert not Attachment.objects.unscoped().exists()
    assert not AttachmentContent.objects.exists()
    assert not AuditEvent.objects.filter(action="logbooks.attachment_add").exists()


# --- zip bombs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "reason"),
    [
        (zipfile.ZIP_DEFLATED, "unpacks to more than 200 times its size"),
        (zipfile.ZIP_BZIP2, "compressed with a method word processors do not use"),
    ],
    ids=["deflate", "bzip2"],
)
def test_the_api_refuses_a_zip_bomb_and_writes_nothing(officer_client, entry, method, reason):
    response = _api(officer_client, entry, "minutes.odt", bomb(method))
    assert response.status_code == 400
    message = response.json()["file"][0]
    assert "This document was refused" in message and reason in message
    _assert_nothing_written()


def test_the_page_refuses_a_zip_bomb_with_the_form_and_its_message(officer_client, entry):
    response = _page(officer_client, entry, "minutes.odt", bomb(zipfile.ZIP_BZIP2))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This document was refused" in page
    assert 'id="id_file_error"' in page  # next to the field, in the re-rendered form
    _assert_nothing_written()


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
def test_checking_a_bomb_takes_a_few_kilobytes_not_its_unpacked_size(method):
    data = bomb(method)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            check_upload(filename="minutes.odt", data=data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MB, f"peak {peak} bytes"


def test_a_member_that_lies_about_its_size_is_read_only_a_few_bytes():
    # The central directory says 39 bytes (every limit passes) but the deflate stream holds
    # 200 MB: zipfile would unpack it all before cutting it to size. Only the first bytes are
    # unpacked; they are not an ODT's type, so the file is refused as unknown.
    data = _declare_size(bomb(), "mimetype", size=39)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="not accepted"):
            check_upload(filename="minutes.odt", data=data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MB, f"peak {peak} bytes"


def _declare_size(data: bytes, name: str, *, size: int) -> bytes:
    """``data`` with member ``name``'s uncompressed size in its central directory record
    (what zipfile believes) rewritten to ``size``."""
    record = data.index(b"PK\x01\x02")
    while data[record + 46 : record + 46 + len(name)] != name.encode():
        record = data.index(b"PK\x01\x02", record + 4)
    patched = bytearray(data)
    patched[record + 24 : record + 28] = size.to_bytes(4, "little")
    return bytes(patched)


def test_an_archive_of_too_many_parts_is_refused_unopened(officer_client, entry):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_member("mimetype", zipfile.ZIP_STORED), ODT_TYPE)
        for n in range(2001):
            archive.writestr(_member(f"p/{n}", zipfile.ZIP_STORED), b"")
    response = _api(officer_client, entry, "minutes.odt", buffer.getvalue())
    assert response.status_code == 400
    assert "more than 2000 parts" in response.json()["file"][0]
    _assert_nothing_written()


def test_a_real_odt_is_still_accepted(officer_client, entry):
    response = _api(officer_client, entry, "minutes.odt", odt())
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == ODT_TYPE.decode()


# --- the size limit, enforced as the request streams ---------------------------------------------

LIMIT = 100 * 1024


@override_settings(UPLOAD_MAX_BYTES=LIMIT, LOGBOOKS_ATTACHMENT_MAX_BYTES=LIMIT)
@pytest.mark.parametrize(
    "size",
    [LIMIT + MULTIPART_OVERHEAD_BYTES + 1, LIMIT + 1],
    ids=["content-length-over", "stream-over"],
)
def test_the_api_answers_413_naming_the_field_and_writes_nothing(officer_client, entry, size):
    response = _api(officer_client, entry, "notes.txt", b"a" * size)
    assert response.status_code == 413
    message = response.json()["file"][0]
    assert "may be at most 100.0\xa0KB" in message
    _assert_nothing_written()


@override_settings(UPLOAD_MAX_BYTES=LIMIT, LOGBOOKS_ATTACHMENT_MAX_BYTES=LIMIT)
@pytest.mark.parametrize(
    "size",
    [LIMIT + MULTIPART_OVERHEAD_BYTES + 1, LIMIT + 1],
    ids=["content-length-over", "stream-over"],
)
def test_the_page_answers_413_with_the_form_and_the_message(officer_client, entry, size):
    response = _page(officer_client, entry, "notes.txt", b"a" * size)
    assert response.status_code == 413
    page = response.content.decode()
    assert "may be at most 100.0\xa0KB" in page
    assert 'id="id_file_error"' in page
    _assert_nothing_written()


@override_settings(UPLOAD_MAX_BYTES=10 * MB, LOGBOOKS_ATTACHMENT_MAX_BYTES=1024)
def test_the_attachment_limit_below_the_upload_limit_also_answers_413(officer_client, entry):
    api = _api(officer_client, entry, "notes.txt", b"a" * 1025)
    assert api.status_code == 413
    assert "attachments may be at most 1.0\xa0KB" in api.json()["file"][0]
    page = _page(officer_client, entry, "notes.txt", b"a" * 1025)
    assert page.status_code == 413
    assert "attachments may be at most 1.0\xa0KB" in page.content.decode()
    _assert_nothing_written()


def test_the_page_answers_400_with_the_form_for_a_refused_type(officer_client, entry):
    response = _page(officer_client, entry, "order.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    _assert_nothing_written()


@override_settings(UPLOAD_MAX_BYTES=LIMIT)
def test_a_request_too_long_is_refused_without_reading_the_file(rf_multipart):
    """The Content-Length says the request cannot fit: the fields before the file (the CSRF
    token) are read, the file is not."""
    body, request = rf_multipart(b"a" * (4 * LIMIT))
    assert request.POST["csrfmiddlewaretoken"] == "token"
    assert "file" not in request.FILES
    assert request.upload_refused.field == "file"
    assert request.META["wsgi.input"].consumed < LIMIT
    assert len(body) > 4 * LIMIT


@pytest.fixture
def rf_multipart():
    from django.core.handlers.wsgi import WSGIRequest
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, RequestFactory, encode_multipart

    class CountingInput(io.BytesIO):
        consumed = 0

        def read(self, size=-1):
            data = super().read(size)
            self.consumed += len(data)
            return data

        def readline(self, size=-1):
            data = super().readline(size)
            self.consumed += len(data)
            return data

    def build(data: bytes):
        body = encode_multipart(
            BOUNDARY,
            {"csrfmiddlewaretoken": "token", "file": SimpleUploadedFile("notes.txt", data)},
        )
        environ = RequestFactory()._base_environ(
            REQUEST_METHOD="POST",
            CONTENT_TYPE=MULTIPART_CONTENT,
            CONTENT_LENGTH=str(len(body)),
            PATH_INFO="/",
        )
        environ["wsgi.input"] = CountingInput(body)
        return body, WSGIRequest(environ)

    return build


# --- never on disk in plaintext ------------------------------------------------------------------


def test_a_large_upload_never_goes_to_a_temporary_file(officer_client, entry, tmp_path):
    # Django's default handlers write anything over 2.5 MB to FILE_UPLOAD_TEMP_DIR before the
    # view runs; pointing that at a directory that does not exist makes any such write fail.
    data = b"%PDF-1.4\n" + b"0" * (3 * MB)
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(tmp_path / "absent")):
        response = _api(officer_client, entry, "order.pdf", data)
    assert response.status_code == 201, response.content
    assert not (tmp_path / "absent").exists()
    download = officer_client.get(response.json()["download_url"])
    assert download.content == data


@pytest.mark.django_db
def test_the_attachment_form_states_the_limit_in_force(settings):
    from logbooks.forms.attachments import AttachmentForm

    settings.LOGBOOKS_ATTACHMENT_MAX_BYTES = 4 * 1024 * 1024
    assert "at most 4 MB" in str(AttachmentForm().fields["file"].help_text)
