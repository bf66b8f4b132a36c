"""`GET /api/v1/meta/choices/`: every enumeration the API uses, value and Chinese label.

Each app's `api.py` registers the enumerations its resources use
(`register_choices("station_kind", StationKind)`); the router imports every `api.py`, so
the list is complete once the URLs are loaded. Names are stable (part of the contract):
add new ones, never rename.
"""

from django.db.models import Choices
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.models import Role

_REGISTRY: dict[str, type[Choices]] = {}


def register_choices(name: str, choices: type[Choices]) -> None:
    """Publish `choices` under `name`. Registering the same name twice must mean the same
    enumeration (modules may be imported more than once in tests)."""
    existing = _REGISTRY.get(name)
    if existing is not None and existing is not choices:
        raise ValueError(f"choices name {name!r} is already registered for {existing.__name__}")
    _REGISTRY[name] = choices


def registered_choices() -> dict[str, type[Choices]]:
    return dict(sorted(_REGISTRY.items()))


def choices_payload() -> dict[str, list[dict[str, str]]]:
    return {
        name: [{"value": value, "label": str(label)} for value, label in choices.choices]
        for name, choices in registered_choices().items()
    }


register_choices("role", Role)


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="传输用的英文值")
    label = serializers.CharField(help_text="中文名称")


class ChoicesSerializer(serializers.Serializer):
    """One key per enumeration; its value lists the choices in order."""

    def to_representation(self, instance):
        return instance

    def get_fields(self):
        return {name: ChoiceSerializer(many=True, read_only=True) for name in registered_choices()}


class ChoicesView(APIView):
    """所有枚举值及其中文名称：各字段、筛选条件使用的英文值以此为准。"""

    @extend_schema(
        operation_id="meta_choices",
        summary="枚举值及中文名称",
        responses=ChoicesSerializer,
        examples=[
            OpenApiExample(
                "choices",
                value={
                    "role": [
                        {"value": "staff", "label": "工作人员"},
                        {"value": "leader", "label": "领导"},
                        {"value": "deputy", "label": "人大代表"},
                        {"value": "unit_officer", "label": "承办单位联络员"},
                    ],
                    "station_kind": [{"value": "hub", "label": "总站"}, {"value": "station", "label": "联络站"}],
                },
                response_only=True,
            )
        ],
        tags=["meta"],
    )
    def get(self, request):
        return Response(choices_payload())
