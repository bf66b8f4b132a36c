"""liaison.api.fields.FieldsFromTheModelOnce: a list serializer's fields derived once per class,
each serializer with its own copies."""

from rest_framework import serializers

from liaison.api.fields import FieldsFromTheModelOnce
from suggestions.api.suggestions import SuggestionDetailSerializer, SuggestionSerializer
from suggestions.models import Unit
from tests.factories import UnitFactory


class UnitRow(FieldsFromTheModelOnce, serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "region"]


def test_fields_are_derived_once_per_class(monkeypatch):
    calls = []
    original = serializers.ModelSerializer.get_fields

    def counting(self):
        calls.append(type(self))
        return original(self)

    monkeypatch.setattr(serializers.ModelSerializer, "get_fields", counting)
    monkeypatch.delattr(UnitRow, "_fields_from_the_model", raising=False)
    for _i in range(3):
        assert list(UnitRow().fields) == ["id", "name", "kind", "region"]
    assert calls == [UnitRow]


def test_each_serializer_gets_its_own_bound_fields():
    first, second = UnitRow(), UnitRow()
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first and second.fields["name"].parent is second


def test_a_subclass_keeps_its_own_fields():
    assert "events" in SuggestionDetailSerializer().fields
    assert "events" not in SuggestionSerializer().fields
    assert "events" in SuggestionDetailSerializer().fields


def test_rows_serialize_from_the_copies(db):
    unit = UnitFactory(name="长治市住房和城乡建设局")
    for _i in range(2):
        assert UnitRow(unit).data == {"id": unit.pk, "name": "长治市住房和城乡建设局", "kind": unit.kind,
                                      "region": unit.region_id}
