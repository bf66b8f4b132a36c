"""Forms of the suggestion pages: they validate input at the edge; the services do the work.

Limits on length are stricter than the database's so that a form never gets as far as a
database error, and every text a person typed is shown back as text, never as markup.
"""

import re

from django import forms
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy

from .models import (
    Category,
    Rating,
    Route,
    Session,
)

TITLE_MAX = 100
CONTENT_MAX = 2000
NOTE_MAX = 2000
REPLY_MAX = 5000
MAX_FILES = 5

phone_validator = RegexValidator(r"^[0-9+\-() ]{7,20}$", _("请填写正确的电话号码（7–20 位数字）。"))


class LengthLimit(MaxLengthValidator):
    """One message, in plain words, with the count and how much to cut (Django's own says
    "变量", and a CharField with `max_length` said it twice)."""

    message = _("最多 %(limit_value)s 字，现在是 %(show_value)s 字，请删减后再提交（您写的内容都还在）。")


def _text(label, max_length: int, *, required: bool = True, rows: int | None = None, help_text: str = ""):
    """A CharField with a length limit stated before typing and counted while typing
    (static/js/charcount.js reads `data-maxlength`). No `maxlength` in the page: a browser
    cuts pasted text there without a word; the server's one validator says what to do."""
    attrs = {"data-maxlength": max_length}
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    limit = format_lazy(_("最多 {} 字。"), f"{max_length:,}")
    return forms.CharField(
        label=label,
        required=required,
        widget=widget,
        help_text=format_lazy("{}{}", help_text, limit) if help_text else limit,
        validators=[LengthLimit(max_length)],
    )


class CategoryChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Category.objects.filter(is_active=True).order_by("order", "name"),
            required=False,
            label=_("类别"),
            empty_label=_("（不确定可不选）"),
            **kwargs,
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; the services check each file's type
    and size by its content."""

    def __init__(self, *args, max_files: int = MAX_FILES, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.txt"}))
        kwargs.setdefault("required", False)
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > self.max_files:
            raise forms.ValidationError(_("最多上传 %(n)d 个附件。") % {"n": self.max_files})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


# --- the public -------------------------------------------------------------------------------


class OpinionForm(forms.Form):
    """群众意见: what a voter writes from a station's or a deputy's QR page, or for a region.

    `website` is a honeypot: hidden from people (and from screen readers), filled in by bots.
    """

    title = _text(_("标题"), TITLE_MAX, help_text=_("一句话说明问题，如：某小区门前路灯不亮。"))
    content = _text(_("具体内容"), CONTENT_MAX, rows=7, help_text=_("问题发生的地点、时间和您的建议。"))
    category = CategoryChoiceField()
    submitter_name = _text(_("您的姓名"), 20, required=False, help_text=_("选填。只有工作人员和接收意见的代表能看到，不会公开。"))
    submitter_phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("选填。用于接收查询码短信和答复通知；留了电话的，评价时须填写其后四位。不会公开。"),
    )
    submitter_email = forms.EmailField(
        label=_("电子邮箱"), max_length=100, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        help_text=_("选填。查询码和答复通知也会发到这里；不会公开。"),
    )
    contact_consent = forms.BooleanField(
        label=_("办理单位可以联系我"), required=False,
        help_text=_("勾选后，办理期间主办单位的工作人员可以看到您的姓名和电话，以便联系您了解情况（每次查看都有记录）。"),
    )
    attachments = MultipleFileField(
        label=_("图片或文件"),
        max_files=3,
        help_text=_("选填，最多 3 个，每个不超过 10 MB：JPG、PNG、PDF、Word、Excel 或文本。"),
    )
    website = forms.CharField(label=_("网站"), required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    # Set by the "already being handled" list (static/js/similar.js): the code of the item the
    # voter chose to follow; the opinion is recorded and merged into it (services/following.py).
    follow = forms.CharField(label=_("跟进事项"), required=False, max_length=32, widget=forms.HiddenInput)

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_submitter_name(self) -> str:
        return self.cleaned_data["submitter_name"].strip()

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=16,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("提交意见时获得的 12 位查询码（一事一码）。"),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).upper()
        if not re.fullmatch(r"[0-9A-Z]{6,16}", code):
            raise forms.ValidationError(_("查询码只包含字母和数字。"))
        return code


class VoterRatingForm(forms.Form):
    """The voter's rating of a reply on the tracking page (the API's public/track/{code}/rate/)."""

    rating = forms.ChoiceField(label=_("您对答复满意吗？"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = _text(_("意见"), 1000, required=False, rows=3, help_text=_("选择“不满意”时请写明原因，工作人员会核实处理。"))
    phone_last4 = forms.CharField(
        label=_("提交时所留电话的后四位"), max_length=4, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "autocomplete": "off", "size": 6}),
    )


# --- deputies ---------------------------------------------------------------------------------


class IssueForm(forms.Form):
    """One issue a voter raised at a reception: it becomes an opinion linked to the reception."""

    title = _text(_("问题"), TITLE_MAX)
    content = _text(_("具体情况"), CONTENT_MAX, rows=3)
    category = CategoryChoiceField()
    submitter_name = _text(_("反映人"), 20, required=False)
    submitter_phone = forms.CharField(label=_("反映人电话"), max_length=20, required=False, validators=[phone_validator])
    route_proposal = forms.ChoiceField(
        label=_("五分类"), choices=Route.choices, required=False, widget=forms.RadioSelect,
        help_text=_("代表即办：保存后在接待记录中点“代表即办”填写办理情况；上报处办：由工作人员转报上级。"),
    )
    contact_consent = forms.BooleanField(label=_("反映人同意办理单位联系"), required=False)


class BaseIssueFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        titles = [f.cleaned_data.get("title") for f in self.forms if f.has_changed() and f.cleaned_data.get("title")]
        if len(titles) != len(set(titles)):
            raise forms.ValidationError(_("同一次接待中有重复的问题，请合并后再保存。"))


IssueFormSet = forms.formset_factory(IssueForm, formset=BaseIssueFormSet, extra=2, max_num=20, validate_max=True)


class DeputyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


class DeputySuggestionForm(forms.Form):
    """代表建议: the signed-in deputy leads it; co-signers (附议) come from their stations."""

    title = _text(_("建议标题"), TITLE_MAX)
    content = _text(_("建议内容"), 10_000, rows=10, help_text=_("问题、原因分析和具体建议。"))
    category = CategoryChoiceField()
    session = forms.ChoiceField(label=_("提出时间段"), choices=Session.choices, initial=Session.INTERIM)
    co_signers = DeputyChoiceField(
        label=_("附议代表"), queryset=Deputy.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("所选代表会收到附议邀请，本人确认后才列为附议代表。"),
    )
    attachments = MultipleFileField(
        label=_("附件"), help_text=_("选填，最多 5 个，每个不超过 10 MB：PDF、JPG、PNG、Word、Excel 或文本。")
    )

    def __init__(self, *args, deputy: Deputy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_signers"].queryset = (
            Deputy.objects.filter(memberships__station__memberships__deputy=deputy)
            .exclude(pk=deputy.pk)
            .distinct()
            .order_by("name", "id")
        )


# --- unit officers --------------------------------------------------------------------------


class AttachForm(forms.Form):
    """One more reply document after the reply (e.g. the signed letter, 盖章答复函)."""

    file = forms.FileField(
        label=_("补充答复材料"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.txt"}),
        help_text=_("每个不超过 10 MB：PDF、JPG、PNG、Word、Excel 或文本。"),
    )
