"""Attachments through the service: checked by content and size, added only by those who may."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from suggestions.models import Attachment, Suggestion
from suggestions.services.attachments import attachment_add
from suggestions.workflow import ActionNotPermitted


# --- attachments -----------------------------------------------------------------------------
def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("现场.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
        ("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "image/png"),
        ("说明.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("情况.txt", "路灯不亮".encode(), "text/plain"),
    ],
)
def test_attachments_of_allowed_types_are_stored_with_their_real_type(world, name, content, content_type):
    suggestion = world.submit(attachments=[SimpleUploadedFile(name, content, content_type="application/x-anything")])
    attachment = suggestion.attachments.get()
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert name not in attachment.file.name  # the stored name is random
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 20),  # an executable renamed
        ("压缩包.docx", _zip()),  # a zip that is not a Word file
        ("二进制.txt", b"abc\x00def"),
        ("空.txt", b""),
    ],
)
def test_attachments_are_checked_by_content_not_by_name(world, name, content):
    with pytest.raises(ValidationError):
        world.submit(attachments=[SimpleUploadedFile(name, content, content_type="application/pdf")])
    assert not Suggestion.objects.exists() and not Attachment.objects.exists()


def test_attachments_over_the_size_limit_are_refused(world, settings):
    settings.LIAISON = {**settings.LIAISON, "ATTACHMENT_MAX_BYTES": 100}
    suggestion = world.submit()
    with pytest.raises(ValidationError):
        attachment_add(suggestion=suggestion, by=world.staff,
                                file=SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * 200))
    attachment_add(suggestion=suggestion, by=world.staff, file=SimpleUploadedFile("小.pdf", b"%PDF-1"))
    assert suggestion.attachments.count() == 1


def test_only_staff_deputies_or_the_submitter_add_attachments(world):
    suggestion = world.submit()
    with pytest.raises(ActionNotPermitted):
        attachment_add(suggestion=suggestion, by=world.officer, file=SimpleUploadedFile("a.txt", b"x"))
    attachment_add(suggestion=suggestion, by=world.deputy_user, file=SimpleUploadedFile("a.txt", b"x"))
