"""Forms of the deputy pages: recording a reception (接待走访群众记录)."""

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import ActivityKind, ContactMode, Deputy, Reception, ReceptionStatus
from deputies.services import reception_create, reception_update
from stations.models import Station

SUMMARY_MAX_LENGTH = 5000
MAX_VISITORS = 100_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DeputyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


class ReceptionRecordForm(forms.ModelForm):
    """A reception the signed-in deputy held: where, when, how, with whom, what happened.

    `deputy` is the author: they are always among the deputies present. The stations offered
    are theirs; the other deputies offered are those grouped into any of their stations.
    """

    co_deputies = DeputyChoiceField(
        label=_("同场接待的其他代表"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Reception
        fields = ["station", "date", "starts_at", "ends_at", "mode", "topic", "visitor_count", "summary"]
        widgets = {
            "date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "summary": forms.Textarea(attrs={"rows": 6, "maxlength": SUMMARY_MAX_LENGTH}),
        }
        help_texts = {
            "visitor_count": _("本次接待的群众人数。"),
            "summary": _("接待的基本情况；群众反映的具体问题请在下方逐条填写。"),
        }

    def __init__(self, *args, deputy: Deputy, **kwargs):
        super().__init__(*args, **kwargs)
        self.deputy = deputy
        my_stations = Station.objects.filter(memberships__deputy=deputy).select_related("region").order_by("name")
        self.fields["station"].queryset = my_stations
        self.fields["station"].empty_label = None
        self.fields["co_deputies"].queryset = (
            Deputy.objects.filter(memberships__station__in=my_stations).exclude(pk=deputy.pk).distinct().order_by("name", "id")
        )
        self.fields["summary"].max_length = SUMMARY_MAX_LENGTH
        self.fields["summary"].validators.append(MaxLengthValidator(SUMMARY_MAX_LENGTH))
        self.fields["visitor_count"].max_value = MAX_VISITORS
        self.fields["visitor_count"].widget.attrs.update({"min": 0, "max": MAX_VISITORS})
        self.fields["visitor_count"].validators.append(MaxValueValidator(MAX_VISITORS))
        if self.instance.pk and not self.is_bound:
            self.initial["co_deputies"] = [d.pk for d in self.instance.deputies.all() if d.pk != deputy.pk]
            if not self.instance.date or self.instance.date > timezone.localdate():
                self.initial["date"] = timezone.localdate()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("接待记录的日期不能晚于今天；尚未举行的接待请在排期中安排。"))
        return date

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("结束时间不能早于开始时间。"))
        return cleaned

    def save(self, *, by) -> Reception:
        """Store the record through the same services as the API (deputies.services): status
        已记录, the author among the deputies present."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("starts_at", "ends_at", "mode", "topic", "visitor_count", "summary")}
        present = [self.deputy, *data["co_deputies"]]
        if self.instance.pk:
            return reception_update(
                reception=self.instance,
                deputies=present,
                station=data["station"],
                date=data["date"],
                status=ReceptionStatus.RECORDED,
                **fields,
            )
        return reception_create(
            station=data["station"], date=data["date"], by=by, deputies=present, status=ReceptionStatus.RECORDED, **fields
        )


# --- duty activities a deputy registers (deputies/activity_views.py) ---------------------------
class _Files(forms.ClearableFileInput):
    allow_multiple_selected = True


class ActivityFilesField(forms.FileField):
    """Photos or files from one <input type=file multiple>; the service checks each by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _Files(attrs={"accept": "image/*,.pdf", "capture": "environment"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(ActivityFilesField, self).clean(f, initial) for f in files]


class ActivityRegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    date = forms.DateField(label=_("活动日期"), widget=DateInput())
    place = forms.CharField(label=_("活动地点"), max_length=200)
    partners = forms.CharField(label=_("与谁一起"), max_length=200, required=False,
                               help_text=_("如：其他代表、区住建局、社区居委会"))
    note = forms.CharField(label=_("活动情况及成效"), widget=forms.Textarea(attrs={"rows": 4}))
    files = ActivityFilesField(label=_("照片或文件"), help_text=_("可拍照上传，JPEG、PNG、WebP 或 PDF，最多 9 个。"))


class ActivityReviewForm(forms.Form):
    note = forms.CharField(label=_("说明（退回时必填）"), required=False, max_length=500,
                           widget=forms.TextInput())


class ContactForm(forms.Form):
    """代表联系群众: a contact with voters outside a reception (走访、座谈、电话…)."""

    date = forms.DateField(label=_("联系日期"), widget=DateInput())
    mode = forms.ChoiceField(label=_("联系方式"), choices=ContactMode.choices)
    people = forms.IntegerField(label=_("联系群众人数"), min_value=0, max_value=MAX_VISITORS, initial=1)
    note = forms.CharField(label=_("联系情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=SUMMARY_MAX_LENGTH)
