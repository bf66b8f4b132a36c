"""What `POST suggestions/` (提) and an attachment upload accept. The workflow steps' inputs are in
`suggestions.steps.inputs`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from deputies.models import Deputy, Reception
from deputies.selectors import reception_list
from liaison.api.fields import ScopedPrimaryKeyRelatedField
from stations.api import RegionCodeField
from stations.models import Station
from suggestions.api.base import phone_format_public
from suggestions.models import (
    Category,
    Route,
    Session,
    SuggestionKind,
)
from suggestions.selectors import active_categories, any_deputy, any_station


# --- write side: bodies -----------------------------------------------------------------------------
@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "opinion_at_reception",
            summary="工作人员录入接待中收集的群众意见",
            value={
                "kind": "opinion", "title": "小区门口路灯不亮", "content": "晚上出行不安全，请尽快修复。",
                "category": 3, "region": "140403001", "station": 12, "submitter_name": "王小明",
                "submitter_phone": "13900001111", "deputies": [7],
            },
            request_only=True,
        )
    ]
)
class SuggestionCreateSerializer(serializers.Serializer):
    """提: a new opinion or deputy's suggestion (→ `submitted`, with its tracking code)."""

    kind = serializers.ChoiceField(choices=SuggestionKind.choices, default=SuggestionKind.OPINION)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=10000)
    category = ScopedPrimaryKeyRelatedField(selector=active_categories, model=Category, required=False, allow_null=True)
    region = RegionCodeField(help_text=_("问题所在区划代码"))
    station = ScopedPrimaryKeyRelatedField(selector=any_station, model=Station, required=False, allow_null=True)
    reception = ScopedPrimaryKeyRelatedField(selector=reception_list, model=Reception, required=False, allow_null=True)
    submitter_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    submitter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, validators=[phone_format_public])
    submitter_email = serializers.EmailField(max_length=100, required=False, allow_blank=True,
                                             help_text=_("提出人的电子邮箱（选填）：回执和答复通知也发到此邮箱"))
    contact_consent = serializers.BooleanField(
        required=False, default=False,
        help_text=_("提出人同意“办理单位可以联系我”：主办单位联络员在办理期间可看到其姓名和电话（每次查看留痕）"),
    )
    deputies = ScopedPrimaryKeyRelatedField(
        selector=any_deputy, model=Deputy, many=True, required=False,
        help_text=_(
            "代表 id 列表，领衔代表在前；群众意见填接待代表。代表本人提交时本人即领衔（第一位是其他代表：400），"
            "其余代表收到附议邀请，确认后才成为附议代表（consent）"
        ),
    )
    session = serializers.ChoiceField(
        choices=Session.choices, required=False, allow_blank=True,
        help_text=_("代表建议：in_session 大会期间、interim 闭会期间（默认）；群众意见不填"),
    )
    route_proposal = serializers.ChoiceField(
        choices=Route.choices, required=False, allow_blank=True,
        help_text=_("五分类（录入时提出，审核受理时可改）：on_spot 代表即办、grassroots 基层受理、township 乡镇主办、"
                    "district 区级联动、escalate 上报处办"),
    )

    def validate_deputies(self, deputies):
        if len({d.pk for d in deputies}) != len(deputies):
            raise serializers.ValidationError(_("同一名代表填写了两次。"))
        return deputies


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("PDF、JPG、PNG、docx、xlsx 或文本文件，按内容识别类型"))
