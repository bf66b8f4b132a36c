"""One error shape for the whole API.

Every error answers `{"detail": <message>, "code": <machine code>}`; a 400 for bad input adds
`errors`, the field errors (`{"field": ["message", ...]}`, nested for nested objects, with
`non_field_errors` for the object as a whole); a 429 adds `retry_after` (seconds).

A `liaison.errors.DomainError` raised by a service answers with its own `status_code` and
`code` (e.g. 409 `invalid_transition` for a workflow action not allowed in the current
state); a Django `ValidationError` from a service or model is a 400 like a serializer's; a
database integrity error that validation did not foresee (two requests racing for the same
unique name) is a 409 `conflict`, not a 500.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from liaison.errors import DomainError


def _first_code(codes) -> str | None:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, dict):
        for value in codes.values():
            found = _first_code(value)
            if found:
                return found
    if isinstance(codes, list):
        for value in codes:
            found = _first_code(value)
            if found:
                return found
    return None


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        # A model's full_clean() puts whole-object errors under "__all__".
        return {("non_field_errors" if key == NON_FIELD_ERRORS else key): value for key, value in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": detail}
    return {"non_field_errors": [detail]}


def exception_handler(exc, context):
    """DRF's `EXCEPTION_HANDLER`: turn any expected error into the one shape."""
    if isinstance(exc, DomainError):
        set_rollback()
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=get_error_detail(exc))
    elif isinstance(exc, IntegrityError):
        set_rollback()
        return Response(
            {"detail": _("数据与已有记录冲突（如名称重复），请检查后重试。"), "code": "conflict"},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, Http404):
        # Django's message names the model ("No Station matches…"): say only "not found".
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling and logging take over

    if isinstance(exc, exceptions.ValidationError):
        codes = exc.get_codes()
        code = _first_code(codes) if isinstance(codes, (list, str)) else None
        response.data = {
            "detail": _("提交的数据有误，请按字段提示修改。"),
            "code": code or "invalid",
            "errors": _field_errors(exc.detail),
        }
        return response

    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    if isinstance(detail, dict):
        detail = detail.get("detail", detail)
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    code = getattr(detail, "code", None) or getattr(exc, "default_code", None) or "error"
    data = {"detail": str(detail), "code": code}
    if response.status_code == status.HTTP_400_BAD_REQUEST:
        data["errors"] = {}  # every 400 has the same keys (e.g. a body that is not JSON)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        data["retry_after"] = int(exc.wait + 0.999)
    response.data = data
    return response
