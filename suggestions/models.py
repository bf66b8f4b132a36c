"""Handling units (承办单位). The suggestion workflow's models build on these."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Reception
from liaison.privacy import mask_name, mask_phone
from stations.models import Region, Station


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("政府部门")
    SUPERVISORY = "supervisory", _("监察委员会")
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    TOWNSHIP = "township", _("乡镇（街道）")
    OTHER = "other", _("其他单位")


class UnitQuerySet(models.QuerySet):
    def in_region(self, code: str):
        return self.filter(region__code__startswith=code)


class Unit(models.Model):
    """A handling unit (承办单位) that suggestions are assigned to."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="units")
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("联络员"), related_name="units", blank=True
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name


# --- the 提-交-办-督-评 workflow ---------------------------------------------------------------
#
# Data and the invariants the database can hold. The rules of who may do what when live in
# workflow.py, every write in services.py, every read in selectors.py.

# No 0/O, 1/I/L: the code is read aloud on the phone and copied from paper slips.
TRACKING_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_CODE_LENGTH = 12  # 31**12 ≈ 7.9e17: not guessable, not enumerable.


def new_tracking_code() -> str:
    """A fresh public tracking code (一事一码), from the OS's cryptographic random source."""
    return "".join(secrets.choice(TRACKING_CODE_ALPHABET) for _i in range(TRACKING_CODE_LENGTH))


class Category(models.Model):
    """The editable list of categories (e.g. 城乡建设、教育、医疗卫生) staff file suggestions under."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("建议类别")
        verbose_name_plural = _("建议类别")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SuggestionKind(models.TextChoices):
    OPINION = "opinion", _("群众意见")
    DEPUTY_SUGGESTION = "deputy_suggestion", _("代表建议")


class Session(models.TextChoices):
    IN_SESSION = "in_session", _("大会期间")
    INTERIM = "interim", _("闭会期间")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    MERGED = "merged", _("已并案")
    ASSIGNED = "assigned", _("已交办")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


class Route(models.TextChoices):
    """The five handling routes (五分类)."""

    ON_SPOT = "on_spot", _("代表即办")
    GRASSROOTS = "grassroots", _("基层受理")
    TOWNSHIP = "township", _("乡镇主办")
    DISTRICT = "district", _("区级联动")
    ESCALATE = "escalate", _("上报处办")


class Supervision(models.TextChoices):
    NONE = "none", _("未督办")
    NORMAL = "normal", _("一般督办")
    KEY = "key", _("重点督办")


class Source(models.TextChoices):
    """Where a suggestion came in: feeds the statistics, not the workflow."""

    STAFF = "staff", _("工作人员录入")
    DEPUTY = "deputy", _("代表提交")
    RECEPTION = "reception", _("接待活动")
    PUBLIC = "public", _("群众在线提交")
    API = "api", _("接口")
    IMPORT = "import", _("历史导入")


class Result(models.TextChoices):
    A = "A", _("A 已解决或采纳")
    B = "B", _("B 正在解决或列入计划")
    C = "C", _("C 因条件限制暂不能解决")
    D = "D", _("D 留作参考")


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


class SuggestionQuerySet(models.QuerySet):
    def in_region(self, code: str):
        # Django refuses `startswith` on the foreign key itself; `region__code` is the same column.
        return self.filter(region__code__startswith=code)


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
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "region and everything under it" is a prefix match: pattern ops let PostgreSQL
            # use the index for LIKE 'code%' whatever the database collation.
            models.Index(fields=["region", "status"], name="sugg_region_status", opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]),
            models.Index(fields=["status", "created_at"], name="sugg_status_created"),
            models.Index(fields=["kind", "status"], name="sugg_kind_status"),
            models.Index(fields=["category", "status"], name="sugg_category_status"),
            models.Index(fields=["supervision", "status"], name="sugg_supervision_status"),
            models.Index(fields=["is_public", "published_at"], name="sugg_public"),
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
                condition=Q(is_public=False) | Q(status="closed"), name="sugg_public_only_when_closed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def handling_region_id(self) -> str:
        """The region whose staff are responsible: the upper level after 转报上级."""
        return self.escalated_to_id or self.region_id

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.submitter_phone)

    @property
    def masked_submitter(self) -> str:
        return mask_name(self.submitter_name)


class DeputyRole(models.TextChoices):
    LEAD = "lead", _("领衔")
    CO_SIGNER = "co_signer", _("附议")


class SuggestionDeputy(models.Model):
    """A deputy on a suggestion: its lead (领衔) or a co-signer (附议); for an opinion, the receiving deputy."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="deputy_links")
    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="suggestion_links")
    role = models.CharField(_("角色"), max_length=10, choices=DeputyRole.choices, default=DeputyRole.LEAD)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

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


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    SIGNED = "signed", _("已签收")
    RETURNED = "returned", _("已退回")
    REPLIED = "replied", _("已答复")


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        """Not returned: the parts of the suggestion that units still hold."""
        return self.exclude(status=AssignmentStatus.RETURNED)

    def open(self):
        """Still to be answered: what reminders and overdue tiers are about."""
        return self.filter(status__in=[AssignmentStatus.PENDING, AssignmentStatus.SIGNED])


class Assignment(models.Model):
    """One unit's part of a suggestion (交办): lead unit 主办 or co-unit 协办."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("承办方式"), max_length=4, choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    deadline = models.DateField(_("办理期限"))
    requirements = models.TextField(_("办理要求"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("交办人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签收人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    result = models.CharField(_("办理结果"), max_length=1, choices=Result.choices, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("交办时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["suggestion_id", "role", "id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="assignment_unit_status"),
            models.Index(fields=["status", "deadline"], name="assignment_status_deadline"),
            models.Index(fields=["suggestion", "role", "status"], name="assignment_sugg_role_status"),
        ]
        constraints = [
            # A unit holds a suggestion once at a time; after a return it may get it again.
            models.UniqueConstraint(
                fields=["suggestion", "unit"], condition=~Q(status="returned"), name="assignment_unique_active_unit"
            ),
            models.UniqueConstraint(
                fields=["suggestion"], condition=Q(role="lead") & ~Q(status="returned"),
                name="assignment_one_active_lead",
            ),
            models.CheckConstraint(
                condition=~Q(status="replied") | (Q(replied_at__isnull=False) & ~Q(result="")),
                name="assignment_replied_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.code} → {self.unit} ({self.get_role_display()})"


class ContactKind(models.TextChoices):
    """三见面: meeting the deputy before, during and after handling."""

    BEFORE = "before", _("办前见面")
    DURING = "during", _("办中见面")
    AFTER = "after", _("办后见面")


class Contact(models.Model):
    assignment = models.ForeignKey(Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("见面环节"), max_length=10, choices=ContactKind.choices)
    note = models.TextField(_("情况记录"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("三见面记录")
        verbose_name_plural = _("三见面记录")
        ordering = ["assignment_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Action(models.TextChoices):
    """What an event records; the workflow's action names (API.md) plus the system's own."""

    SUBMIT = "submit", _("提交")
    ACCEPT = "accept", _("受理")
    DECLINE = "decline", _("不予受理")
    RESOLVE_ON_SPOT = "resolve_on_spot", _("代表即办")
    MERGE = "merge", _("并案")
    CONVERT = "convert", _("转为闭会建议")
    ESCALATE = "escalate", _("转报上级")
    ASSIGN = "assign", _("交办")
    SIGN = "sign", _("签收")
    RETURN = "return", _("退回")
    CONTACT = "contact", _("三见面")
    REPLY = "reply", _("答复")
    SUPERVISE = "supervise", _("督办")
    BUNDLE = "bundle", _("打捆督办")
    URGE = "urge", _("催办")
    EVALUATE = "evaluate", _("评价")
    CLOSE = "close", _("办结")
    FEEDBACK = "feedback", _("反馈")
    PUBLISH = "publish", _("公示")
    FOLLOW_UP = "follow_up", _("回头看")
    REMIND = "remind", _("到期提醒")


class ImmutableError(Exception):
    """Raised on any attempt to change or delete an event."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("events are immutable")

    def delete(self):
        raise ImmutableError("events are immutable")


class Event(models.Model):
    """One step of a suggestion's life (who, when, from which state to which, note). Never changes."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.PROTECT, related_name="events")
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the audit trail survives an account being deleted.
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=Status.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["suggestion_id", "created_at", "id"]
        indexes = [
            models.Index(fields=["suggestion", "created_at"], name="event_sugg_created"),
            models.Index(fields=["action", "created_at"], name="event_action_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError("events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("events are immutable")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Evaluation(models.Model):
    """评: a deputy's (or, recorded by staff, the voter's) rating of a reply, once per round."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="evaluations")
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("评价代表"), on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations",
        help_text=_("为空表示工作人员代群众（提出人）录入的评价。"),
    )
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    # 0 for the first reply, n after the n-th re-handling: each reply is evaluated afresh.
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理评价")
        verbose_name_plural = _("办理评价")
        ordering = ["suggestion_id", "round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "deputy", "round"], condition=Q(deputy__isnull=False),
                name="evaluation_once_per_deputy_round",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "round"], condition=Q(deputy__isnull=True), name="evaluation_once_per_voter_round"
            ),
        ]
        indexes = [models.Index(fields=["rating", "created_at"], name="evaluation_rating_created")]

    def __str__(self) -> str:
        return self.get_rating_display()


class FollowUp(models.Model):
    """回头看: a result-B reply (being solved / planned) stays on this list until really solved."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="follow_ups")
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    review_on = models.DateField(_("回访日期"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("回头看情况"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["done_at", "review_on"], name="followup_open_review")]

    def __str__(self) -> str:
        return f"{self.suggestion.code} {self.review_on}"


class FeedbackChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    IN_PERSON = "in_person", _("当面")
    LETTER = "letter", _("书面")
    ONLINE = "online", _("网络")
    OTHER = "other", _("其他")


class Feedback(models.Model):
    """反馈: the voter was told the result. Counts toward the feedback rate."""

    suggestion = models.ForeignKey(Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="feedbacks")
    channel = models.CharField(_("反馈方式"), max_length=10, choices=FeedbackChannel.choices)
    note = models.TextField(_("反馈情况"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("反馈时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结果反馈")
        verbose_name_plural = _("结果反馈")
        ordering = ["suggestion_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.get_channel_display()


class Holiday(models.Model):
    """A day that differs from what the calendar source says (or that it does not know yet).

    `is_workday=False` makes a day off (放假), `True` a working day (调休上班). This table wins
    over the `chinese-calendar` package, and is all there is for years the package does not cover.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"), default=False, help_text=_("勾选表示调休上班；不勾选表示放假。"))
    note = models.CharField(_("说明"), max_length=50, blank=True, help_text=_("如：国庆节、春节调休。"))

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'}"


class NotificationKind(models.TextChoices):
    DUE = "due", _("即将到期")
    OVERDUE = "overdue", _("已超期")
    LONG_OVERDUE = "long_overdue", _("严重超期")
    ASSIGNED = "assigned", _("新交办")
    SIGNED = "signed", _("已签收")
    RETURNED = "returned", _("被退回")
    REPLIED = "replied", _("已答复")
    SUPERVISED = "supervised", _("督办")
    URGED = "urged", _("催办")
    REHANDLE = "rehandle", _("重新办理")
    EVALUATED = "evaluated", _("已评价")
    NOTICE = "notice", _("通知")


class Notification(models.Model):
    """A notice for one user: shown in the product, and the outbox for e-mail and SMS delivery."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox"),
            models.Index(fields=["emailed_at", "created_at"], name="notification_email_outbox"),
            models.Index(fields=["sms_sent_at", "created_at"], name="notification_sms_outbox"),
        ]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """That one reminder of one kind was sent for one assignment's deadline. Exactly once, by constraint."""

    assignment = models.ForeignKey(Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("类型"), max_length=20, help_text=_("due_7 / due_3 / due_1 / overdue / long_overdue"))
    deadline = models.DateField(_("对应期限"))
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind", "deadline"], name="reminder_once_per_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.deadline}"


# --- statistics (统计): nightly snapshots -----------------------------------------------------
#
# suggestions/stats.py computes these by database aggregation; the dashboard, the API and the
# workbooks read them. The figures and what each one means are listed in stats.FIGURES.


class StatPeriod(models.TextChoices):
    YEAR = "year", _("本年")
    MONTH = "month", _("本月")
    ROLLING = "rolling12", _("近12个月")


class StatDimension(models.TextChoices):
    REGION = "region", _("区划")
    STATION = "station", _("站点")
    UNIT = "unit", _("承办单位")
    CATEGORY = "category", _("类别")
    DEPUTY = "deputy", _("代表")


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _average(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None


class StatFiguresMixin:
    """Rates and averages derived from the counted figures (the same for a snapshot row and a
    live result): a rate is 0–1 and None when nothing was there to count."""

    @property
    def due(self) -> int:
        """Lead replies that were due: answered (on time or late), or still open past the deadline."""
        return self.replied_on_time + self.replied_late + self.overdue

    @property
    def on_time_rate(self):
        return _rate(self.replied_on_time, self.due)

    @property
    def feedback_rate(self):
        return _rate(self.fed_back, self.collected)

    @property
    def satisfaction_rate(self):
        return _rate(self.satisfied + self.basically_satisfied, self.evaluated)

    @property
    def reply_rate(self):
        return _rate(self.replied, self.accepted)

    @property
    def avg_assign_days(self):
        return _average(self.assign_days_sum, self.assign_days_n)

    @property
    def avg_handle_days(self):
        return _average(self.handle_days_sum, self.handle_days_n)

    @property
    def avg_close_days(self):
        return _average(self.close_days_sum, self.close_days_n)

    @property
    def avg_total_days(self):
        return _average(self.total_days_sum, self.total_days_n)


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class StatSnapshot(StatFiguresMixin, models.Model):
    """One group's figures for one period, as built on the night after `date` (统计快照).

    A group is a region (any level), a station, a handling unit (as lead unit 主办), a category
    within a region, or a deputy (as lead deputy 领衔). `region_code` is the region the row
    belongs to, for scoping: the region itself, the station's, unit's or deputy's region, or
    the region a category row is counted within. Rebuilding a date replaces its rows.
    """

    date = models.DateField(_("统计日期"))
    period = models.CharField(_("统计期"), max_length=10, choices=StatPeriod.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    dimension = models.CharField(_("维度"), max_length=10, choices=StatDimension.choices)
    key = models.CharField(_("对象"), max_length=20, help_text=_("区划代码，或站点、单位、类别、代表的 ID。"))
    region_code = models.CharField(_("所属区划"), max_length=12)
    built_at = models.DateTimeField(_("生成时间"))

    collected = _count(_("收集"))
    deputy_suggestions = _count(_("其中代表建议"))
    declined = _count(_("不予受理"))
    merged = _count(_("并案"))
    accepted = _count(_("受理"))
    on_spot = _count(_("代表即办"))
    assigned = _count(_("交办"))
    replied = _count(_("答复"))
    replied_on_time = _count(_("按期答复"))
    replied_late = _count(_("逾期答复"))
    overdue = _count(_("超期未答复"))
    closed = _count(_("办结"))
    fed_back = _count(_("已反馈"))
    result_a = _count(_("A类"))
    result_b = _count(_("B类"))
    result_c = _count(_("C类"))
    result_d = _count(_("D类"))
    evaluated = _count(_("已评价"))
    satisfied = _count(_("满意"))
    basically_satisfied = _count(_("基本满意"))
    unsatisfied = _count(_("不满意"))
    supervised = _count(_("督办"))
    key_supervised = _count(_("重点督办"))
    rehandled = _count(_("重新办理"))
    assign_days_sum = models.BigIntegerField(_("交办用时合计（工作日）"), default=0)
    assign_days_n = _count(_("交办用时件数"))
    handle_days_sum = models.BigIntegerField(_("办理用时合计（工作日）"), default=0)
    handle_days_n = _count(_("办理用时件数"))
    close_days_sum = models.BigIntegerField(_("评价办结用时合计（工作日）"), default=0)
    close_days_n = _count(_("评价办结用时件数"))
    total_days_sum = models.BigIntegerField(_("全程用时合计（工作日）"), default=0)
    total_days_n = _count(_("全程用时件数"))
    receptions = _count(_("接待次数"))
    visitors = _count(_("接待群众人次"))
    deputies = _count(_("代表人数"))
    deputies_in_stations = _count(_("已进站代表"))

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        ordering = ["-date", "period", "dimension", "region_code", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "period", "dimension", "region_code", "key"], name="statsnapshot_unique_row"
            ),
        ]
        indexes = [
            models.Index(
                fields=["dimension", "period", "date", "region_code"], name="statsnapshot_lookup",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_period_display()} {self.get_dimension_display()} {self.key}"


# Working tables of one statistics run (stats.py): TEMPORARY tables that live for one database
# session, so two runs never see each other's rows. Unmanaged: no migration creates them.


class StatWorkday(models.Model):
    """A date and its working-day ordinal: ordinal(b) - ordinal(a) = working days in (a, b]."""

    day = models.DateField(primary_key=True, db_column="f_day")
    ordinal = models.IntegerField(db_column="f_ordinal")

    class Meta:
        managed = False
        db_table = "stats_tmp_workday"

    def __str__(self) -> str:
        return f"{self.day} {self.ordinal}"


class StatEvaluationFact(models.Model):
    """A suggestion's best rating: 3 满意, 2 基本满意, 1 不满意 (only re-handling follows 不满意)."""

    suggestion = models.OneToOneField(
        Suggestion, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False,
        db_column="f_suggestion", related_name="stat_evaluation_fact",
    )
    best = models.IntegerField(db_column="f_best")

    class Meta:
        managed = False
        db_table = "stats_tmp_evaluation"

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.best}"


def _stat_day(column):
    return models.ForeignKey(
        StatWorkday, to_field="day", db_column=column, db_constraint=False, on_delete=models.DO_NOTHING,
        null=True, related_name="+",
    )


class StatStage(models.Model):
    """A suggestion of the cohort as the workflow rows hold it, dates in Asia/Shanghai."""

    id = models.BigIntegerField(primary_key=True, db_column="f_id")
    region = models.CharField(max_length=12, db_column="f_region")
    station = models.BigIntegerField(null=True, db_column="f_station")
    station_region = models.CharField(max_length=12, null=True, db_column="f_station_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    category = models.BigIntegerField(null=True, db_column="f_category")
    unit = models.BigIntegerField(null=True, db_column="f_unit")
    unit_region = models.CharField(max_length=12, null=True, db_column="f_unit_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    deputy = models.BigIntegerField(null=True, db_column="f_deputy")
    deputy_region = models.CharField(max_length=12, null=True, db_column="f_deputy_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    kind = models.CharField(max_length=20, db_column="f_kind")
    status = models.CharField(max_length=10, db_column="f_status")
    route = models.CharField(max_length=12, db_column="f_route")
    supervision = models.CharField(max_length=10, db_column="f_supervision")
    result = models.CharField(max_length=1, db_column="f_result")
    rehandled = models.IntegerField(db_column="f_rehandled")
    fed_back = models.IntegerField(db_column="f_fed_back")
    best_rating = models.IntegerField(null=True, db_column="f_best_rating")
    lead_status = models.CharField(max_length=10, null=True, db_column="f_lead_status")  # noqa: DJ001 (no lead: NULL)
    lead_deadline = models.DateField(null=True, db_column="f_lead_deadline")
    created = _stat_day("f_created")
    replied = _stat_day("f_replied")
    closed = _stat_day("f_closed")
    lead_assigned = _stat_day("f_lead_assigned")
    lead_replied = _stat_day("f_lead_replied")

    class Meta:
        managed = False
        db_table = "stats_tmp_stage"

    def __str__(self) -> str:
        return str(self.id)


class StatFact(models.Model):
    """One suggestion's 0/1 flags and working-day spans: what every grouping sums."""

    id = models.BigIntegerField(primary_key=True, db_column="f_id")
    region = models.CharField(max_length=12, db_column="f_region")
    station = models.BigIntegerField(null=True, db_column="f_station")
    station_region = models.CharField(max_length=12, null=True, db_column="f_station_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    category = models.BigIntegerField(null=True, db_column="f_category")
    unit = models.BigIntegerField(null=True, db_column="f_unit")
    unit_region = models.CharField(max_length=12, null=True, db_column="f_unit_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    deputy = models.BigIntegerField(null=True, db_column="f_deputy")
    deputy_region = models.CharField(max_length=12, null=True, db_column="f_deputy_region")  # noqa: DJ001 (a LEFT JOIN's NULL)
    created = models.DateField(db_column="f_created")
    deputy_suggestion = models.IntegerField(db_column="f_deputy_suggestion")
    declined = models.IntegerField(db_column="f_declined")
    merged = models.IntegerField(db_column="f_merged")
    accepted = models.IntegerField(db_column="f_accepted")
    on_spot = models.IntegerField(db_column="f_on_spot")
    assigned = models.IntegerField(db_column="f_assigned")
    replied = models.IntegerField(db_column="f_replied")
    replied_on_time = models.IntegerField(db_column="f_replied_on_time")
    replied_late = models.IntegerField(db_column="f_replied_late")
    overdue = models.IntegerField(db_column="f_overdue")
    closed = models.IntegerField(db_column="f_closed")
    fed_back = models.IntegerField(db_column="f_fed_back")
    result_a = models.IntegerField(db_column="f_result_a")
    result_b = models.IntegerField(db_column="f_result_b")
    result_c = models.IntegerField(db_column="f_result_c")
    result_d = models.IntegerField(db_column="f_result_d")
    evaluated = models.IntegerField(db_column="f_evaluated")
    satisfied = models.IntegerField(db_column="f_satisfied")
    basically_satisfied = models.IntegerField(db_column="f_basically_satisfied")
    unsatisfied = models.IntegerField(db_column="f_unsatisfied")
    supervised = models.IntegerField(db_column="f_supervised")
    key_supervised = models.IntegerField(db_column="f_key_supervised")
    rehandled = models.IntegerField(db_column="f_rehandled")
    assign_days = models.IntegerField(null=True, db_column="f_assign_days")
    handle_days = models.IntegerField(null=True, db_column="f_handle_days")
    close_days = models.IntegerField(null=True, db_column="f_close_days")
    total_days = models.IntegerField(null=True, db_column="f_total_days")

    class Meta:
        managed = False
        db_table = "stats_tmp_fact"

    def __str__(self) -> str:
        return str(self.id)
