"""`POST suggestions/batch-assign/` (批量交办): after a congress session, one assignment for many
suggestions. Not a step of its own: the assign step (`suggestions.steps.table.STEPS["assign"]`,
its input serializer and its service) taken on each suggestion in turn
(`suggestions.steps.batch.take_on_each`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from suggestions.models import Action, Status
from suggestions.steps.batch import take_on_each
from suggestions.steps.table import STEPS


class BatchItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("意见建议 id"))
    status = serializers.IntegerField(
        help_text=gettext_lazy("本件结果，同单件交办的 HTTP 状态：200 已交办、400 输入或五分类规则不符、403 无权、"
                               "404 不存在或无权查看、409 当前状态不能交办")
    )
    suggestion_status = serializers.ChoiceField(
        choices=Status.choices, required=False, help_text=gettext_lazy("交办后的状态（成功时）"))
    code = serializers.CharField(required=False, help_text=gettext_lazy("错误代码，如 invalid_transition"))
    error = serializers.JSONField(required=False, help_text=gettext_lazy("错误说明（字符串或按字段的错误）"))


class BatchAssignResultSerializer(serializers.Serializer):
    results = BatchItemSerializer(many=True)
    assigned = serializers.IntegerField(help_text=gettext_lazy("成功交办的件数"))
    failed = serializers.IntegerField(help_text=gettext_lazy("未交办的件数"))


def batch_assign(*, user, request, ids: list[int], data: dict) -> dict:
    return take_on_each(STEPS[Action.ASSIGN], user=user, request=request, ids=ids, data=data)
