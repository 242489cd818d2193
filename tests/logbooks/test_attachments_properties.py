"""Property-based tests of the attachment content check: whatever bytes or archive arrive,
the answer is an accepted file or a refusal naming the field, never an exception (a 500) and
never an unbounded read."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logbooks.files import EXTENSIONS, CheckedFile, check_upload

NAMES = st.sampled_from(
    ["a.pdf", "a.txt", "a.odt", "a.docx", "a.png", "a.jpg", "a.exe", "", "x" * 300]
)
METHODS = st.sampled_from(
    [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
MEMBER_NAMES = st.sampled_from(
    ["mimetype", "[Content_Types].xml", "word/document.xml", "content.xml", "META-INF/x"]
) | st.text(min_size=1, max_size=12)


def _outcome(filename: str, data: bytes) -> CheckedFile | None:
    try:
        return check_upload(filename=filename, data=data)
    except ValidationError as error:
        assert set(error.message_dict) == {"file"}
        assert all(message.strip() for message in error.message_dict["file"])
        return None


@given(NAMES, st.binary(max_size=512))
def test_any_bytes_are_accepted_or_refused_naming_the_file(filename, data):
    checked = _outcome(filename, data)
    if checked is not None:
        assert checked.data == data
        assert checked.filename.lower().endswith(EXTENSIONS[checked.content_type])


@st.composite
def archives(draw) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in draw(st.lists(MEMBER_NAMES, max_size=4, unique=True)):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = draw(METHODS)
            content = draw(
                st.sampled_from([b"application/vnd.oasis.opendocument.text", b"<x/>"])
                | st.binary(max_size=64)
            )
            archive.writestr(info, content * draw(st.integers(min_value=1, max_value=2000)))
    data = bytearray(buffer.getvalue())
    # Damage: flip some bytes anywhere (headers, sizes, compressed streams).
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        if data:
            data[draw(st.integers(min_value=0, max_value=len(data) - 1))] = draw(
                st.integers(min_value=0, max_value=255)
            )
    return bytes(data)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(st.sampled_from(["a.odt", "a.docx", "a.zip"]), archives())
def test_any_archive_damaged_or_not_is_accepted_or_refused_naming_the_file(filename, data):
    checked = _outcome(filename, data)
    if checked is not None:
        assert checked.content_type in (
            "application/vnd.oasis.opendocument.text",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "text/plain",
        )
