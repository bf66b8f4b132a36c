"""Terms of a people's congress (届), e.g. 长治市第十五届: the "本届" statistics period."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stations.models import Region


class Term(models.Model):
    """One term of the congress of `region` (届次), with its first and last day. Staff edit them
    in the admin; the statistics' "本届" period is the term of the nearest congress at or above
    the region looked at that covers the day."""

    name = models.CharField(_("届次"), max_length=50, help_text=_("如：长治市第十五届"))
    region = models.ForeignKey(
        Region, verbose_name=_("人大所在区划"), on_delete=models.PROTECT, related_name="terms",
    )
    start_on = models.DateField(_("起始日期"))
    end_on = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("不填：本届尚未结束。"))

    class Meta:
        verbose_name = _("届次")
        verbose_name_plural = _("届次")
        ordering = ["region_id", "-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name
