"""One step taken on each of several suggestions (批量交办 after a congress session): the step's
input serializer and service on each suggestion in turn, each in its own transaction — a refused
item (403, 404, 409, 400) changes nothing of it and does not stop the others. The API
(`POST suggestions/batch-assign/`) and the admin's action both call `take_on_each`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from liaison.errors import DomainError
from suggestions.selectors import suggestions_visible_to
from suggestions.steps import Step, perform


def _plain(detail):
    if isinstance(detail, dict):
        return {key: _plain(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_plain(value) for value in detail]
    return str(detail) if isinstance(detail, ErrorDetail | str) else detail


def take_on_each(step: Step, *, user, request, ids: list[int], data: dict) -> dict:
    """Take `step` on each suggestion of `ids` with the same `data` (the step's body):
    `{"results": [{"id", "status", ...}], "assigned", "failed"}`, `status` as the single step's
    HTTP answer would be."""
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
