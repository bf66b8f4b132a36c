"""Suggestions (意见建议): the suggestion itself, its deputies, its files and its supervision bundle.

Data and the invariants the database can hold. The rules of who may do what when live in
workflow.py, every write in services/, every read in selectors.py.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Reception
from stations.models import Region, Station

from ..similar.text import stored_terms
from .choices import (
    LIVE_SUGGESTION_STATUSES,
    Consent,
    DeputyRole,
    Result,
    Route,
    Session,
    Source,
    Status,
    SuggestionKind,
    Supervision,
)
from .units import Category

# No 0/O, 1/I/L: the code is read aloud on the phone and copied from paper slips.
TRACKING_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_CODE_LENGTH = 12  # 31**12 ≈ 7.9e17: not guessable, not enumerable.


def new_tracking_code() -> str:
    """A fresh public tracking code (一事一码), from the OS's cryptographic random source."""
    return "".join(secrets.choice(TRACKING_CODE_ALPHABET) for _i in range(TRACKING_CODE_LENGTH))


class SupervisionBundle(models.Model):
    """打捆督办: similar suggestions supervised together, usually under one leader."""

    title = models.CharField(_("督办主题"), max_length=200)
    level = models.CharField(_("督办级别"), max_length=10, choices=Supervision.choices, default=Supervision.KEY)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("领衔督办人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="led_bundles",
    )
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("打捆督办")
        verbose_name_plural = _("打捆督办")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Suggestion(models.Model):
    """A voter's opinion (群众意见) or a deputy's suggestion (代表建议): one workflow for both."""

    kind = models.CharField(_("类型"), max_length=20, choices=SuggestionKind.choices, default=SuggestionKind.OPINION)
    code = models.CharField(
        _("查询码"), max_length=16, unique=True, default=new_tracking_code, editable=False,
        help_text=_("一事一码：提交后即生成，群众凭此查询办理进度。"),
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, null=True, blank=True, related_name="suggestions"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="suggestions",
        help_text=_("问题发生地或建议涉及的区划，决定由哪一级工作人员办理。"),
    )
    station = models.ForeignKey(
        Station, verbose_name=_("站点"), on_delete=models.PROTECT, null=True, blank=True, related_name="suggestions"
    )
    reception = models.ForeignKey(
        Reception, verbose_name=_("接待活动"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="suggestions",
    )
    submitter_name = models.CharField(_("提出人"), max_length=50, blank=True)
    submitter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    submitter_email = models.EmailField(
        _("电子邮箱"), max_length=100, blank=True, default="", db_default="", help_text=_("选填：提交回执和答复通知也发到此邮箱。")
    )
    # "办理单位可以联系我": the lead unit's officers see the voter's name and phone while they
    # handle the item (suggestions/privacy.py); without it, nobody outside staff and the
    # receiving deputies does.
    contact_consent = models.BooleanField(
        _("同意办理单位联系"), default=False, db_default=False, help_text=_("提出人勾选“办理单位可以联系我”。")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入账号"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="submitted_suggestions",
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.STAFF)
    session = models.CharField(
        _("提出时间段"), max_length=12, choices=Session.choices, blank=True, help_text=_("代表建议填写。")
    )
    deputies = models.ManyToManyField(
        Deputy, verbose_name=_("代表"), through="SuggestionDeputy", related_name="suggestions", blank=True
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    route = models.CharField(_("办理方式"), max_length=12, choices=Route.choices, blank=True)
    route_proposal = models.CharField(
        _("五分类"), max_length=12, choices=Route.choices, blank=True, default="", db_default="",
        help_text=_("录入时提出的办理分类（代表即办、基层受理、乡镇主办、区级联动、上报处办），审核时可改。"),
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    converted_from = models.ForeignKey(
        "self", verbose_name=_("转自群众意见"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="conversions", help_text=_("转为闭会建议时，指向原群众意见。"),
    )
    escalated_to = models.ForeignKey(
        Region, verbose_name=_("转报至"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("转报上级后，由该区划的人大常委会工作人员办理。"),
    )
    escalated_at = models.DateTimeField(_("转报时间"), null=True, blank=True)
    supervision = models.CharField(
        _("督办"), max_length=10, choices=Supervision.choices, default=Supervision.NONE
    )
    supervision_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("领衔督办人"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="supervised_suggestions",
    )
    bundle = models.ForeignKey(
        SupervisionBundle, verbose_name=_("打捆督办"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="suggestions",
    )
    # Set by the lead unit's reply or by an on-the-spot resolution (代表即办, which has no
    # assignment to hold it); cleared when an unsatisfied evaluation sends it back.
    result = models.CharField(_("办理结果"), max_length=1, choices=Result.choices, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    rehandle_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    is_public = models.BooleanField(_("已公示"), default=False)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    # What 公示 shows instead of the voter's own words: checked (personal data masked,
    # suggestions/redaction.py) and edited by staff when publishing.
    public_title = models.CharField(_("公示标题"), max_length=200, blank=True, default="", db_default="")
    public_content = models.TextField(_("公示内容"), blank=True, default="", db_default="")
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    signed_off_at = models.DateTimeField(
        _("销号时间"), null=True, blank=True, help_text=_("回头看全部完成后销号。")
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)  # indexed with its region below
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The title's and content's terms for similar items (并单), kept in step by save() (rows
    # written by bulk_create/COPY must be filled the same way). On PostgreSQL the candidates
    # come from a GIN index over similar_window(region_id, status, closed_at) (migration
    # 0011_issue18b_similar_window), their terms compared with this column.
    similar_terms = models.TextField(_("相似检索词"), blank=True, default="", db_default="", editable=False)
    # The deadline of the active (not returned) lead assignment, kept by every service that
    # creates, returns or moves one (`models.handling.sync_lead_deadline`), so that lists,
    # `overdue` and the tiers read a column instead of a subquery. A date, never a flag: whether
    # it is overdue is decided against today at read time.
    lead_deadline = models.DateField(_("主办期限"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "region and everything under it" is a prefix match: pattern ops let PostgreSQL
            # use the index for LIKE 'code%' whatever the database collation.
            # One status in a region (`status=handling` of a city), counted and its page's ids
            # sorted from the index alone: the status first, then the region's range.
            models.Index(
                fields=["status", "region", "created_at", "id"], name="sugg_status_region",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
            ),
            models.Index(fields=["status", "created_at"], name="sugg_status_created"),
            models.Index(fields=["kind", "status"], name="sugg_kind_status"),
            models.Index(fields=["category", "status"], name="sugg_category_status"),
            models.Index(fields=["supervision", "status"], name="sugg_supervision_status"),
            models.Index(fields=["is_public", "published_at"], name="sugg_public"),
            # The reminder sweep asks "is it still live?" of each due assignment's suggestion:
            # answered from this small index alone, not from a million rows' pages.
            models.Index(fields=["id"], condition=Q(status__in=LIVE_SUGGESTION_STATUSES), name="sugg_live"),
            # What changed since the statistics ledger's cutoff (suggestions/stats/ledger.py).
            models.Index(fields=["updated_at"], name="sugg_updated"),
            # `overdue` and the tiers of what units still hold (assigned, handling), by region.
            models.Index(
                fields=["region", "lead_deadline"], name="sugg_open_lead_deadline",
                opclasses=["varchar_pattern_ops", "date_ops"], condition=Q(status__in=["assigned", "handling"]),
                include=["id", "created_at"],  # the late items' page from the index alone
            ),
            # Newest first across regions (a province's list, a city's deep pages): walked from the
            # index alone, the region checked on its entries (a city's page 50 read 12,500 rows
            # of the table to keep 1,000: 12 ms, from this index 2 ms).
            models.Index(fields=["created_at", "id"], include=["region"], name="sugg_created_region"),
            # A region's page in the lists' order, ids only (liaison.pagination.rows_by_page_ids):
            # the newest 20 of a county read from the index, not by walking created_at.
            models.Index(
                fields=["region", "created_at", "id"], name="sugg_region_created",
                opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("id")), name="sugg_not_merged_into_self"
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="sugg_merged_has_target"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="sugg_closed_has_date"
            ),
            models.CheckConstraint(
                # 公示 once closed, or once replied and fed back (抚州).
                condition=Q(is_public=False) | Q(status="closed") | Q(status="replied", fed_back_at__isnull=False),
                name="sugg_public_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        """Keep `similar_terms` in step with the title and content whenever either is saved."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "content"} & set(update_fields):
            self.similar_terms = stored_terms(self.title, self.content)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "similar_terms"}
        super().save(*args, **kwargs)

    @property
    def handling_region_id(self) -> str:
        """The region whose staff are responsible: the upper level after 转报上级."""
        return self.escalated_to_id or self.region_id


class SuggestionDeputy(models.Model):
    """A deputy on a suggestion: its lead (领衔) or a co-signer (附议); for an opinion, the receiving deputy."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="deputy_links")
    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="suggestion_links")
    role = models.CharField(_("角色"), max_length=10, choices=DeputyRole.choices, default=DeputyRole.LEAD)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # A co-signer (附议) asked by the lead is one only once they confirm; the lead and the
    # deputies who received an opinion are `confirmed` from the start.
    consent = models.CharField(
        _("附议确认"), max_length=10, choices=Consent.choices, default=Consent.CONFIRMED, db_default=Consent.CONFIRMED
    )

    class Meta:
        verbose_name = _("建议代表")
        verbose_name_plural = _("建议代表")
        ordering = ["suggestion_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="sugg_deputy_unique"),
            models.UniqueConstraint(fields=["suggestion"], condition=Q(role="lead"), name="sugg_deputy_one_lead"),
        ]
        indexes = [models.Index(fields=["deputy", "role"], name="sugg_deputy_deputy_role")]

    def __str__(self) -> str:
        return f"{self.deputy} ({self.get_role_display()})"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # The stored name is random: the original name (which may hold personal data) stays in
    # the database, never in a URL.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_urlsafe(16)}.{suffix[:8]}"


class Attachment(models.Model):
    """A file attached to a suggestion; type checked by its content, size by settings."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    # A handling unit's reply documents (答复函) belong to its assignment as well; a voter's or a
    # deputy's files have none.
    assignment = models.ForeignKey(
        "Assignment", verbose_name=_("交办"), on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["suggestion_id", "id"]

    def __str__(self) -> str:
        return self.original_name
