"""Handling units (承办单位) and the categories suggestions are filed under."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.regions import within
from stations.models import Region

from .choices import UnitKind


class UnitQuerySet(models.QuerySet):
    def in_region(self, code: str):
        return self.filter(within(code))


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
