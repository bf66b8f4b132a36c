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
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


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
