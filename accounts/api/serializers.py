"""Serializers for authentication, the caller (`me/`) and accounts (`users/`)."""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from deputies.models import Deputy
from deputies.selectors import deputy_list
from liaison.api.fields import ScopedPrimaryKeyRelatedField
from liaison.models import Role
from liaison.scoping import in_scope
from stations.api import RegionCodeField
from suggestions.models import Unit
from suggestions.selectors import unit_list

User = get_user_model()


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, label=_("用户名"))
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, write_only=True, label=_("密码"), style={"input_type": "password"}
    )
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        label=_("用途"),
        help_text=_("令牌给哪个系统或脚本用（可选），便于日后在后台识别和作废。"),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True,
        help_text=_("新令牌，只在此返回一次（服务器只保存其摘要）。在请求头中使用：Authorization: Token <token>"),
    )


def _deputy_of(user):
    # The reverse one-to-one raises a subclass of AttributeError when there is none.
    return getattr(user, "deputy", None)


def _unit_of(user):
    units = list(user.units.all())  # prefetched by the selectors
    return units[0] if units else None


class MeSerializer(serializers.ModelSerializer):
    region = RegionCodeField(read_only=True, allow_null=True)
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True, default=None)
    deputy = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "role", "region", "region_name", "deputy", "unit", "is_superuser"]
        read_only_fields = fields

    @extend_schema_field({"type": "integer", "format": "int64", "nullable": True})
    def get_deputy(self, user):
        deputy = _deputy_of(user)
        return deputy.pk if deputy is not None else None

    @extend_schema_field({"type": "integer", "format": "int64", "nullable": True})
    def get_unit(self, user):
        unit = _unit_of(user)
        return unit.pk if unit is not None else None


class _AccountDeputyField(ScopedPrimaryKeyRelatedField):
    def get_attribute(self, instance):
        return _deputy_of(instance)


class _AccountUnitField(ScopedPrimaryKeyRelatedField):
    def get_attribute(self, instance):
        return _unit_of(instance)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "county_staff",
            summary="开设县级工作人员账号",
            value={"username": "luzhou01", "password": "Changzhi-2026!", "name": "王敏", "role": "staff", "region": "140403"},
            request_only=True,
        ),
        OpenApiExample(
            "deputy_account",
            summary="为代表开设账号",
            value={"username": "deputy_zhang", "password": "Changzhi-2026!", "name": "张三", "role": "deputy", "deputy": 42},
            request_only=True,
        ),
    ]
)
class UserSerializer(serializers.ModelSerializer):
    """An account. Staff may only create and change accounts inside their own region: a
    staff or leader account's `region`, a deputy account's `deputy` and a unit officer's
    `unit` must all lie in the caller's region subtree."""

    password = serializers.CharField(
        write_only=True, max_length=128, trim_whitespace=False, style={"input_type": "password"},
        help_text=_("只写：按密码规则校验，不会返回。"),
    )
    region = RegionCodeField(
        scoped=True, required=False, allow_null=True, help_text=_("工作人员、领导账号的管辖区划（必须在您的管辖范围内）。")
    )
    deputy = _AccountDeputyField(
        selector=deputy_list, model=Deputy, required=False, allow_null=True, help_text=_("代表账号对应的代表 id。")
    )
    unit = _AccountUnitField(
        selector=unit_list, model=Unit, required=False, allow_null=True, help_text=_("联络员账号所属承办单位 id。")
    )

    class Meta:
        model = User
        fields = [
            "id", "username", "password", "name", "phone", "role", "region", "deputy", "unit",
            "is_active", "last_login", "date_joined",
        ]
        read_only_fields = ["id", "last_login", "date_joined"]
        extra_kwargs = {"role": {"required": True}}

    def validate_username(self, value):
        """One account per name whatever its case or width: `County` and `ｃｏｕｎｔｙ` are `county`."""
        value = User.normalize_username(value)
        others = User.objects.filter(username__iexact=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(_("该用户名已被使用（不区分大小写）。"), code="unique")
        return value

    def validate(self, attrs):
        instance = self.instance
        role = attrs.get("role", instance.role if instance else None)

        def current(name):
            if name in attrs:
                return attrs[name]
            if instance is None:
                return None
            if name == "deputy":
                return _deputy_of(instance)
            if name == "unit":
                return _unit_of(instance)
            return getattr(instance, name)

        errors = {}
        if instance is None and not attrs.get("password"):
            errors["password"] = [_("新账号必须设置密码。")]
        if role in (Role.STAFF, Role.LEADER):
            if current("region") is None:
                errors["region"] = [_("工作人员和领导账号必须指定管辖区划。")]
            if instance is not None and "region" not in attrs and not self._region_in_scope(instance.region_id):
                errors["region"] = [_("该账号的管辖区划不在您的管辖范围内。")]
        elif role == Role.DEPUTY:
            deputy = current("deputy")
            if deputy is None:
                errors["deputy"] = [_("代表账号必须对应一名代表。")]
            elif deputy.user_id is not None and (instance is None or deputy.user_id != instance.pk):
                errors["deputy"] = [_("该代表已有登录账号。")]
        elif role == Role.UNIT_OFFICER and current("unit") is None:
            errors["unit"] = [_("联络员账号必须指定承办单位。")]
        if errors:
            raise serializers.ValidationError(errors)

        if attrs.get("password"):
            candidate = instance or User(username=attrs.get("username", ""), name=attrs.get("name", ""))
            try:
                password_validation.validate_password(attrs["password"], user=candidate)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs

    def _region_in_scope(self, code):
        return in_scope(self.context["request"].user, code)
