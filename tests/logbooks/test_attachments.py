"""Attachments: type checked from the content, size limit, encrypted at rest, downloaded only
through the permission-checked view (same rule as the entry), audited."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from hrdcase.models import AuditEvent
from logbooks.models import Attachment, AttachmentContent
from logbooks.services.attachments import attachment_add
from tests.conftest import verified_client
from tests.factories import CaseFactory
from tests.logbooks.factories import EXPECTED, followed_case, log

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% court order of Mariela Quintero\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode"


def _zip(*members: tuple[str, str]) -> bytes:
    """A zip with fixed timestamps: the same bytes at every collection (pytest-xdist workers
    must collect identical parameters)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def _docx() -> bytes:
    return _zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"))


def _odt() -> bytes:
    return _zip(
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", "<office:document-content/>"),
    )


@pytest.fixture
def entry(org, officer):
    return log(CaseFactory(organisation=org), officer, "shared")


def _upload(client, entry, name, data):
    return client.post(
        f"/api/v1/entries/{entry.pk}/attachments/",
        {"file": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("order.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        ("notes.txt", "Audiencia aplazada — sí.".encode(), "text/plain"),
        (
            "brief.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("brief.odt", _odt(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_it_accepts_the_allowed_types_by_content(officer_client, entry, name, data, content_type):
    response = _upload(officer_client, entry, name, data)
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == content_type
    download = officer_client.get(response.json()["download_url"])
    assert download.content == data


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("order.pdf", EXE),  # an executable renamed .pdf
        ("photo.png", PDF),  # content and name disagree
        ("macro.docm", _docx()),
        ("archive.zip", _docx()[:30]),
        ("empty.txt", b""),
    ],
)
def test_it_refuses_disguised_or_unknown_files_and_writes_nothing(
    officer_client, entry, name, data
):
    response = _upload(officer_client, entry, name, data)
    assert response.status_code == 400
    assert "file" in response.json()
    assert not Attachment.objects.unscoped().exists()
    assert not AttachmentContent.objects.exists()


@override_settings(LOGBOOKS_ATTACHMENT_MAX_BYTES=1024)
def test_it_refuses_an_oversize_file_with_a_clear_message(officer_client, entry):
    response = _upload(officer_client, entry, "big.txt", b"a" * 1025)
    assert response.status_code == 413
    assert "at most 1.0" in response.json()["file"][0]
    assert not Attachment.objects.unscoped().exists()


def test_the_page_upload_shows_the_refusal(officer_client, entry):
    response = officer_client.post(
        reverse("logbooks:attachment_upload", args=[entry.pk]),
        {"file": SimpleUploadedFile("order.pdf", EXE)},
        follow=True,
    )
    assert "not accepted" in response.content.decode()
    assert not Attachment.objects.unscoped().exists()


def test_it_stores_the_bytes_encrypted(entry, officer):
    attachment = attachment_add(
        entry=entry, filename="Mariela_Quintero_order.pdf", data=PDF, acting_user=officer
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ciphertext FROM logbooks_attachmentcontent WHERE attachment_id = %s",
            [attachment.pk.hex],
        )
        (stored,) = cursor.fetchone()
        cursor.execute(
            "SELECT filename FROM logbooks_attachment WHERE id = %s", [attachment.pk.hex]
        )
        (stored_name,) = cursor.fetchone()
    stored = bytes(stored)
    assert stored != PDF
    assert b"Mariela" not in stored and b"%PDF" not in stored
    assert "Mariela" not in stored_name


def test_ciphertext_copied_to_another_attachment_does_not_decrypt(entry, officer):
    from hrdcase.crypto import DecryptionError
    from logbooks.files import open_sealed

    one = attachment_add(entry=entry, filename="a.pdf", data=PDF, acting_user=officer)
    two = attachment_add(entry=entry, filename="b.pdf", data=PDF, acting_user=officer)
    content = AttachmentContent.objects.get(attachment=one)
    with pytest.raises(DecryptionError):
        open_sealed(
            attachment_pk=two.pk,
            sha256=two.sha256,
            kid=content.key_id,
            nonce=content.nonce,
            ciphertext=content.ciphertext,
        )


def test_the_download_is_an_audited_attachment_with_nosniff(officer_client, entry, officer):
    attachment = attachment_add(entry=entry, filename="order.pdf", data=PDF, acting_user=officer)
    response = officer_client.get(reverse("logbooks:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="order.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response.content == PDF
    assert AuditEvent.objects.filter(
        action="logbooks.attachment_download", target_id=str(attachment.pk)
    ).exists()


#: what keeps a download from running as a page of ours (logbooks/files.py)
DOWNLOAD_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "X-Content-Type-Options",
    "Content-Security-Policy",
    "Cache-Control",
)


def test_the_page_and_the_api_hand_a_document_out_with_the_same_headers(
    officer_client, entry, officer
):
    """One response for both routes: the API's download had lost the page's sandbox."""
    attachment = attachment_add(
        entry=entry, filename='court "order"; Quintero é.pdf', data=PDF, acting_user=officer
    )
    page = officer_client.get(reverse("logbooks:attachment_download", args=[attachment.pk]))
    api = officer_client.get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert (page.status_code, api.status_code) == (200, 200)
    assert page.content == api.content == PDF
    assert {name: page[name] for name in DOWNLOAD_HEADERS} == {
        name: api[name] for name in DOWNLOAD_HEADERS
    }
    assert api["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert api["Content-Disposition"] == (
        'attachment; filename="court__order___Quintero__.pdf"; '
        "filename*=UTF-8''court%20%22order%22%3B%20Quintero%20%C3%A9.pdf"
    )


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("entry_key", ["owner_internal", "owner_shared", "full_internal"])
def test_attachments_follow_the_entry_visibility(db, who, entry_key):
    followed = followed_case()
    entry = followed.entries[entry_key]
    author = followed.owner if entry_key.startswith("owner") else followed.full
    attachment = attachment_add(entry=entry, filename="x.pdf", data=PDF, acting_user=author)
    client = verified_client(getattr(followed, who))
    expected = 200 if entry_key in EXPECTED[who] else 404
    page = client.get(reverse("logbooks:attachment_download", args=[attachment.pk]))
    api = client.get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert (page.status_code, api.status_code) == (expected, expected)
    if expected == 404:
        assert PDF not in page.content


def test_only_the_author_organisation_attaches(db):
    followed = followed_case()
    entry = followed.entries["owner_shared"]
    client = verified_client(followed.full)
    assert _upload(client, entry, "x.pdf", PDF).status_code == 403
    page = client.post(
        reverse("logbooks:attachment_upload", args=[entry.pk]),
        {"file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert page.status_code == 404
    assert not Attachment.objects.unscoped().exists()


@override_settings(LOGBOOKS_ATTACHMENT_MAX_BYTES=1024)
def test_the_page_refuses_an_oversize_file_before_reading_it(officer_client, entry):
    response = officer_client.post(
        reverse("logbooks:attachment_upload", args=[entry.pk]),
        {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"a" * 2000)},
        follow=True,
    )
    assert "attachments may be at most" in response.content.decode()
    assert not Attachment.objects.unscoped().exists()
