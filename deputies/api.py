"""API for deputies (`deputies/`) and receptions (`receptions/`).

Writes: staff create and change deputies and receptions in their region's subtree. A deputy
may change only the phone and expertise of their own record, and may record receptions at
the stations they are grouped into (and change the ones they attended). Leaders and unit
officers only read.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers

from deputies.filters import DeputyFilter, ReceptionFilter
from deputies.models import (
    Deputy,
    Gender,
    Level,
    Mandate,
    MembershipRole,
    Party,
    Reception,
    ReceptionMode,
    ReceptionStatus,
    StationMembership,
)
from deputies.selectors import deputy_list, reception_list
from deputies.services import deputy_create, deputy_update, reception_create, reception_update
from liaison.api.fields import (
    FieldsFromTheModelOnce,
    MaskablePhoneField,
    PrefetchedManyRelatedField,
    ScopedPrimaryKeyRelatedField,
)
from liaison.api.meta import register_choices
from liaison.api.viewsets import ScopedModelViewSet
from liaison.filters import MAX_ID
from liaison.models import Role
from liaison.privacy import mask_phone, may_see_personal_data
from stations.api import RegionCodeField
from stations.models import Station
from stations.selectors import station_list

register_choices("gender", Gender)
register_choices("party", Party)
register_choices("congress_level", Level)
register_choices("membership_role", MembershipRole)
register_choices("reception_mode", ReceptionMode)
register_choices("reception_status", ReceptionStatus)


# What a deputy may change on their own record.
DEPUTY_OWN_FIELDS = ("phone", "expertise")


def _is_deputy_account(user) -> bool:
    return getattr(user, "is_authenticated", False) and not user.is_superuser and user.role == Role.DEPUTY


class MandateSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID,
        help_text=_("修改已有职务时给出其 id；不给 id 即新增；未列出的已有职务将被删除。"),
    )

    class Meta:
        model = Mandate
        fields = ["id", "level", "congress", "district", "started_on", "ended_on"]
        # The deputy's unique (level, congress) is checked across the whole list below.
        validators: list = []

    def validate(self, attrs):
        # A PATCH of the deputy is partial, but each mandate listed is still a whole one (the
        # list replaces the deputy's mandates), as the schema requires.
        missing = {
            name: [serializers.Field.default_error_messages["required"]]
            for name, field in self.fields.items()
            if field.required and not field.read_only and name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        started, ended = attrs.get("started_on"), attrs.get("ended_on")
        if started and ended and ended < started:
            raise serializers.ValidationError({"ended_on": [_("任期结束不能早于任期开始。")]})
        return attrs


class MembershipSerializer(serializers.Serializer):
    station = serializers.IntegerField(source="station_id", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    role = serializers.ChoiceField(choices=MembershipRole.choices, read_only=True)


def _stations_of(deputy):
    return [membership.station for membership in deputy.memberships.all()]  # prefetched


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "county_deputy",
            summary="登记一名县人大代表并编组进站",
            value={
                "name": "李红梅",
                "gender": "female",
                "ethnicity": "汉族",
                "party": "cpc",
                "occupation": "教师",
                "phone": "13812341234",
                "region": "140403001",
                "mandates": [
                    {"level": "county", "congress": "潞州区第二届人民代表大会", "district": "第五选区", "started_on": "2021-10-01"}
                ],
                "stations": [12],
            },
            request_only=True,
        ),
        OpenApiExample(
            "deputy_masked",
            summary="无权查看完整信息时（手机号打码）",
            value={
                "id": 7,
                "name": "李红梅",
                "gender": "female",
                "ethnicity": "汉族",
                "party": "cpc",
                "birth_date": None,
                "occupation": "教师",
                "employer": "太东街道中心小学",
                "phone": "138****1234",
                "expertise": "教育",
                "is_leading_official": False,
                "region": "140403001",
                "region_name": "太东街道",
                "mandates": [
                    {
                        "id": 3,
                        "level": "county",
                        "congress": "潞州区第二届人民代表大会",
                        "district": "第五选区",
                        "started_on": "2021-10-01",
                        "ended_on": None,
                    }
                ],
                "stations": [12],
                "memberships": [{"station": 12, "station_name": "太东街道人大代表联络站", "role": "member"}],
                "has_account": True,
                "created_at": "2026-03-15T09:30:00+08:00",
                "updated_at": "2026-03-15T09:30:00+08:00",
            },
            response_only=True,
        ),
    ]
)
class DeputySerializer(FieldsFromTheModelOnce, serializers.ModelSerializer):
    """A deputy. `phone` and `birth_date` are shown in full only to staff and leaders whose
    region contains the deputy's, and to the deputy themself; others get `138****1234` and
    no birth date."""

    phone = MaskablePhoneField(
        required=False,
        help_text=_("手机号；无权查看者得到打码形式，如 138****1234。"),
    )
    region = RegionCodeField(scoped=True, help_text=_("登记所在区划代码（必须在您的管辖范围内）"))
    region_name = serializers.CharField(source="region.name", read_only=True)
    mandates = MandateSerializer(many=True, required=False, help_text=_("代表职务；修改时给出完整列表。"))
    stations = PrefetchedManyRelatedField(
        getter=_stations_of,
        child_relation=ScopedPrimaryKeyRelatedField(selector=station_list, model=Station),
        required=False,
        help_text=_("编组站点 id 列表；修改时给出完整列表（已有站点保留站内职务）。"),
    )
    memberships = MembershipSerializer(many=True, read_only=True, help_text=_("编组进站情况（含站内职务）"))
    has_account = serializers.SerializerMethodField(help_text=_("是否已开设登录账号"))

    class Meta:
        model = Deputy
        fields = [
            "id", "name", "gender", "ethnicity", "party", "birth_date", "occupation", "employer", "phone",
            "expertise", "is_leading_official", "region", "region_name", "mandates", "stations",
            "memberships", "has_account", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_has_account(self, deputy) -> bool:
        return deputy.user_id is not None

    def validate_mandates(self, mandates):
        seen = set()
        for index, item in enumerate(mandates):
            key = (item.get("level"), item.get("congress"))
            if key in seen:
                raise serializers.ValidationError(
                    _("第 %(n)d 项与前面的职务重复（同一层级同一届次）。") % {"n": index + 1}
                )
            seen.add(key)
        return mandates

    def to_representation(self, deputy):
        data = super().to_representation(deputy)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not may_see_personal_data(user, region_code=deputy.region_id, owner_id=deputy.user_id):
            data["phone"] = mask_phone(data.get("phone"))
            data["birth_date"] = None
        return data


class DeputyOwnSerializer(DeputySerializer):
    """What a deputy may send about themself: only `phone` and `expertise`."""

    def validate(self, attrs):
        refused = sorted(set(self.initial_data) - set(DEPUTY_OWN_FIELDS))
        if refused:
            raise serializers.ValidationError(
                {field: [_("代表本人只能修改手机号和专业特长。")] for field in refused}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(summary="代表列表"),
    retrieve=extend_schema(summary="代表详情"),
    create=extend_schema(summary="登记代表"),
    partial_update=extend_schema(
        summary="修改代表信息",
        description="工作人员可修改全部字段；代表本人只能修改 phone 和 expertise（其他字段返回 400）。",
    ),
)
class DeputyViewSet(ScopedModelViewSet):
    """人大代表：工作人员和领导看到登记在本区划及下级的代表，代表本人看到自己的记录。"""

    selector = staticmethod(deputy_list)
    serializer_class = DeputySerializer
    filterset_class = DeputyFilter
    ordering_fields = ["name", "region", "created_at"]
    ordering = ["region_id", "name", "id"]
    write_roles = {"create": {Role.STAFF}, "partial_update": {Role.STAFF, Role.DEPUTY}}

    def get_queryset(self):
        # The selector's scope, with the memberships' stations cut to what is shown (id, name).
        memberships = StationMembership.objects.select_related("station").only(
            "id", "deputy_id", "station_id", "role", "station__id", "station__name"
        )
        return (
            deputy_list(user=self.request.user)
            .prefetch_related(None)
            .prefetch_related(
                Prefetch("mandates", queryset=Mandate.objects.order_by("-started_on", "id")),
                Prefetch("memberships", queryset=memberships.order_by("station_id")),
            )
        )

    def get_serializer_class(self):
        if self.action == "partial_update" and _is_deputy_account(self.request.user):
            return DeputyOwnSerializer
        return DeputySerializer

    @staticmethod
    def may_change(user, deputy) -> bool:
        if _is_deputy_account(user):
            return deputy.user_id == user.pk
        return True

    def create_object(self, data):
        return deputy_create(**data)

    def update_object(self, instance, data):
        return deputy_update(deputy=instance, **data)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "reception_record",
            summary="记录一次进站接待",
            value={
                "station": 12,
                "date": "2026-03-15",
                "mode": "station",
                "status": "recorded",
                "deputies": [7, 8],
                "visitor_count": 23,
                "topic": "老旧小区加装电梯",
                "summary": "接待选民 23 人次，收集意见 6 条。",
            },
            request_only=True,
        )
    ]
)
class ReceptionSerializer(FieldsFromTheModelOnce, serializers.ModelSerializer):
    station = ScopedPrimaryKeyRelatedField(
        selector=station_list, model=Station, help_text=_("站点 id（必须是您能看到的站点）")
    )
    station_name = serializers.CharField(source="station.name", read_only=True)
    deputies = ScopedPrimaryKeyRelatedField(
        selector=deputy_list, model=Deputy, many=True, required=False,
        help_text=_("参加接待的代表 id 列表（必须是您能看到的代表）。"),
    )
    recorded_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text=_("记录人账号 id"))
    suggestions = serializers.SerializerMethodField(help_text=_("由本次接待产生的意见建议 id（只读）"))

    class Meta:
        model = Reception
        fields = [
            "id", "station", "station_name", "date", "starts_at", "ends_at", "mode", "status", "deputies",
            "topic", "visitor_count", "summary", "recorded_by", "suggestions", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_suggestions(self, reception) -> list[int]:
        return [suggestion.pk for suggestion in reception.suggestions.all()]  # prefetched

    def validate(self, attrs):
        instance = self.instance
        starts = attrs.get("starts_at", getattr(instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(instance, "ends_at", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_at": [_("结束时间不能早于开始时间。")]})
        return attrs


def _suggestion_ids():
    # The suggestions app points at receptions (Suggestion.reception); fetch only the ids,
    # through the reverse relation so this app does not import the one above it.
    model = Reception._meta.get_field("suggestions").related_model
    return Prefetch("suggestions", queryset=model._base_manager.only("id", "reception_id").order_by("id"))


@extend_schema_view(
    list=extend_schema(summary="接待活动列表"),
    retrieve=extend_schema(summary="接待活动详情"),
    create=extend_schema(summary="排期或记录接待"),
    partial_update=extend_schema(summary="修改接待记录"),
)
class ReceptionViewSet(ScopedModelViewSet):
    """接待选民：工作人员和领导看到本区划及下级站点的接待；代表看到自己参加的和所在站点的接待，
    可以在自己编组的站点记录接待，并修改自己参加的接待。"""

    serializer_class = ReceptionSerializer
    filterset_class = ReceptionFilter
    ordering_fields = ["date", "station", "visitor_count", "created_at"]
    ordering = ["-date", "station_id", "id"]
    write_roles = {"create": {Role.STAFF, Role.DEPUTY}, "partial_update": {Role.STAFF, Role.DEPUTY}}

    def get_queryset(self):
        # The scope is the selector's; the rows fetched alongside are only what this
        # serializer shows: the deputies' ids (and accounts, for may_change), not whole records.
        return (
            reception_list(user=self.request.user)
            .prefetch_related(None)
            .prefetch_related(
                Prefetch("deputies", queryset=Deputy.objects.only("id", "user_id").order_by("id")),
                _suggestion_ids(),
            )
        )

    @staticmethod
    def may_change(user, reception) -> bool:
        if _is_deputy_account(user):
            return any(deputy.user_id == user.pk for deputy in reception.deputies.all())
        return True

    def create_object(self, data):
        user = self.request.user
        if _is_deputy_account(user):
            own = Deputy.objects.filter(user=user).first()
            deputies = list(data.get("deputies", []))
            if own is not None and own not in deputies:
                data["deputies"] = [*deputies, own]
        return reception_create(by=user, **data)

    def update_object(self, instance, data):
        return reception_update(reception=instance, **data)
