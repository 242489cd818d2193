"""The upload handler holds files in memory and stops at the limit, however the body is cut
into chunks (property-based), and the archive opener refuses before reading."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from hrdcase import uploads


@given(
    limit=st.integers(min_value=1, max_value=64),
    chunks=st.lists(st.binary(min_size=1, max_size=20), max_size=10),
)
def test_the_handler_keeps_a_file_that_fits_and_refuses_one_that_does_not(limit, chunks):
    request = RequestFactory().post("/")
    with override_settings(UPLOAD_MAX_BYTES=limit):
        handler = uploads.BoundedMemoryUploadHandler(request)
        total = sum(map(len, chunks))
        handler.handle_raw_input(None, {}, total, b"boundary")
        handler.new_file("file", "notes.txt", "text/plain", total)
        start = 0
        try:
            for chunk in chunks:
                assert handler.receive_data_chunk(chunk, start) is None  # no later handler
                start += len(chunk)
        except StopUpload:
            assert total > limit
            refused = uploads.refusal(request)
            assert refused is not None and refused.field == "file" and refused.limit == limit
            return
    assert total <= limit
    assert uploads.refusal(request) is None
    uploaded = handler.file_complete(total)
    assert uploaded.read() == b"".join(chunks)
    assert not hasattr(uploaded, "temporary_file_path")  # in memory, not on disk


def test_a_request_declaring_too_much_is_refused_before_the_file():
    request = RequestFactory().post("/")
    with override_settings(UPLOAD_MAX_BYTES=1000):
        handler = uploads.BoundedMemoryUploadHandler(request)
        handler.handle_raw_input(None, {}, 1000 + uploads.MULTIPART_OVERHEAD_BYTES + 1, b"b")
        with pytest.raises(StopUpload) as stop:
            handler.new_file("file", "notes.txt", "text/plain", None)
    assert stop.value.connection_reset  # Django does not read the rest of the body either
    assert uploads.refusal(request).declared == 1000 + uploads.MULTIPART_OVERHEAD_BYTES + 1


def _zip(*members: tuple[str, bytes, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def test_read_member_reads_at_most_what_it_is_asked():
    data = _zip(("big", bytes(5 * 1024 * 1024), zipfile.ZIP_STORED))
    archive = uploads.open_archive(data)
    assert uploads.read_member(archive, "big", 100) == bytes(100)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_methods_documents_do_not_use_are_refused(method):
    with pytest.raises(uploads.ArchiveRefused, match="method"):
        uploads.open_archive(_zip(("a", b"x", method)))


def test_a_ratio_or_total_beyond_any_document_is_refused():
    with pytest.raises(uploads.ArchiveRefused, match="times its size"):
        uploads.open_archive(_zip(("a", bytes(2 * 1024 * 1024), zipfile.ZIP_DEFLATED)))
    # Under the ratio floor, a very compressible part is fine (an empty table, a blank page).
    assert uploads.open_archive(_zip(("a", bytes(512 * 1024), zipfile.ZIP_DEFLATED)))
