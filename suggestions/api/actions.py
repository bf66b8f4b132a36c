"""The bodies of the workflow's steps: what each @action (and `POST suggestions/`) accepts."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from deputies.models import Deputy, Reception
from deputies.selectors import reception_list
from liaison.api.fields import ScopedPrimaryKeyRelatedField
from liaison.models import User
from stations.api import RegionCodeField
from stations.models import Station
from suggestions.api.base import (
    active_categories,
    active_leaders,
    any_deputy,
    any_station,
    phone_format_public,
    visible_suggestions,
)
from suggestions.models import (
    Category,
    ContactKind,
    FeedbackChannel,
    Rating,
    Result,
    Route,
    Session,
    Suggestion,
    SuggestionKind,
    Supervision,
    Unit,
)
from suggestions.selectors import unit_list


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
    deputies = ScopedPrimaryKeyRelatedField(
        selector=any_deputy, model=Deputy, many=True, required=False,
        help_text=_("代表 id 列表，领衔代表在前；群众意见填接待代表"),
    )
    session = serializers.ChoiceField(choices=Session.choices, required=False, allow_blank=True)

    def validate_deputies(self, deputies):
        if len({d.pk for d in deputies}) != len(deputies):
            raise serializers.ValidationError(_("同一名代表填写了两次。"))
        return deputies


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RequiredNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class ResolveOnSpotSerializer(RequiredNoteSerializer):
    result = serializers.ChoiceField(choices=Result.choices, default=Result.A)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MergeSerializer(NoteSerializer):
    into = ScopedPrimaryKeyRelatedField(selector=visible_suggestions, model=Suggestion, help_text=_("并入的意见建议 id"))


class AssignSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices)
    lead_unit = ScopedPrimaryKeyRelatedField(selector=unit_list, model=Unit, help_text=_("主办单位 id"))
    co_units = ScopedPrimaryKeyRelatedField(
        selector=unit_list, model=Unit, many=True, required=False, help_text=_("协办单位 id 列表")
    )
    deadline = serializers.DateField(required=False, allow_null=True, help_text=_("主办期限；不填按办理方式的工作日数计算"))
    co_deadline = serializers.DateField(required=False, allow_null=True, help_text=_("协办期限；不填按设置计算"))
    requirements = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SuperviseSerializer(NoteSerializer):
    level = serializers.ChoiceField(choices=[Supervision.NORMAL, Supervision.KEY])
    leader = ScopedPrimaryKeyRelatedField(
        selector=active_leaders, model=User, required=False, allow_null=True, help_text=_("领衔督办人（领导账号 id）；重点督办必填")
    )


class EvaluateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    deputy = ScopedPrimaryKeyRelatedField(
        selector=any_deputy, model=Deputy, required=False, allow_null=True,
        help_text=_("工作人员代为录入某位代表的评价时填写；不填：代表本人评价，或工作人员代群众评价"),
    )


class FeedbackBodySerializer(NoteSerializer):
    channel = serializers.ChoiceField(choices=FeedbackChannel.choices)


class EmptySerializer(serializers.Serializer):
    pass


class ConvertSerializer(NoteSerializer):
    deputies = ScopedPrimaryKeyRelatedField(
        selector=any_deputy, model=Deputy, many=True, required=False, help_text=_("领衔代表在前；不填为当前代表或原接待代表")
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    category = ScopedPrimaryKeyRelatedField(selector=active_categories, model=Category, required=False, allow_null=True)


class EscalateSerializer(NoteSerializer):
    to_region = RegionCodeField(required=False, allow_null=True, help_text=_("转报至的上级区划；不填为上一级"))


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("PDF、JPG、PNG、docx、xlsx 或文本文件，按内容识别类型"))


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ContactBodySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    note = serializers.CharField(max_length=2000)


class ReplySerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices)
    content = serializers.CharField(max_length=10000)


class ReplyWithFilesSerializer(ReplySerializer):
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=5,
        help_text=_("答复函等材料，最多 5 个；PDF、JPG、PNG、docx、xlsx 或文本文件，按内容识别类型"),
    )
