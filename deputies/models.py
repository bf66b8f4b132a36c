"""Deputies (人大代表), their mandates, station groups (编组进站) and receptions (接待选民)."""

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.regions import within
from stations.models import Region, Station


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Party(models.TextChoices):
    CPC = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CYL = "cyl", _("共青团员")
    RCCK = "rcck", _("民革")
    CDL = "cdl", _("民盟")
    CNDCA = "cndca", _("民建")
    CAPD = "capd", _("民进")
    CPWDP = "cpwdp", _("农工党")
    CZGP = "czgp", _("致公党")
    JS = "js", _("九三学社")
    TDSL = "tdsl", _("台盟")
    NON_PARTY = "non_party", _("无党派人士")
    MASSES = "masses", _("群众")


class Level(models.TextChoices):
    """The five levels of people's congresses."""

    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡")


class ProfessionalGroup(models.Model):
    """专业代表小组: deputies of one field (e.g. 法制、财经) working together."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="professional_groups")
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("专业代表小组")
        verbose_name_plural = _("专业代表小组")
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="group_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name


def deputy_photo_upload_to(instance: "Deputy", filename: str) -> str:
    # A random name: the uploaded file's own name may carry personal data.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"deputies/photos/{uuid.uuid4().hex}.{extension}"


class DeputyQuerySet(models.QuerySet):
    def in_region(self, code: str):
        return self.filter(within(code))


class Deputy(models.Model):
    """A person who holds one or more deputy mandates (one person may sit at several levels)."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    party = models.CharField(_("政治面貌"), max_length=20, choices=Party.choices, default=Party.MASSES)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    occupation = models.CharField(_("职业"), max_length=100, blank=True)
    employer = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    expertise = models.CharField(_("专业特长"), max_length=200, blank=True)
    photo = models.ImageField(
        _("照片"),
        upload_to=deputy_photo_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
        help_text=_("代表连心卡上的照片（JPEG、PNG 或 WebP）。"),
    )
    is_leading_official = models.BooleanField(
        _("领导干部代表"), default=False, help_text=_("领导干部代表每季度至少到联络站接待选民一次。")
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="deputies",
        help_text=_("代表登记所在的区划，决定由哪一级工作人员管理。"),
    )
    stations = models.ManyToManyField(
        Station, verbose_name=_("编组站点"), through="StationMembership", related_name="deputies", blank=True
    )
    groups = models.ManyToManyField(
        ProfessionalGroup, verbose_name=_("专业代表小组"), related_name="deputies", blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        ordering = ["region_id", "name", "id"]
        indexes = [
            models.Index(fields=["name"], name="deputy_name"),
            models.Index(fields=["region", "name"], name="deputy_region_name"),
            # `q=` among a region's deputies reads the searched columns from this index alone,
            # not from rows spread over the whole table (a city's 23,858: 10.6 → 4.5 ms).
            # Their lengths (550 characters at most) keep an entry under the index's row limit.
            models.Index(
                fields=["region"], name="deputy_region_search", opclasses=["varchar_pattern_ops"],
                include=["id", "name", "occupation", "employer", "expertise"],
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Mandate(models.Model):
    """One mandate: a seat in a congress of one level and term (e.g. 长治市第十五届人民代表大会)."""

    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="mandates")
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    congress = models.CharField(_("届次"), max_length=100, help_text=_("如：长治市第十五届人民代表大会"))
    district = models.CharField(_("选区或选举单位"), max_length=100, blank=True)
    started_on = models.DateField(_("任期开始"))
    ended_on = models.DateField(_("任期结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("代表职务")
        verbose_name_plural = _("代表职务")
        ordering = ["deputy_id", "-started_on"]
        indexes = [models.Index(fields=["level", "deputy"], name="mandate_level_deputy")]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "level", "congress"], name="mandate_unique_per_congress"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="mandate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.congress}"


class MembershipRole(models.TextChoices):
    HEAD = "head", _("站长")
    DEPUTY_HEAD = "deputy_head", _("副站长")
    MEMBER = "member", _("成员")


class StationMembership(models.Model):
    """编组进站: a deputy grouped into a station, with a role there."""

    deputy = models.ForeignKey(Deputy, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="memberships")
    station = models.ForeignKey(Station, verbose_name=_("站点"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("站内职务"), max_length=12, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    joined_on = models.DateField(_("进站日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("编组进站")
        verbose_name_plural = _("编组进站")
        ordering = ["station_id", "role", "deputy_id"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "station"], name="membership_unique_deputy_station"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.station}"


class ReceptionMode(models.TextChoices):
    STATION = "station", _("进站接待")
    VISIT = "visit", _("入户走访")
    MOBILE = "mobile", _("流动接待")
    ONLINE = "online", _("线上接待")
    EVENING = "evening", _("夜谈夜访")


class ReceptionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已排期")
    RECORDED = "recorded", _("已记录")
    CANCELLED = "cancelled", _("已取消")


class ReceptionQuerySet(models.QuerySet):
    def in_region(self, code: str):
        return self.filter(within(code, "station__region__code"))


class Reception(models.Model):
    """接待选民: a scheduled reception day (公示表) and, once held, its record (接待记录)."""

    station = models.ForeignKey(Station, verbose_name=_("站点"), on_delete=models.PROTECT, related_name="receptions")
    date = models.DateField(_("接待日期"))
    starts_at = models.TimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.TimeField(_("结束时间"), null=True, blank=True)
    mode = models.CharField(_("接待方式"), max_length=10, choices=ReceptionMode.choices, default=ReceptionMode.STATION)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReceptionStatus.choices, default=ReceptionStatus.SCHEDULED
    )
    deputies = models.ManyToManyField(Deputy, verbose_name=_("参加代表"), related_name="receptions", blank=True)
    topic = models.CharField(_("主题"), max_length=200, blank=True)
    visitor_count = models.PositiveIntegerField(_("接待人数"), default=0)
    summary = models.TextField(_("接待情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ReceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("接待活动")
        verbose_name_plural = _("接待活动")
        ordering = ["-date", "station_id"]
        indexes = [
            models.Index(fields=["station", "date"], name="reception_station_date"),
            models.Index(fields=["date"], name="reception_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(visitor_count__gte=0), name="reception_visitors_not_negative"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="reception_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.date:%Y-%m-%d}"


# --- duty record (履职档案): activities and the yearly score's weights ------------------------


class ActivityKind(models.TextChoices):
    """What an activity record is for: only what has no record of its own. Receptions count from
    reception records, 联系选民 from the voters' opinions a deputy received, 述职 from its report."""

    INSPECTION = "inspection", _("视察")
    RESEARCH = "research", _("调研")
    LAW_ENFORCEMENT = "law_enforcement", _("执法检查")
    ATTEND_MEETING = "attend_meeting", _("列席会议")
    LEGISLATION = "legislation", _("参与立法")
    GROUP_ACTIVITY = "group_activity", _("专业小组活动")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")


class ActivityStatus(models.TextChoices):
    """A deputy's own registration waits for staff (西岗: 由代表个人如实填写, office confirms);
    only confirmed activities score."""

    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    RETURNED = "returned", _("已退回")


class DutyActivity(models.Model):
    """A deputy activity outside the station's receptions (视察、调研、执法检查、列席会议…)."""

    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200, blank=True)
    date = models.DateField(_("活动日期"))
    place = models.CharField(_("活动地点"), max_length=200, blank=True)
    partners = models.CharField(_("参加人员"), max_length=200, blank=True, help_text=_("与谁一起（其他代表、部门等）。"))
    region = models.ForeignKey(
        Region, verbose_name=_("组织区划"), on_delete=models.PROTECT, related_name="duty_activities",
        help_text=_("组织活动的人大常委会所在区划，决定由哪一级工作人员管理。"),
    )
    station = models.ForeignKey(
        Station, verbose_name=_("站点"), on_delete=models.SET_NULL, null=True, blank=True, related_name="duty_activities"
    )
    deputies = models.ManyToManyField(Deputy, verbose_name=_("参加代表"), related_name="duty_activities")
    note = models.TextField(_("活动情况及成效"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.CONFIRMED
    )
    review_note = models.TextField(_("确认或退回说明"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("履职活动")
        verbose_name_plural = _("履职活动")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["region", "date"], name="dutyactivity_region_date"),
            models.Index(fields=["status", "region"], name="dutyactivity_status_region"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title or self.place}"


class DutyItem(models.TextChoices):
    """What the yearly duty score (履职考评计分) counts; each activity kind is an item too."""

    RECEPTION = "reception", _("参加接待选民")
    CONTACT_VOTERS = "contact_voters", _("联系选民（接收并答复群众意见）")
    SUGGESTION_LEAD = "suggestion_lead", _("领衔提出意见建议")
    SUGGESTION_COSIGN = "suggestion_cosign", _("附议意见建议")
    EVALUATION = "evaluation", _("评价办理结果")
    REPORT = "report", _("向选民述职")
    INSPECTION = "inspection", _("视察")
    RESEARCH = "research", _("调研")
    LAW_ENFORCEMENT = "law_enforcement", _("执法检查")
    ATTEND_MEETING = "attend_meeting", _("列席会议")
    LEGISLATION = "legislation", _("参与立法")
    GROUP_ACTIVITY = "group_activity", _("专业小组活动")
    TRAINING = "training", _("培训")
    OTHER = "other", _("其他")


class DutyScoreWeight(models.Model):
    """Points per item of the yearly duty score, and the most an item may give in a year.

    Set per region by its staff; a deputy is scored with the weights of the nearest region
    above (or at) their own that has them, else the defaults of duty.py.
    """

    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.CASCADE, related_name="duty_score_weights"
    )
    item = models.CharField(_("计分项目"), max_length=20, choices=DutyItem.choices)
    points = models.DecimalField(_("每次分值"), max_digits=5, decimal_places=1)
    cap = models.DecimalField(
        _("年度上限"), max_digits=6, decimal_places=1, null=True, blank=True, help_text=_("为空表示不设上限。")
    )

    class Meta:
        verbose_name = _("履职计分标准")
        verbose_name_plural = _("履职计分标准")
        ordering = ["region_id", "item"]
        constraints = [
            models.UniqueConstraint(fields=["region", "item"], name="dutyscoreweight_unique_item"),
            models.CheckConstraint(condition=Q(points__gte=0), name="dutyscoreweight_points_not_negative"),
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gte=0), name="dutyscoreweight_cap_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.points}"


# The duty record's other rows (activity files, 述职, 两个联系) live in their own module.
from deputies.records import ActivityFile, ContactKind, ContactMode, ContactRecord, DutyReport  # noqa: E402, F401
