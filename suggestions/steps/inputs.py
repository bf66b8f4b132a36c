"""What each workflow step takes: one serializer per step.

The API validates a step's body with it; the web pages and the admin render a form derived
from it (`suggestions.steps.forms`) and validate what was posted with the same serializer, so
every surface accepts the same fields with the same rules and messages. Labels are the
Chinese a person reads on the form.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deputies.models import Deputy
from liaison.api.fields import ScopedPrimaryKeyRelatedField
from liaison.models import User
from stations.api import RegionCodeField
from suggestions.models import (
    Category,
    ContactKind,
    FeedbackChannel,
    Rating,
    Result,
    Route,
    Suggestion,
    Supervision,
    Unit,
)
from suggestions.selectors import (
    active_categories,
    active_leaders,
    any_deputy,
    unit_list,
    visible_suggestions,
)

NOTE_MAX = 2000


NOTE_LABEL = _("说明")


def _note(label=NOTE_LABEL, **kwargs):
    kwargs.setdefault("required", False)
    if not kwargs["required"]:
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
    return serializers.CharField(max_length=NOTE_MAX, label=label, **kwargs)


@extend_schema_field({"oneOf": [{"type": "integer", "format": "int64"}, {"type": "string", "pattern": "^[0-9A-Za-z]{6,16}$"}]})
class SuggestionReferenceField(ScopedPrimaryKeyRelatedField):
    """A suggestion the caller can see, by id or by its tracking code (查询码): staff read codes
    off paper records, integrators hold ids."""

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip() and not data.strip().isdigit():
            found = self.get_queryset().filter(code=data.strip().upper()).first()
            if found is None:
                self.fail("does_not_exist", pk_value=data)
            return found
        return super().to_internal_value(data)


class NoteSerializer(serializers.Serializer):
    note = _note()


class AcceptSerializer(serializers.Serializer):
    route_proposal = serializers.ChoiceField(
        choices=Route.choices, required=False, allow_blank=True, default="", label=_("五分类"),
        help_text=_("确认或改定录入时提出的办理分类；不填保持原分类"),
    )
    note = _note()


class CosignSerializer(serializers.Serializer):
    agree = serializers.BooleanField(label=_("同意附议"), help_text=_("true 确认附议，false 谢绝"))
    note = _note()


class ResolveOnSpotSerializer(serializers.Serializer):
    note = _note(_("即办情况（即答复内容）"), required=True)
    result = serializers.ChoiceField(choices=Result.choices, default=Result.A, label=_("办理结果"))


class PublishSerializer(serializers.Serializer):
    """公示: what goes public, as checked on the preview (`publish-preview/`); left empty, the
    preview itself (the voter's words with the personal data detected in them masked)."""

    public_title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label=_("公示标题"),
        help_text=_("已自动隐去姓名、电话、身份证号和门牌地址，请核对后公开"),
    )
    public_content = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, default="", label=_("公示内容"),
        help_text=_("已自动隐去姓名、电话、身份证号和门牌地址，请核对后公开"),
    )


class RehandleSerializer(serializers.Serializer):
    reason = _note(_("退回重办理由"), required=True)


class DeclineSerializer(serializers.Serializer):
    reason = _note(_("不予受理理由"), required=True)


class MergeSerializer(serializers.Serializer):
    into = SuggestionReferenceField(
        selector=visible_suggestions, model=Suggestion, label=_("并入事项"),
        help_text=_("并入的意见建议：id 或查询码"),
    )
    note = _note()


class AssignSerializer(serializers.Serializer):
    route = serializers.ChoiceField(
        choices=Route.choices, required=False, allow_blank=True, default="", label=_("办理方式（五分类）"),
        help_text=_("须与主办单位的层级相符（设置 ROUTE_UNIT_LEVELS）：grassroots 基层受理 → 乡镇及以下单位，"
                    "township 乡镇主办 → 乡镇单位，district 区级联动 → 县级部门（市、省处理的事项为本级部门）；on_spot、escalate 不是交办"
                    "（用 resolve-on-spot、escalate），否则 400。不填按五分类"),
    )
    lead_unit = ScopedPrimaryKeyRelatedField(selector=unit_list, model=Unit, label=_("主办单位"), help_text=_("主办单位 id"))
    co_units = ScopedPrimaryKeyRelatedField(
        selector=unit_list, model=Unit, many=True, required=False, label=_("协办单位"), help_text=_("协办单位 id 列表")
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, label=_("主办期限"), help_text=_("主办期限；不填按办理方式的工作日数计算")
    )
    co_deadline = serializers.DateField(
        required=False, allow_null=True, label=_("协办期限"), help_text=_("协办期限；不填按设置计算")
    )
    requirements = _note(_("办理要求"))


class SuperviseSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=[Supervision.NORMAL, Supervision.KEY], label=_("督办级别"))
    leader = ScopedPrimaryKeyRelatedField(
        selector=active_leaders, model=User, required=False, allow_null=True, label=_("领衔督办人"),
        help_text=_("领衔督办人（领导账号 id）；重点督办必填"),
    )
    note = _note()


class EvaluateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices, label=_("评价"))
    comment = _note(_("评价意见"))
    deputy = ScopedPrimaryKeyRelatedField(
        selector=any_deputy, model=Deputy, required=False, allow_null=True, label=_("评价代表"),
        help_text=_("工作人员代为录入某位代表的评价时填写；不填：代表本人评价，或工作人员代群众评价"),
    )


class FeedbackBodySerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=FeedbackChannel.choices, label=_("反馈方式"))
    note = _note(_("反馈情况"))


class EmptySerializer(serializers.Serializer):
    """A step that takes nothing but the confirmation."""


class ConvertSerializer(serializers.Serializer):
    deputies = ScopedPrimaryKeyRelatedField(
        selector=any_deputy, model=Deputy, many=True, required=False, label=_("领衔和附议代表"),
        help_text=_("领衔代表在前；不填为当前代表或原接待代表"),
    )
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label=_("建议标题"), help_text=_("不填沿用原意见")
    )
    content = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, default="", label=_("建议内容"), help_text=_("不填沿用原意见")
    )
    category = ScopedPrimaryKeyRelatedField(
        selector=active_categories, model=Category, required=False, allow_null=True, label=_("类别")
    )
    note = _note()


class EscalateSerializer(serializers.Serializer):
    to_region = RegionCodeField(
        required=False, allow_null=True, label=_("转报至"),
        help_text=_("转报至的上级区划代码；不填为本人所在人大的上一级（乡镇→县、县→市、市→省）；不能是本级或下级"),
    )
    note = _note()


class ReturnSerializer(serializers.Serializer):
    reason = _note(_("退回理由"), required=True)


class ContactBodySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContactKind.choices, label=_("见面环节"))
    note = _note(_("见面情况"), required=True)


class ReplySerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices, label=_("办理结果"))
    content = serializers.CharField(max_length=10000, label=_("答复内容"))


class ReplyWithFilesSerializer(ReplySerializer):
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=5,
        label=_("答复函等材料"),
        help_text=_("答复函等材料，最多 5 个；PDF、JPG、PNG、docx、xlsx 或文本文件，按内容识别类型"),
    )


class ExtensionRequestSerializer(serializers.Serializer):
    deadline = serializers.DateField(label=_("申请延至"), help_text=_("希望延至的日期，须晚于现在的办理期限"))
    reason = _note(_("延期理由"), required=True)


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(label=_("同意延期"), help_text=_("true 同意（期限改为申请的日期），false 不同意"))
    note = _note(_("审批意见"), help_text=_("不同意时必填"))


# --- the actions not on one object (NOT_ON_ONE_OBJECT): 打捆督办 and 回头看 ----------------------
class BundleCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, label=_("督办主题"))
    suggestions = ScopedPrimaryKeyRelatedField(
        selector=visible_suggestions, model=Suggestion, many=True, label=_("意见建议"),
        help_text=_("打捆督办的意见建议 id（至少两件，均须已交办或办理中）"),
    )
    leader = ScopedPrimaryKeyRelatedField(
        selector=active_leaders, model=User, required=False, allow_null=True, label=_("领衔督办人"),
        help_text=_("领衔督办人（领导账号 id）；领导本人创建时可不填"),
    )
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="", label=_("说明"))


FOLLOW_UP_STATES = [("due", _("待回头看")), ("overdue", _("已逾期")), ("done", _("已完成"))]


class FollowUpCompleteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX, label=_("回头看情况"))
    solved = serializers.BooleanField(label=_("已真正解决"), help_text=_("false：尚未解决，须填下次回头看日期"))
    next_review_on = serializers.DateField(
        required=False, allow_null=True, default=None, label=_("下次回头看日期"), help_text=_("solved 为 false 时必填")
    )
class BatchAssignSerializer(AssignSerializer):
    """批量交办: the assign step's input, and the suggestions it applies to."""

    suggestions = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=200, label=_("意见建议"),
        help_text=_("意见建议 id 列表（最多 200 件）；每件单独交办，成败互不影响"),
    )

    def validate_suggestions(self, ids):
        return list(dict.fromkeys(ids))
