"""OpenAPI: the error shapes and the schema generator that documents them on every operation.

`AutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds, where they can happen, the error
responses `liaison.api.exceptions.exception_handler` produces:

| status | when | on |
| --- | --- | --- |
| 400 | invalid body, filter or page size | writes, lists, and any operation that takes input |
| 401 | no or invalid credentials | every operation that needs an account |
| 403 | the role may not do this | every operation that needs an account |
| 404 | not there, or not visible to the caller; a page past the end | operations on one object, lists |
| 409 | a domain rule refused the change (e.g. `invalid_transition`) or a conflicting record | writes |
| 429 | throttled, or a locked login | throttled operations |

It also documents exactly what the server sends and accepts, so that a schema-driven client or
fuzzer (schemathesis, tests/liaison/test_api_schema.py) finds no answer the schema contradicts:

- request bodies are JSON; multipart/form-data only where an operation takes files (its view
  names its own parsers). The form encodings the server also parses are not the contract;
- a read-only choice whose model field may be blank or null says so (`""`, `null`), e.g.
  `route` before a suggestion is assigned;
- times of day are `HH:MM[:SS[.ffffff]]` without offset (RFC 3339 `partial-time`; `format: time`
  would demand an offset);
- a blank-allowed string with a pattern is `anyOf` (a pattern admitting `""` made `oneOf` fail);
- `MaskablePhoneField` answers masked numbers (`138****1234`) that its input pattern refuses.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings

from liaison.api.fields import PHONE_PATTERN, MaskablePhoneField

# What DRF's TimeField parses with REST_FRAMEWORK["TIME_INPUT_FORMATS"] and answers (isoformat).
TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5]?[0-9](:[0-5]?[0-9](\.[0-9]{1,6})?)?$"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("给人看的错误说明（中文）。"))
    code = serializers.CharField(
        help_text=_("机器可读的错误代码，如 not_found、permission_denied、invalid_transition。")
    )


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        help_text=_("字段错误：字段名 → 错误说明列表；嵌套对象的错误按同样结构嵌套；整体错误在 non_field_errors。"),
    )


class ThrottledErrorSerializer(ErrorSerializer):
    retry_after = serializers.IntegerField(required=False, help_text=_("多少秒后可以重试。"))


def _example(name, status_code, value, summary=""):
    return OpenApiExample(name, value=value, summary=summary or name, status_codes=[str(status_code)], response_only=True)


ERROR_RESPONSES = {
    "400": OpenApiResponse(
        ValidationErrorSerializer,
        description=_("输入有误：errors 中按字段列出原因。"),
        examples=[
            _example(
                "field_errors",
                400,
                {
                    "detail": "提交的数据有误，请按字段提示修改。",
                    "code": "invalid",
                    "errors": {"region": ["区划代码应为 2、4、6、9 或 12 位数字。"], "name": ["该字段是必填项。"]},
                },
                "字段错误",
            )
        ],
    ),
    "401": OpenApiResponse(
        ErrorSerializer,
        description=_("未登录或令牌无效。"),
        examples=[_example("not_authenticated", 401, {"detail": "身份认证信息未提供。", "code": "not_authenticated"}, "未登录")],
    ),
    "403": OpenApiResponse(
        ErrorSerializer,
        description=_("已登录，但当前角色不能执行此操作。"),
        examples=[_example("permission_denied", 403, {"detail": "您的角色不能执行此操作。", "code": "permission_denied"}, "无权限")],
    ),
    "404": OpenApiResponse(
        ErrorSerializer,
        description=_("不存在，或不在您的管辖范围内；列表的页码超出范围。"),
        examples=[_example("not_found", 404, {"detail": "未找到。", "code": "not_found"}, "未找到")],
    ),
    "409": OpenApiResponse(
        ErrorSerializer,
        description=_("与当前状态冲突：当前状态下不允许该操作（invalid_transition），或与已有记录冲突（conflict）。"),
        examples=[
            _example(
                "invalid_transition",
                409,
                {"detail": "当前状态下不能执行该操作。", "code": "invalid_transition"},
                "状态不允许",
            )
        ],
    ),
    "429": OpenApiResponse(
        ThrottledErrorSerializer,
        description=_("请求过于频繁，或登录失败次数过多账号暂时锁定；retry_after 秒后重试。"),
        examples=[
            _example(
                "throttled",
                429,
                {"detail": "请求超过了限速。 Expected available in 42 seconds.", "code": "throttled", "retry_after": 42},
                "限速",
            )
        ],
    ),
}

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's generator plus the API's error responses on every operation."""

    def _error_codes(self) -> list[str]:
        view = self.view
        codes: list[str] = []
        public = any(isinstance(p, AllowAny) for p in view.get_permissions())
        has_path_params = "{" in self.path
        is_list = self._is_list_view()
        takes_input = self.method in WRITE_METHODS or (self.method == "GET" and is_list)
        if takes_input or getattr(view, "schema_input_errors", False):
            codes.append("400")
        if not public:
            codes += ["401", "403"]
        if has_path_params or is_list:
            codes.append("404")
        if self.method in WRITE_METHODS and not public:
            codes.append("409")
        if view.get_throttles():
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ERROR_RESPONSES[code], code, direction=direction)
        return responses

    def map_parsers(self):
        media_types = super().map_parsers()
        parsers = [type(parser) for parser in self.view.get_parsers()]
        if parsers == list(api_settings.DEFAULT_PARSER_CLASSES):
            return [media_type for media_type in media_types if "json" in media_type] or media_types
        if "multipart/form-data" in media_types:  # files cannot travel url-encoded
            media_types = [media_type for media_type in media_types if media_type != "application/x-www-form-urlencoded"]
        return media_types

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.ChoiceField) and field.read_only:
            model_field = _model_field(field)
            if model_field is not None:
                field.allow_blank = field.allow_blank or bool(model_field.blank and not model_field.null)
                field.allow_null = field.allow_null or model_field.null
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            schema = {**schema, "format": "partial-time", "pattern": TIME_PATTERN}
        if isinstance(field, MaskablePhoneField) and direction == "response":
            # Set before the field's validators are inserted, so it replaces their pattern.
            schema = {**schema, "pattern": PHONE_PATTERN.replace("]", "*]", 1)}
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if "oneOf" in schema and schema["oneOf"][-1:] == [{"type": "string", "maxLength": 0}]:
            schema["anyOf"] = schema.pop("oneOf")


def _model_field(field):
    """The model field a ModelSerializer's field reads, if it reads one directly."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except Exception:  # noqa: BLE001 - a property or annotation, not a model field
        return None
