"""Answer templates (答复模板): the reply a handling unit gives again and again, with
placeholders filled from the item; a unit's own, or shared by every unit of a region."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stations.models import Region

from .units import Unit

#: Placeholder → what it becomes (suggestions.similar.templates.fill).
PLACEHOLDERS = {
    "{区划}": _("群众所在区划，如 太东街道"),
    "{期限}": _("本单位的办理期限，如 2026-03-15"),
    "{标题}": _("事项标题"),
    "{查询码}": _("事项查询码"),
    "{单位}": _("本单位名称"),
}


class AnswerTemplate(models.Model):
    title = models.CharField(_("模板名称"), max_length=100)
    body = models.TextField(_("模板内容"), help_text=_("可用占位符：{区划} {期限} {标题} {查询码} {单位}"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.CASCADE, null=True, blank=True, related_name="answer_templates",
        help_text=_("本单位专用；不填则为区划内各单位共用。"),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("共用区划"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("区划内（含下级）各单位共用的模板。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("答复模板")
        verbose_name_plural = _("答复模板")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, region__isnull=True) | Q(unit__isnull=True, region__isnull=False),
                name="answer_template_unit_or_region",
            )
        ]

    def __str__(self) -> str:
        return self.title
