"""Authentication (`auth/token/`), the caller (`me/`) and accounts (`users/`)."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import (
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
)
from accounts.filters import UserFilter
from accounts.selectors import may_manage_accounts, user_list
from accounts.services import token_issue, user_create, user_update
from liaison.api.schema import ERROR_RESPONSES
from liaison.api.throttling import TokenIssueThrottle
from liaison.api.viewsets import ScopedModelViewSet
from liaison.auth import lockout_remaining
from liaison.clients import client_address


class ManagesAccounts(BasePermission):
    """Account management: staff with a region, and superusers."""

    message = _("只有工作人员可以管理账号。")

    def has_permission(self, request, view):
        return may_manage_accounts(request.user)


class LoginLocked(exceptions.Throttled):
    default_detail = _("登录失败次数过多，请稍后再试。")
    default_code = "login_locked"


class TokenView(APIView):
    """用户名和密码换取一个新的 API 令牌，只返回这一次。

    每次签发一个新令牌，账号已有的其他令牌照常可用（每个系统或脚本各用一个）；服务器只保存令牌的摘要，
    事后任何人都无法再查看，遗失了就在后台作废并重新获取。

    连续输错密码达到次数后账号暂时锁定（与后台登录共用计数），锁定期间即使密码正确也返回 429；
    同一地址频繁请求同样返回 429。
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenIssueThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        summary="获取 API 令牌",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ERROR_RESPONSES["400"].response,
                description=_("用户名或密码错误（code=invalid_credentials），或缺少字段。"),
                examples=[
                    OpenApiExample(
                        "invalid_credentials",
                        value={
                            "detail": "提交的数据有误，请按字段提示修改。",
                            "code": "invalid_credentials",
                            "errors": {"non_field_errors": ["用户名或密码错误。"]},
                        },
                        status_codes=["400"],
                        response_only=True,
                    )
                ],
            ),
        },
        examples=[
            OpenApiExample(
                "request",
                value={"username": "luzhou01", "password": "<您的密码>", "name": "区政务服务平台"},
                request_only=True,
            ),
            OpenApiExample(
                "token",
                value={"token": "4f2b8c1e9a7d3b5c6e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d"},
                response_only=True,
            ),
        ],
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        address = client_address(request)
        if wait := lockout_remaining(username, address):
            raise LoginLocked(wait=wait)
        user = authenticate(
            request._request, username=username, password=serializer.validated_data["password"]
        )
        if user is None:
            if wait := lockout_remaining(username, address):
                raise LoginLocked(wait=wait)
            raise exceptions.ValidationError(_("用户名或密码错误。"), code="invalid_credentials")
        issued = token_issue(user=user, name=serializer.validated_data.get("name", ""))
        return Response({"token": issued.key})


class MeView(APIView):
    """当前登录账号：角色、管辖区划、对应的代表或承办单位。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_retrieve", summary="当前账号", responses=MeSerializer, tags=["auth"])
    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)


@extend_schema_view(
    list=extend_schema(summary="账号列表（本区划及下级）"),
    retrieve=extend_schema(summary="账号详情"),
    create=extend_schema(summary="开设账号"),
    partial_update=extend_schema(summary="修改账号"),
)
class UserViewSet(ScopedModelViewSet):
    """账号管理，仅限工作人员：只能查看、开设和修改本区划及下级的账号；不能开设超级管理员。"""

    permission_classes = [ManagesAccounts]
    selector = staticmethod(user_list)
    serializer_class = UserSerializer
    filterset_class = UserFilter
    ordering_fields = ["username", "name", "date_joined"]
    ordering = ["username"]

    def create_object(self, data):
        return user_create(**data)

    def update_object(self, instance, data):
        return user_update(user=instance, **data)
