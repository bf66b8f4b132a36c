"""Excel and CSV in and out for receptions (接待活动); the conventions are those of
`liaison/importing/`.

- key: the ID column when filled; otherwise 站点 + 接待日期 + 接待方式 + 开始时间.
- 站点: a station name (名称#编号 when shared); 参加代表: deputy names separated by ";"
  (姓名#编号 when a name is shared), looked up nearest to the station's region first.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from import_export import fields

from deputies.models import Deputy, Reception, ReceptionMode, ReceptionStatus
from deputies.resources.cells import ref_item
from liaison.importing.cells import cell_text, parse_date, safe_cell, safe_split
from liaison.importing.references import NameIndex, namesakes_of, parse_ref, ref_text, refers_to
from liaison.importing.resources import LiaisonResource, col
from liaison.importing.widgets import (
    ChoiceWidget,
    DateWidget,
    IntWidget,
    ListWidget,
    TextWidget,
    TimeWidget,
)
from stations.models import Station


class ReceptionResource(LiaisonResource):
    """接待活动. Key: ID when filled, else 站点 + 接待日期 + 接待方式 + 开始时间."""

    id = fields.Field(attribute="id", column_name="ID", widget=IntWidget(), readonly=True)
    station = fields.Field(attribute="station", column_name=str(Reception._meta.get_field("station").verbose_name), widget=TextWidget())
    region_name = fields.Field(attribute="station__region__name", column_name="区划名称", readonly=True)
    date = col(Reception, "date", DateWidget())
    starts_at = col(Reception, "starts_at", TimeWidget())
    ends_at = col(Reception, "ends_at", TimeWidget())
    mode = col(Reception, "mode", ChoiceWidget(ReceptionMode), default=ReceptionMode.STATION)
    status = col(Reception, "status", ChoiceWidget(ReceptionStatus), default=ReceptionStatus.SCHEDULED)
    topic = col(Reception, "topic")
    deputies = fields.Field(
        attribute="import_deputies", column_name=str(Reception._meta.get_field("deputies").verbose_name),
        widget=ListWidget(ref_item),
    )
    visitor_count = col(Reception, "visitor_count", IntWidget(), default=0)
    summary = col(Reception, "summary")

    what = _l("接待活动")
    resolved_later = ("station",)
    import_help = (
        _l("每次接待一行；有 ID 的行按 ID 更新，没有 ID 的按“站点 + 接待日期 + 接待方式 + 开始时间”匹配，找不到则新增。"),
        _l("站点填站点名称，重名时写成“名称#编号”；参加代表填姓名，用分号分隔，重名时写成“姓名#编号”。"),
        _l("接待方式、状态按中文填写；日期写成 2024-01-31，时间写成 09:30。"),
        _l("任何一行有误都不会导入，请按提示改正后重新上传。"),
    )
    region_path = "station__region__code"
    plain_fields = ("station", "date", "starts_at", "ends_at", "mode", "status", "topic", "visitor_count", "summary")

    class Meta:
        model = Reception
        fields = (
            "id", "station", "region_name", "date", "starts_at", "ends_at", "mode", "status", "topic",
            "deputies", "visitor_count", "summary",
        )
        import_order = export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, **kwargs):
        super().__init__(user, **kwargs)
        self.stations_index = NameIndex(self.scoped_by(Station.objects.all(), "region__code"), what=_("站点"))
        self.deputies_index = NameIndex(self.scoped_by(Deputy.objects.all(), "region__code"), what=_("代表"))

    def required_fields(self, headers):
        return () if "ID" in headers else ("station", "date")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = self.fields["station"].column_name
        if column in dataset.headers:
            self.stations_index.load({parse_ref(safe_cell(v))[0] for v in dataset[column]})
        column = self.fields["deputies"].column_name
        if column in dataset.headers:
            self.deputies_index.load({parse_ref(t)[0] for v in dataset[column] for t in safe_split(v)})

    def find_by_id(self, pk):
        return self.scoped(Reception.objects.select_related("station")).prefetch_related("deputies").filter(pk=pk).first()

    def _station_of(self, row):
        column = self.fields["station"].column_name
        text = cell_text(row.get(column))
        return self.stations_index.resolve(text, region_code=self.scope) if text else None

    def _key(self, row):
        try:
            station = self._station_of(row)
            day = parse_date(row.get(self.fields["date"].column_name))
            mode = self.fields["mode"].clean(row) if self.fields["mode"].column_name in row else ReceptionMode.STATION
            starts = self.fields["starts_at"].clean(row) if self.fields["starts_at"].column_name in row else None
        except (ValueError, KeyError):
            return None
        if station is None or day is None:
            return None
        return station.pk, day, mode, starts

    def find_by_natural_key(self, row):
        key = self._key(row)
        if key is None:
            return None
        station_id, day, mode, starts = key
        return (
            self.scoped(Reception.objects.select_related("station")).prefetch_related("deputies")
            .filter(station_id=station_id, date=day, mode=mode, starts_at=starts).first()
        )

    def natural_key(self, row):
        key = self._key(row)
        return ("new", *key) if key else None

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        instance._stored_deputies = {} if new else {d.pk: d for d in instance.deputies.all()}
        instance.import_deputies = [d.name for d in instance._stored_deputies.values()]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        column = self.fields["station"].column_name
        if column in row:
            try:
                text = cell_text(row[column])
                if not text:
                    raise ValueError(_("请填写站点名称。"))
                current = instance.station if instance.station_id else None
                if not refers_to(text, current):
                    instance.station = self.stations_index.resolve(text, region_code=self.scope)
            except ValueError as exc:
                errors["station"] = [str(exc)]
        instance._deputies = None
        column = self.fields["deputies"].column_name
        if column in row and "import_deputies" not in errors:
            region_code = instance.station.region_id if instance.station_id else self.scope
            chosen, problems = {}, []
            for text in instance.import_deputies or []:
                try:
                    deputy = next((d for d in instance._stored_deputies.values() if refers_to(text, d)), None)
                    if deputy is None:
                        deputy = self.deputies_index.resolve(text, region_code=region_code)
                except ValueError as exc:
                    problems.append(str(exc))
                    continue
                chosen[deputy.pk] = deputy
            if problems:
                errors["import_deputies"] = problems
            instance._deputies = set(chosen)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None or original is None:
            return False
        for name in self.plain_fields:
            field = self.fields[name]
            if field.column_name in row and field.get_value(instance) != field.get_value(original):
                return False
        return instance._deputies is None or instance._deputies == set(instance._stored_deputies)

    def after_save_instance(self, instance, row, **kwargs):
        if instance._deputies is not None and instance._deputies != set(instance._stored_deputies):
            instance.deputies.set(instance._deputies)

    # --- export -----------------------------------------------------------------------
    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        receptions = list(
            self.filter_export(queryset).select_related("station__region").prefetch_related(None).prefetch_related(
                Prefetch("deputies", queryset=Deputy.objects.order_by("pk"))
            )
        )
        self._station_namesakes = namesakes_of(Station, {r.station.name for r in receptions})
        self._deputy_namesakes = namesakes_of(Deputy, {d.name for r in receptions for d in r.deputies.all()})
        return super().export(queryset=receptions, **kwargs)

    def dehydrate_station(self, reception):
        station = reception.station
        # Imports look a bare station name up in the whole of the importer's region.
        namesakes = self._station_namesakes.get(station.name, [])
        return station.name if len(namesakes) == 1 else f"{station.name}#{station.pk}"

    def dehydrate_deputies(self, reception):
        region_code = reception.station.region_id
        return ";".join(
            ref_text(d, region_code=region_code, namesakes=self._deputy_namesakes.get(d.name, []))
            for d in reception.deputies.all()
        )
