"""`POST suggestions/batch-assign/` (批量交办): after a congress session, one assignment for many
suggestions. Not a step of its own: the assign step (`suggestions.steps.table.STEPS["assign"]`,
its input serializer and its service) taken on each suggestion in turn, each in its own
transaction — one refused item (403, 404, 409, 400) changes nothing of it and does not stop
the others."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from liaison.errors import DomainError
from suggestions.models import Action, Status
from suggestions.selectors import suggestions_visible_to
from suggestions.steps import perform
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


def _plain(detail):
    if isinstance(detail, dict):
        return {key: _plain(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_plain(value) for value in detail]
    return str(detail) if isinstance(detail, ErrorDetail | str) else detail


def batch_assign(*, user, request, ids: list[int], data: dict) -> dict:
    """Assign each suggestion of `ids` with the same `data` (the assign step's body)."""
    step = STEPS[Action.ASSIGN]
    visible = {s.pk: s for s in suggestions_visible_to(user).filter(pk__in=ids)}
    results = []
    for pk in ids:
        suggestion = visible.get(pk)
        if suggestion is None:
            results.append({"id": pk, "status": 404, "code": "not_found", "error": _("不存在或无权查看。")})
            continue
        try:
            with transaction.atomic():
                done = perform(step, obj=suggestion, user=user, data=data, request=request)
        except DomainError as error:
            results.append({"id": pk, "status": error.status_code, "code": error.code, "error": str(error)})
        except serializers.ValidationError as error:
            results.append({"id": pk, "status": 400, "code": "invalid", "error": _plain(error.detail)})
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                detail = error.message_dict
                codes = [e.code for errors in error.error_dict.values() for e in errors if e.code]
            else:
                detail, codes = {"non_field_errors": error.messages}, []
            results.append({"id": pk, "status": 400, "code": codes[0] if codes else "invalid", "error": detail})
        else:
            results.append({"id": pk, "status": 200, "suggestion_status": done.status})
    assigned = sum(1 for r in results if r["status"] == 200)
    return {"results": results, "assigned": assigned, "failed": len(results) - assigned}
