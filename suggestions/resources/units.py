"""Excel and CSV in and out for handling units (承办单位).

Conventions (Chinese headers, 第 N 行 numbering, 是/否, all-or-nothing imports, scoping) are
those of `liaison/importing/`. Key: the ID column when filled, otherwise 所属区划 + 名称
(a unit's name is unique in its region). 联络员 accounts are managed in the admin, not here.
"""

from django.utils.translation import gettext_lazy as _l
from import_export import fields

from liaison.importing.cells import cell_text
from liaison.importing.resources import LiaisonResource, col
from liaison.importing.widgets import BoolWidget, ChoiceWidget, IntWidget, PhoneWidget, RegionWidget
from suggestions.models import Unit, UnitKind


class UnitResource(LiaisonResource):
    """承办单位. Key: ID when filled, else 所属区划 + 名称."""

    id = fields.Field(attribute="id", column_name="ID", widget=IntWidget(), readonly=True)
    name = col(Unit, "name")
    kind = col(Unit, "kind", ChoiceWidget(UnitKind), default=UnitKind.DEPARTMENT)
    region = col(Unit, "region", RegionWidget())
    region_name = fields.Field(attribute="region__name", column_name="区划名称", readonly=True)
    phone = col(Unit, "phone", PhoneWidget())
    email = col(Unit, "email")
    is_active = col(Unit, "is_active", BoolWidget())

    what = _l("承办单位")
    import_help = (
        _l("每个单位一行；有 ID 的行按 ID 更新，没有 ID 的按“所属区划 + 名称”匹配，找不到则新增。"),
        _l("所属区划填区划代码，必须在您的管辖范围内；类型按中文填写；“启用”填“是”或“否”。"),
        _l("任何一行有误都不会导入，请按提示改正后重新上传。"),
    )

    class Meta:
        model = Unit
        fields = ("id", "name", "kind", "region", "region_name", "phone", "email", "is_active")
        import_order = export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def required_fields(self, headers):
        return () if "ID" in headers else ("name", "region")

    def _key_cells(self, row):
        try:
            return (
                cell_text(row.get(self.fields["region"].column_name)),
                cell_text(row.get(self.fields["name"].column_name)),
            )
        except ValueError:
            return "", ""

    def find_by_natural_key(self, row):
        code, name = self._key_cells(row)
        if not code or not name:
            return None
        return self.scoped(Unit.objects.all()).filter(region_id=code, name=name).first()

    def natural_key(self, row):
        code, name = self._key_cells(row)
        return ("unit", code, name) if code and name else None

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        return super().export(queryset=self.filter_export(queryset).select_related("region"), **kwargs)
