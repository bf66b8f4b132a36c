"""Regions (行政区划) and liaison stations (联络站点)."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.regions import lineage, within

region_code_validator = RegexValidator(
    r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$",
    _("区划代码应为 2、4、6、9 或 12 位数字。"),
)


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")
    VILLAGE = "village", _("村级")


LEVEL_BY_CODE_LENGTH = {
    2: RegionLevel.PROVINCE,
    4: RegionLevel.CITY,
    6: RegionLevel.COUNTY,
    9: RegionLevel.TOWNSHIP,
    12: RegionLevel.VILLAGE,
}


class RegionQuerySet(models.QuerySet):
    def subtree(self, code: str):
        """The region `code` and everything under it: the code is its own path."""
        return self.filter(within(code, "code"))


class Region(models.Model):
    """A division of the national statistical code tree (统计用区划代码).

    The code is the primary key, so every foreign key to a region holds the code itself and
    "this region and everything under it" is a prefix match on an indexed column
    (`region__code__startswith`, which Django resolves on the key column itself), with no
    join and no recursion.
    """

    code = models.CharField(
        _("区划代码"), max_length=12, primary_key=True, validators=[region_code_validator]
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code")]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("code")),
                name="region_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        names = [a.name for a in self.ancestors()] + [self.name]
        # 市辖区 is a placeholder between a municipality and its districts: skip it.
        return "".join(n for n in names if n != "市辖区")

    def ancestors(self) -> list["Region"]:
        """Ancestors from the top, in one query (the prefixes of the code)."""
        prefixes = [self.code[:n] for n in (2, 4, 6, 9) if n < len(self.code)]
        return list(Region.objects.filter(code__in=prefixes).order_by("code"))


class StationKind(models.TextChoices):
    HUB = "hub", _("总站")
    STATION = "station", _("联络站")
    POINT = "point", _("联络点")
    HOME = "home", _("代表之家")
    STUDIO = "studio", _("专业代表工作室")


class StationClass(models.TextChoices):
    FIRST = "first", _("一类")
    SECOND = "second", _("二类")


class DemonstrationLevel(models.TextChoices):
    NONE = "", _("无")
    COUNTY = "county", _("县级示范点")
    CITY = "city", _("市级示范点")
    PROVINCIAL = "provincial", _("省级示范点")


# The "八有" standard: (field name, label). Kept as booleans so a checklist can be filtered
# and counted in the database.
EIGHT_HAVES = [
    ("has_venue", _("有场所")),
    ("has_sign", _("有牌子")),
    ("has_rules", _("有制度")),
    ("has_display", _("有展示")),
    ("has_commitment", _("有承诺")),
    ("has_publicity", _("有宣传")),
    ("has_activities", _("有活动")),
    ("has_archive", _("有档案")),
]
# 禹州's "十有": the 八有 and two more (有人员、有经费).
TEN_HAVES = [*EIGHT_HAVES, ("has_staff", _("有人员")), ("has_funding", _("有经费"))]


class Checklist(models.TextChoices):
    """Which standard a region's stations are checked against (RegionStandard; 八有 by default)."""

    EIGHT = "eight", _("八有")
    TEN = "ten", _("十有")


CHECKLISTS = {Checklist.EIGHT: EIGHT_HAVES, Checklist.TEN: TEN_HAVES}


class StationQuerySet(models.QuerySet):
    def in_region(self, code: str):
        return self.filter(within(code))

    def active(self):
        return self.filter(is_active=True)


class Station(models.Model):
    """A liaison station or point (联络站点) where deputies meet voters."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=StationKind.choices, default=StationKind.STATION)
    is_industry = models.BooleanField(_("行业联络站"), default=False)
    specialty = models.CharField(
        _("专业领域"), max_length=50, blank=True, help_text=_("专业站点填写，如：司法、生态环境。")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级站点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="stations")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    reception_day = models.PositiveSmallIntegerField(
        _("每月接待日"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("每月固定的代表接待日，如 15 表示每月 15 日。"),
    )
    has_venue = models.BooleanField(_("有场所"), default=False)
    has_sign = models.BooleanField(_("有牌子"), default=False)
    has_rules = models.BooleanField(_("有制度"), default=False)
    has_display = models.BooleanField(_("有展示"), default=False)
    has_commitment = models.BooleanField(_("有承诺"), default=False)
    has_publicity = models.BooleanField(_("有宣传"), default=False)
    has_activities = models.BooleanField(_("有活动"), default=False)
    has_archive = models.BooleanField(_("有档案"), default=False)
    has_staff = models.BooleanField(_("有人员"), default=False)
    has_funding = models.BooleanField(_("有经费"), default=False)
    star_rating = models.PositiveSmallIntegerField(
        _("星级"), default=0, validators=[MaxValueValidator(5)], help_text=_("0 表示未评星，最高五星。")
    )
    star_rating_overridden = models.BooleanField(
        _("星级人工评定"), default=False, help_text=_("人工评定的星级不再按规则自动计算。")
    )
    star_rating_reason = models.CharField(_("人工评定理由"), max_length=200, blank=True)
    station_class = models.CharField(_("类别"), max_length=10, choices=StationClass.choices, blank=True)
    demonstration_level = models.CharField(
        _("示范等级"), max_length=10, choices=DemonstrationLevel.choices, blank=True, default=""
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("联络站点")
        verbose_name_plural = _("联络站点")
        ordering = ["region_id", "kind", "name"]
        indexes = [
            models.Index(fields=["kind", "region"], name="station_kind_region"),
            models.Index(fields=["name"], name="station_name"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="station_unique_name_in_region"),
            models.CheckConstraint(condition=Q(star_rating__lte=5), name="station_star_rating_max_5"),
            models.CheckConstraint(
                condition=Q(reception_day__isnull=True) | Q(reception_day__gte=1, reception_day__lte=31),
                name="station_reception_day_1_31",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")),
                name="station_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def eight_haves(self) -> list[tuple[str, bool]]:
        return [(label, getattr(self, field)) for field, label in EIGHT_HAVES]

    @property
    def eight_haves_count(self) -> int:
        return sum(1 for field, _label in EIGHT_HAVES if getattr(self, field))


class RegionStandard(models.Model):
    """The station checklist a region uses (八有 or 十有); a region without one takes the nearest
    region above that has one, else 八有 (`checklist_for`)."""

    region = models.OneToOneField(
        Region, verbose_name=_("区划"), on_delete=models.CASCADE, primary_key=True, related_name="standard"
    )
    checklist = models.CharField(_("站点标准"), max_length=10, choices=Checklist.choices, default=Checklist.EIGHT)

    class Meta:
        verbose_name = _("站点建设标准")
        verbose_name_plural = _("站点建设标准")

    def __str__(self) -> str:
        return f"{self.region} {self.get_checklist_display()}"


def checklist_for(code: str) -> tuple[str, list]:
    """The checklist (its value and its (field, label) items) of the region `code`: the nearest
    region at or above it that set one, else 八有."""
    rows = dict(RegionStandard.objects.filter(region_id__in=lineage(code)).values_list("region_id", "checklist"))
    chosen = Checklist.EIGHT
    for prefix in lineage(code):  # shortest first: the nearest wins
        chosen = rows.get(prefix, chosen)
    return chosen, CHECKLISTS[Checklist(chosen)]
