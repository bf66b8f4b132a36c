"""Excel and CSV in and out for regions and stations. The conventions every resource keeps
(Chinese headers, 第 N 行 numbering, 是/否, dates, references 名称 / 名称#编号, all-or-nothing
imports, scoping) are in `liaison/importing/`.

Natural keys of this module:

- 行政区划 (RegionResource): the code (区划代码). Staff may add or rename only regions under
  their own region (villages, say); the level is derived from the code length and the parent
  is the code's prefix, which must exist already (earlier in the file or in the database).
- 联络站点 (StationResource): the ID column when filled, otherwise 所在区划 + 名称 (a station's
  name is unique in its region). 上级站点 is a name, resolved as `liaison/importing/` describes.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from import_export import fields

from liaison.importing.cells import cell_text, safe_cell
from liaison.importing.references import NameIndex, namesakes_of, parse_ref, ref_text, refers_to
from liaison.importing.resources import LiaisonResource, col
from liaison.importing.widgets import (
    BoolWidget,
    ChoiceWidget,
    IntWidget,
    PhoneWidget,
    RegionWidget,
    TextWidget,
)
from liaison.regions import CODE_LENGTHS, lineage
from liaison.scoping import EVERYWHERE
from stations.models import (
    EIGHT_HAVES,
    LEVEL_BY_CODE_LENGTH,
    DemonstrationLevel,
    Region,
    RegionLevel,
    Station,
    StationClass,
    StationKind,
)
from stations.services import _station_parent_cycles  # the rule station_update applies

# ---------------------------------------------------------------------------------------
# regions


class RegionResource(LiaisonResource):
    """行政区划 by code (区划代码). See the module docstring for the rules."""

    code = col(Region, "code")
    name = col(Region, "name")
    level = col(Region, "level", ChoiceWidget(RegionLevel, aliases={"省": "province", "市": "city", "县": "county", "乡": "township", "村": "village"}))
    parent = col(Region, "parent", RegionWidget())
    what = _l("行政区划")
    region_path = "code"
    import_help = (
        _l("每个区划一行，按区划代码匹配：已有的更新名称，没有的新增。"),
        _l("区划代码为 2、4、6、9 或 12 位数字；层级和上级区划由代码推出，可不填，填了须一致。"),
        _l("上级区划须已存在（在文件前面的行里或数据库中）。工作人员只能导入本区划下级的区划。"),
        _l("任何一行有误都不会导入，请按提示改正后重新上传。"),
    )

    class Meta:
        model = Region
        fields = ("code", "name", "level", "parent")
        import_order = export_order = fields
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def required_fields(self, headers):
        return ("code",)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = self.fields["code"].column_name
        if column in dataset.headers:
            self.preload_regions(safe_cell(v) for v in dataset[column])

    def get_instance(self, instance_loader, row):
        return self._regions.get(safe_cell(row.get(self.fields["code"].column_name)))

    def init_instance(self, row=None):
        return Region()

    def natural_key(self, row):
        return ("pk", cell_text(row.get(self.fields["code"].column_name)))

    def _writable(self, code: str) -> bool:
        if self.scope == EVERYWHERE:
            return True
        return self.scope is not None and code.startswith(self.scope) and len(code) > len(self.scope)

    def _not_writable(self, code):
        return _("区划代码「%(code)s」不在您的管辖范围内：只能导入本区划下级的区划。") % {"code": code}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        code = instance.code or ""
        if "code" not in errors and code:
            if len(code) in CODE_LENGTHS:
                level = LEVEL_BY_CODE_LENGTH[len(code)].value
                given = instance.level
                if "level" not in errors and given and given != level:
                    errors["level"] = [_("层级与区划代码的位数不符（%(digits)d 位应为%(level)s）。") % {
                        "digits": len(code), "level": RegionLevel(level).label}]
                instance.level = level
                ancestors = lineage(code)[:-1]  # the code's prefixes, top down
                expected_parent = ancestors[-1] if ancestors else None
                if "parent" not in errors:
                    if expected_parent is None:
                        instance.parent = None
                    elif instance.parent_id and instance.parent_id != expected_parent:
                        errors["parent"] = [_("上级区划应为「%(code)s」（区划代码的前 %(n)d 位）。") % {
                            "code": expected_parent, "n": len(expected_parent)}]
                    else:
                        self.preload_regions([expected_parent])
                        parent = self._regions.get(expected_parent)
                        if parent is None:
                            errors["parent"] = [_("上级区划「%(code)s」不存在，请先导入上级区划。") % {"code": expected_parent}]
                        else:
                            instance.parent = parent
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Checked only for rows that change something: an exported file that includes the
        # importer's own region (or its parent) imports unchanged.
        errors = dict(import_validation_errors or {})
        if "code" not in errors and instance.code and not self._writable(instance.code):
            errors["code"] = [self._not_writable(instance.code)]
        super().validate_instance(instance, errors, validate_unique)

    def region_for(self, code):
        # A parent may be the importer's own region (or above it for the root): the
        # subtree rule applies to the row's code, checked in import_instance.
        if code not in self._regions:
            self.preload_regions([code])
        region = self._regions.get(code)
        if region is None:
            raise ValueError(_("区划代码「%(code)s」不存在。") % {"code": code})
        return region

    def after_save_instance(self, instance, row, **kwargs):
        self._regions[instance.code] = instance


# ---------------------------------------------------------------------------------------
# stations


class StationResource(LiaisonResource):
    """联络站点. Key: ID when filled, else 所在区划 + 名称. 上级站点: a station name (名称#编号
    when shared), looked up in the importer's region, nearest to the row's region first."""

    id = fields.Field(attribute="id", column_name="ID", widget=IntWidget(), readonly=True)
    name = col(Station, "name")
    kind = col(Station, "kind", ChoiceWidget(StationKind), default=StationKind.STATION)
    is_industry = col(Station, "is_industry", BoolWidget())
    specialty = col(Station, "specialty")
    parent = fields.Field(attribute="parent", column_name=str(Station._meta.get_field("parent").verbose_name), widget=TextWidget())
    region = col(Station, "region", RegionWidget())
    region_name = fields.Field(attribute="region__name", column_name="区划名称", readonly=True)
    address = col(Station, "address")
    phone = col(Station, "phone", PhoneWidget())
    contact_person = col(Station, "contact_person")
    opening_hours = col(Station, "opening_hours")
    reception_day = col(Station, "reception_day", IntWidget())
    has_venue = col(Station, "has_venue", BoolWidget())
    has_sign = col(Station, "has_sign", BoolWidget())
    has_rules = col(Station, "has_rules", BoolWidget())
    has_display = col(Station, "has_display", BoolWidget())
    has_commitment = col(Station, "has_commitment", BoolWidget())
    has_publicity = col(Station, "has_publicity", BoolWidget())
    has_activities = col(Station, "has_activities", BoolWidget())
    has_archive = col(Station, "has_archive", BoolWidget())
    star_rating = col(Station, "star_rating", IntWidget(), default=0)
    station_class = col(Station, "station_class", ChoiceWidget(StationClass))
    demonstration_level = col(Station, "demonstration_level", ChoiceWidget(DemonstrationLevel, aliases={"无": ""}))
    is_active = col(Station, "is_active", BoolWidget())

    what = _l("站点")
    resolved_later = ("parent",)  # once the row's region is known
    import_help = (
        _l("每个站点一行；有 ID 的行按 ID 更新，没有 ID 的按“所在区划 + 名称”匹配，找不到则新增。"),
        _l("所在区划填区划代码（如 140403001），必须在您的管辖范围内。"),
        _l("上级站点填站点名称，重名时写成“名称#编号”。"),
        _l("类型、类别、示范等级按中文填写；“八有”各项和“启用”填“是”或“否”。"),
        _l("任何一行有误都不会导入，请按提示改正后重新上传。"),
    )

    class Meta:
        model = Station
        fields = (
            "id", "name", "kind", "is_industry", "specialty", "parent", "region", "region_name",
            "address", "phone", "contact_person", "opening_hours", "reception_day",
            *[name for name, _label in EIGHT_HAVES],
            "star_rating", "station_class", "demonstration_level", "is_active",
        )
        import_order = export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, **kwargs):
        super().__init__(user, **kwargs)
        self.stations = NameIndex(self.scoped(Station.objects.select_related("parent")), what=_("站点"))

    def required_fields(self, headers):
        return () if "ID" in headers else ("name", "region")

    def _key_cells(self, row):
        try:
            code = cell_text(row.get(self.fields["region"].column_name))
            name = cell_text(row.get(self.fields["name"].column_name))
        except ValueError:
            return None, None
        return code, name

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        names = set()
        for column in (self.fields["name"].column_name, self.fields["parent"].column_name):
            if column in dataset.headers:
                for value in dataset[column]:
                    try:
                        names.add(parse_ref(cell_text(value))[0])
                    except ValueError:
                        continue
        self.stations.load(names)

    def find_by_id(self, pk):
        self.stations.load((), [pk])
        return self.stations.by_id.get(pk)

    def find_by_natural_key(self, row):
        code, name = self._key_cells(row)
        if not code or not name:
            return None
        self.stations.load([name])
        for station in self.stations.by_name.get(name, []):
            if station.region_id == code:
                return station
        return None

    def natural_key(self, row):
        code, name = self._key_cells(row)
        return ("station", code, name) if code and name else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        column = self.fields["parent"].column_name
        if column in row:
            try:
                text = cell_text(row[column])
                if not text:
                    instance.parent = None
                elif refers_to(text, instance.parent if instance.parent_id else None):
                    pass  # unchanged, even when the parent lies above the importer's region
                else:
                    parent = self.stations.resolve(text, region_code=instance.region_id)
                    if _station_parent_cycles(station_id=instance.pk, parent=parent):
                        raise ValueError(_("上级站点不能是本站点或其下级站点。"))
                    instance.parent = parent
            except ValueError as exc:
                errors["parent"] = [str(exc)]
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        self.stations.add(instance)

    # --- export -----------------------------------------------------------------------
    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        stations = list(self.filter_export(queryset).select_related("region", "parent"))
        self._namesakes = namesakes_of(Station, [s.parent.name for s in stations if s.parent_id])
        return super().export(queryset=stations, **kwargs)

    def dehydrate_parent(self, station):
        if station.parent_id is None:
            return ""
        return ref_text(station.parent, region_code=station.region_id, namesakes=self._namesakes.get(station.parent.name, []))
