"""Attachments: the content check (sniffing) and adding a file to a suggestion."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liaison.models import User
from liaison.text import strip_unprintable
from suggestions import workflow
from suggestions.conf import setting
from suggestions.models import (
    SIGNED_ASSIGNMENT_STATUSES,
    Assignment,
    Attachment,
    Status,
    Suggestion,
)

from .events import _lock

S = Status


# --- attachments ----------------------------------------------------------------------------
# Content sniffing: the declared type and the file name are the sender's claims, the bytes
# are not. Office files are ZIP containers; the member that says which kind is checked too.
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
}


def attachment_sniff(uploaded) -> str:
    """The file's real type (a key of ATTACHMENT_TYPES), from its content; ValidationError otherwise."""
    max_bytes = int(setting("ATTACHMENT_MAX_BYTES"))
    size = uploaded.size
    if size is None or size > max_bytes:
        raise ValidationError(
            {"file": _("附件不能超过 %(mb).1f MB。") % {"mb": max_bytes / 1024 / 1024}}
        )
    if size == 0:
        raise ValidationError({"file": _("附件是空文件。")})
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            kind = "docx"
        elif "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            kind = "xlsx"
    else:
        data = uploaded.read()
        uploaded.seek(0)
        if b"\x00" not in data:
            for encoding in ("utf-8", "gb18030"):
                try:
                    data.decode(encoding)
                except UnicodeDecodeError:
                    continue
                kind = "txt"
                break
    if kind is None:
        raise ValidationError({"file": _("只能上传 PDF、JPG、PNG、Word（docx）、Excel（xlsx）或文本文件。")})
    return kind


def _attach(
    suggestion: Suggestion, uploaded, by: User | None, assignment: Assignment | None = None, kind: str | None = None
) -> Attachment:
    kind = kind or attachment_sniff(uploaded)
    original = strip_unprintable(getattr(uploaded, "name", "") or "").rsplit("/", 1)[-1][:200] or f"附件.{kind}"
    attachment = Attachment(
        suggestion=suggestion,
        assignment=assignment,
        original_name=original,
        content_type=ATTACHMENT_TYPES[kind],
        size=uploaded.size,
        uploaded_by=by if by is not None and by.pk else None,
    )
    base = original.rsplit(".", 1)[0] if "." in original else original
    attachment.file.save(f"{base}.{kind}", uploaded, save=False)
    attachment.save()
    return attachment


def _officer_assignment(suggestion: Suggestion, by: User) -> Assignment | None:
    """The assignment `by` works on as an officer of a unit that signed or answered it (lead first)."""
    if not getattr(by, "is_authenticated", False) or not by.is_active:
        return None
    return (
        Assignment.objects.filter(
            suggestion=suggestion, unit__officers=by, status__in=SIGNED_ASSIGNMENT_STATUSES
        )
        .order_by("-role", "pk")  # "lead" sorts after "co"
        .first()
    )


@transaction.atomic
def attachment_add(*, suggestion: Suggestion, by: User, file) -> Attachment:
    """Attach a file to a suggestion: staff of its region, its deputies, whoever entered it, or
    an officer of a unit that has signed or answered its assignment (a reply document, 答复函,
    linked to that assignment too)."""
    suggestion = _lock(suggestion)
    caps = workflow.capacities(by, suggestion)
    assignment = _officer_assignment(suggestion, by)
    if not (
        caps & {workflow.STAFF, workflow.DEPUTY}
        or (by.pk and suggestion.submitted_by_id == by.pk)
        or assignment is not None
    ):
        raise workflow.ActionNotPermitted(_("您无权为此事项上传附件。"))
    if suggestion.status in (S.CLOSED, S.DECLINED, S.MERGED):
        raise workflow.InvalidTransition(_("已办结、不予受理或已并案的事项不能再上传附件。"))
    return _attach(suggestion, file, by, assignment=assignment)
