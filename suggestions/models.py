"""Handling units (承办单位). The suggestion workflow's models build on these."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, Reception
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
        return self.filter(region_id__startswith=code)


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


def mask_phone(phone: str) -> str:
    """138****5678: what anyone who may not see a phone number sees."""
    digits = (phone or "").strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) < 8:
        return digits[:1] + "*" * (len(digits) - 3) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """张* / 欧阳** : the surname stays, the given name does not."""
    name = (name or "").strip()
    if not name:
        return ""
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


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
