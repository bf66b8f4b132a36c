"""Duty activities (履职活动) a deputy registers themself (西岗: 由代表个人如实填写) and staff in
scope confirm or return with a reason; only confirmed ones score (suggestions/duty.py).

Every write here is one atomic function that checks who may make it: a deputy registers only
their own activity; staff confirm or return only activities of their region's subtree, and only
while pending.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from deputies.models import ActivityFile, ActivityKind, ActivityStatus, Deputy, DutyActivity
from liaison.errors import Conflict, DomainError
from liaison.models import Role
from liaison.scoping import in_scope
from liaison.text import clean_text, strip_unprintable

MAX_FILES = 9
MAX_FILE_BYTES = 10 * 1024 * 1024


class NotPermitted(DomainError):
    status_code = 403
    code = "permission_denied"
    default_message = gettext_lazy("您无权进行此操作。")


def may_review(user, activity: DutyActivity) -> bool:
    """Staff (or a superuser) whose region contains the activity's."""
    if user.is_superuser:
        return True
    return user.role == Role.STAFF and in_scope(user, activity.region_id)


def _sniff(uploaded) -> tuple[str, str]:
    """The file's real type, from its bytes: a JPEG, PNG or WebP photo, or a PDF."""
    size = uploaded.size or 0
    if size == 0 or size > MAX_FILE_BYTES:
        raise ValidationError({"files": _("每个文件须小于 10 MB 且不能为空。")})
    uploaded.seek(0)
    head = uploaded.read(5)
    uploaded.seek(0)
    if head == b"%PDF-":
        return "pdf", "application/pdf"
    try:
        with Image.open(uploaded) as image:
            kind = image.format
            image.verify()
    except Exception as error:  # Pillow raises many kinds for a broken or foreign file
        raise ValidationError({"files": _("只能上传照片（JPEG、PNG、WebP）或 PDF 文件。")}) from error
    finally:
        uploaded.seek(0)
    types = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
    if kind not in types:
        raise ValidationError({"files": _("只能上传照片（JPEG、PNG、WebP）或 PDF 文件。")})
    return types[kind]


def _check(kind: str, date: datetime.date, place: str, note: str) -> None:
    errors = {}
    if kind not in ActivityKind.values:
        errors["kind"] = _("活动类型无效。")
    if date is None:
        errors["date"] = _("请填写活动日期。")
    elif date > timezone.localdate():
        errors["date"] = _("活动日期不能晚于今天。")
    if not place:
        errors["place"] = _("请填写活动地点。")
    if not note:
        errors["note"] = _("请填写活动情况及成效。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_register(
    *, by, kind: str, date: datetime.date, place: str, note: str, partners: str = "", title: str = "",
    station=None, files=(), deputies=(),
) -> DutyActivity:
    """登记履职活动: the signed-in deputy records an activity of their own, with photos or files;
    it waits (`pending`) for staff of the deputy's region to confirm it. `deputies`: others who
    took part with them (they score too once staff confirm); the deputy is always among them."""
    deputy = Deputy.objects.filter(user=by).select_related("region").first() if by.role == Role.DEPUTY else None
    if deputy is None:
        raise NotPermitted(_("只有人大代表本人可以登记自己的履职活动。"))
    place, note = clean_text(place)[:200], clean_text(note)
    _check(kind, date, place, note)
    files = list(files)
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("最多上传 %(n)d 个文件。") % {"n": MAX_FILES}})
    sniffed = [_sniff(f) for f in files]
    activity = DutyActivity(
        kind=kind, title=clean_text(title)[:200], date=date, place=place, partners=clean_text(partners)[:200],
        note=note, region=deputy.region, station=station, status=ActivityStatus.PENDING, recorded_by=by,
    )
    activity.full_clean()
    activity.save()
    activity.deputies.set([deputy, *(d for d in deputies if d.pk != deputy.pk)])
    for uploaded, (extension, content_type) in zip(files, sniffed, strict=True):
        name = strip_unprintable(getattr(uploaded, "name", "") or f"file.{extension}")[-200:]
        ActivityFile.objects.create(
            activity=activity, file=uploaded, original_name=name, content_type=content_type, size=uploaded.size
        )
    return activity


def _review(*, by, activity: DutyActivity, status: str, note: str) -> DutyActivity:
    activity = DutyActivity.objects.select_for_update().get(pk=activity.pk)
    if not may_review(by, activity):
        raise NotPermitted(_("只有本区划的工作人员可以确认或退回履职活动。"))
    if activity.status != ActivityStatus.PENDING:
        raise Conflict(_("该活动已%(status)s，不能再次处理。") % {"status": activity.get_status_display()})
    activity.status = status
    activity.review_note = clean_text(note)
    activity.reviewed_by = by
    activity.reviewed_at = timezone.now()
    activity.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    return activity


@transaction.atomic
def activity_confirm(*, by, activity: DutyActivity, note: str = "") -> DutyActivity:
    """确认: the activity counts in the deputy's duty record from now on."""
    return _review(by=by, activity=activity, status=ActivityStatus.CONFIRMED, note=note)


@transaction.atomic
def activity_return(*, by, activity: DutyActivity, note: str) -> DutyActivity:
    """退回: the activity does not count; the deputy is told why."""
    if not clean_text(note or ""):
        raise ValidationError({"note": _("退回时请说明理由。")})
    return _review(by=by, activity=activity, status=ActivityStatus.RETURNED, note=note)
