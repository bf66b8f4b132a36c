"""The duty record's rows besides activities (deputies/models.py): an activity's photos and
files, the yearly report to voters (述职) with their appraisal (述职评议), and 两个联系 — standing
committee members contacting deputies, deputies contacting voters."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, DutyActivity
from liaison.regions import within
from stations.models import Region, Station


def activity_file_upload_to(instance: "ActivityFile", filename: str) -> str:
    # A random name: the uploaded file's own name may carry personal data.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"deputies/activities/{uuid.uuid4().hex}.{extension[:8]}"


class ActivityFile(models.Model):
    """A photo or file of a duty activity (JPEG, PNG or PDF, checked by its content)."""

    activity = models.ForeignKey(DutyActivity, verbose_name=_("履职活动"), on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to=activity_file_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("履职活动附件")
        verbose_name_plural = _("履职活动附件")
        ordering = ["activity_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class DutyReportQuerySet(models.QuerySet):
    def in_region(self, code: str):
        return self.filter(within(code, "deputy__region__code"))


class DutyReport(models.Model):
    """述职 and 述职评议: a deputy's yearly report to the voters at a station, the meeting's
    attendance and the voters' appraisal. The highlights are public (on the contact card);
    the report's text is not."""

    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="duty_reports")
    station = models.ForeignKey(Station, verbose_name=_("述职站点"), on_delete=models.PROTECT, related_name="duty_reports")
    date = models.DateField(_("述职日期"))
    attendance = models.PositiveIntegerField(_("参会选民人数"), default=0)
    satisfied = models.PositiveIntegerField(_("评议满意"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("评议基本满意"), default=0)
    unsatisfied = models.PositiveIntegerField(_("评议不满意"), default=0)
    summary = models.TextField(_("述职情况"), blank=True)
    highlights = models.CharField(
        _("履职亮点（公开）"), max_length=300, blank=True, help_text=_("在代表连心卡上向选民公开，勿填个人信息。")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = DutyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表述职")
        verbose_name_plural = _("代表述职")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["deputy", "date"], name="dutyreport_deputy_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance__gte=F("satisfied") + F("basically_satisfied") + F("unsatisfied")),
                name="dutyreport_votes_within_attendance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.date:%Y-%m-%d}"

    @property
    def votes(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied


class ContactKind(models.TextChoices):
    """两个联系."""

    COMMITTEE_DEPUTY = "committee_deputy", _("常委会组成人员联系代表")
    DEPUTY_VOTERS = "deputy_voters", _("代表联系群众")


class ContactMode(models.TextChoices):
    VISIT = "visit", _("走访")
    MEETING = "meeting", _("座谈")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("网络")
    OTHER = "other", _("其他")


class ContactRecordQuerySet(models.QuerySet):
    def in_region(self, code: str):
        return self.filter(within(code, "deputy__region__code"))


class ContactRecord(models.Model):
    """One contact of 两个联系: a standing-committee member (named) with a deputy, or a deputy
    with voters (how many, about what)."""

    kind = models.CharField(_("联系类型"), max_length=20, choices=ContactKind.choices)
    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="contacts")
    member_name = models.CharField(
        _("常委会组成人员"), max_length=50, blank=True, help_text=_("常委会组成人员联系代表时填写。")
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+",
        help_text=_("记录所属的人大常委会区划。"),
    )
    date = models.DateField(_("联系日期"))
    mode = models.CharField(_("联系方式"), max_length=10, choices=ContactMode.choices, default=ContactMode.VISIT)
    people = models.PositiveIntegerField(_("联系群众人数"), default=0)
    note = models.TextField(_("联系情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ContactRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("两个联系记录")
        verbose_name_plural = _("两个联系记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="contact_kind_date")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="committee_deputy") | ~Q(member_name=""), name="contact_committee_names_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.deputy} {self.date:%Y-%m-%d}"
