"""Forms of the public station pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.models import region_code_validator


class StationSearchForm(forms.Form):
    """找联络站: by name, inside the region picked in the drill-down."""

    q = forms.CharField(
        label=_("站点名称"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如：东街街道"), "autocomplete": "off"}),
    )
    region = forms.CharField(
        label=_("区划代码"), required=False, max_length=12, validators=[region_code_validator], widget=forms.HiddenInput
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class ScheduleMonthsForm(forms.Form):
    """Which months the reception schedule (公示表) covers."""

    month = forms.DateField(label=_("起始月份"), required=False, input_formats=["%Y-%m"])
    months = forms.IntegerField(label=_("月数"), required=False, min_value=1, max_value=12)
