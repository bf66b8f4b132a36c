"""Excel and CSV in and out for the roster of deputies (人大代表名册).

The conventions shared by every resource (Chinese headers, 第 N 行 numbering, 是/否, dates,
name references 名称 / 名称#编号, all-or-nothing imports, scoping) are in
`liaison/importing/`. What is particular to the roster:

人大代表 (DeputyResource) — one row per person, with their mandates, station groups and
professional groups in the same row:

- key: the ID column when filled; otherwise 姓名 + 手机号; a row without a phone number
  matches a deputy of the same name, without a phone number, in the same 所属区划.
- 代表层级: the levels of the person's mandates, e.g. ``市;县`` (全国、省、市、县、乡; 省级、
  市级…, 区、镇 and the API values are accepted too).
- 届次, 选区, 任期开始, 任期结束: one item per level, in the same order, e.g. 届次
  ``长治市第十五届人民代表大会;潞州区第十届人民代表大会``. A single item applies to every
  level (``2021-10-01``); 选区 and 任期结束 may be left empty. 届次 and 任期开始 are required
  for every level. A mandate is identified by its level and 届次: a row lists all of the
  person's mandates, so mandates not in the row are removed and new ones are added.
- 编组站点: the stations the deputy is grouped into, each with its role in brackets, e.g.
  ``太东街道人大代表联络站[站长];英雄南路社区代表联络点`` (站长、副站长、成员; no brackets means
  成员). The row lists all of the deputy's stations.
- 专业代表小组: group names, e.g. ``财经组;法制组``.
- Leave a column out of the file to leave that part of every deputy untouched.

The roster imports in bulk (one INSERT per thousand deputies, then their mandates and
memberships in bulk), so a city's 9,000 deputies import in seconds; see
`python manage.py bench_import` and docs/benchmarks.md.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from import_export import fields

from deputies.models import (
    Deputy,
    Gender,
    Level,
    Mandate,
    Party,
    ProfessionalGroup,
    StationMembership,
)
from deputies.resources.cells import (
    date_item,
    level_item,
    membership_item,
    membership_ref_safe,
    ref_item,
    render_membership,
    sorted_mandates,
    text_item,
)
from deputies.resources.roster_saving import RosterSaving, Snapshot
from liaison.importing.cells import cell_text, chunked, render_date, safe_cell, safe_split
from liaison.importing.references import NameIndex, namesakes_of, parse_ref, ref_text, refers_to
from liaison.importing.resources import LiaisonResource, col
from liaison.importing.widgets import (
    BoolWidget,
    ChoiceWidget,
    DateWidget,
    IntWidget,
    ListWidget,
    PhoneWidget,
    RegionWidget,
)
from liaison.models import Role
from stations.models import Station


class DeputyResource(RosterSaving, LiaisonResource):
    """人大代表名册: one row per deputy, mandates and station groups in the same row.
    See the module docstring for the cell formats and the natural key."""

    id = fields.Field(attribute="id", column_name="ID", widget=IntWidget(), readonly=True)
    name = col(Deputy, "name")
    gender = col(Deputy, "gender", ChoiceWidget(Gender))
    ethnicity = col(Deputy, "ethnicity", default="汉族")
    party = col(Deputy, "party", ChoiceWidget(Party), default=Party.MASSES)
    birth_date = col(Deputy, "birth_date", DateWidget())
    occupation = col(Deputy, "occupation")
    employer = col(Deputy, "employer")
    phone = col(Deputy, "phone", PhoneWidget())
    expertise = col(Deputy, "expertise")
    is_leading_official = col(Deputy, "is_leading_official", BoolWidget())
    region = col(Deputy, "region", RegionWidget())
    region_name = fields.Field(attribute="region__name", column_name="区划名称", readonly=True)
    levels = fields.Field(
        attribute="import_levels", column_name="代表层级", widget=ListWidget(level_item, lambda v: str(Level(v).label))
    )
    congresses = fields.Field(attribute="import_congresses", column_name="届次", widget=ListWidget(text_item))
    districts = fields.Field(attribute="import_districts", column_name="选区", widget=ListWidget(text_item))
    started = fields.Field(attribute="import_started", column_name="任期开始", widget=ListWidget(date_item, render_date))
    ended = fields.Field(attribute="import_ended", column_name="任期结束", widget=ListWidget(date_item, render_date))
    stations = fields.Field(
        attribute="import_stations", column_name="编组站点", widget=ListWidget(membership_item, render_membership)
    )
    groups = fields.Field(attribute="import_groups", column_name="专业代表小组", widget=ListWidget(ref_item))

    what = _l("代表")
    import_help = (
        _l("每位代表一行；有 ID 的行按 ID 更新，没有 ID 的按“姓名 + 手机号”匹配（没有手机号时按姓名 + 所属区划），找不到则新增。"),
        _l("所属区划填区划代码（如 140403001），必须在您的管辖范围内。"),
        _l("代表层级填“全国、省、市、县、乡”，多个用分号分隔，如“市;县”；届次、选区、任期开始、任期结束按层级的顺序逐项填写，只写一项表示各层级相同。"),
        _l("编组站点填站点名称，站内职务写在方括号里，如“太东街道人大代表联络站[站长];英雄南路社区代表联络点”；重名时写成“名称#编号”。专业代表小组同样用分号分隔。"),
        _l("一行列出的职务和编组站点就是该代表的全部：行里没有的会被移除；文件里没有的列则保持不变。"),
        _l("性别、政治面貌按中文填写；日期写成 2024-01-31；“领导干部代表”填“是”或“否”。"),
        _l("任何一行有误都不会导入，请按提示改正后重新上传。"),
    )
    # The region is checked by its column (one query for the file); the account link is
    # not part of the roster.
    full_clean_exclude = ("region", "user")
    plain_fields = (
        "name", "gender", "ethnicity", "party", "birth_date", "occupation", "employer", "phone",
        "expertise", "is_leading_official", "region",
    )
    mandate_fields = ("levels", "congresses", "districts", "started", "ended")

    class Meta:
        model = Deputy
        fields = (
            "id", "name", "gender", "ethnicity", "party", "birth_date", "occupation", "employer",
            "phone", "expertise", "is_leading_official", "region", "region_name",
            "levels", "congresses", "districts", "started", "ended", "stations", "groups",
        )
        import_order = export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = True
        batch_size = 1000
        # A roster has thousands of rows: no per-field HTML diff (the preview shows each
        # row's cells instead) and no deep copy per row; unchanged rows are found by
        # comparing with the values read in `after_init_instance`.
        skip_diff = True

    def __init__(self, user=None, **kwargs):
        super().__init__(user, **kwargs)
        self.stations_index = NameIndex(self.scoped_by(Station.objects.all(), "region__code"), what=_("站点"))
        self.groups_index = NameIndex(self.scoped_by(ProfessionalGroup.objects.all(), "region__code"), what=_("专业代表小组"))
        self.may_see_phone = user is None or (self.scope is not None and (user.is_superuser or user.role == Role.STAFF))
        self._by_id: dict[int, Deputy] = {}
        self._by_name_phone: dict[tuple, list] = defaultdict(list)
        self._by_name_region: dict[tuple, list] = defaultdict(list)
        self._snapshots: dict[int, Snapshot] = {}

    def required_fields(self, headers):
        return () if "ID" in headers else ("name",)

    # --- loading what the file refers to, in a few queries ----------------------------
    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = dataset.headers
        ids, names = set(), set()
        if "ID" in headers:
            for value in dataset["ID"]:
                try:
                    pk = IntWidget().clean(value)
                except ValueError:
                    continue
                if pk is not None:
                    ids.add(pk)
        name_column = self.fields["name"].column_name
        if name_column in headers:
            names = {safe_cell(v) for v in dataset[name_column]} - {""}
        deputies = self.scoped(Deputy.objects.select_related("region"))
        found: dict[int, Deputy] = {}
        for part in chunked(ids):
            found.update((d.pk, d) for d in deputies.filter(pk__in=part))
        for part in chunked(names):
            found.update((d.pk, d) for d in deputies.filter(name__in=part))
        self._by_id = found
        self._snapshots = {}
        for deputy in found.values():
            if deputy.phone:
                self._by_name_phone[(deputy.name, deputy.phone)].append(deputy)
            else:
                self._by_name_region[(deputy.name, deputy.region_id)].append(deputy)
        self._load_snapshots(list(found))
        refs = set()
        column = self.fields["stations"].column_name
        if column in headers:
            for value in dataset[column]:
                for text in safe_split(value):
                    refs.add(parse_ref(membership_ref_safe(text))[0])
        self.stations_index.load(refs)
        column = self.fields["groups"].column_name
        if column in headers:
            self.groups_index.load({parse_ref(t)[0] for v in dataset[column] for t in safe_split(v)})

    def _load_snapshots(self, deputy_ids: list[int]) -> None:
        deputy_ids = [pk for pk in deputy_ids if pk not in self._snapshots]
        self._snapshots.update({pk: Snapshot() for pk in deputy_ids})
        for part in chunked(deputy_ids):
            for mandate in Mandate.objects.filter(deputy_id__in=part):
                self._snapshots[mandate.deputy_id].mandates[(mandate.level, mandate.congress)] = mandate
            for membership in StationMembership.objects.filter(deputy_id__in=part).select_related("station"):
                self._snapshots[membership.deputy_id].memberships[membership.station_id] = membership
            links = Deputy.groups.through.objects.filter(deputy_id__in=part).select_related("professionalgroup")
            for link in links:
                self._snapshots[link.deputy_id].groups[link.professionalgroup_id] = link.professionalgroup

    # --- finding the row's deputy -----------------------------------------------------
    def find_by_id(self, pk):
        if pk in self._by_id:
            return self._by_id[pk]
        deputy = super().find_by_id(pk)
        if deputy is not None:
            self._by_id[pk] = deputy
            self._load_snapshots([deputy.pk])
        return deputy

    def _key_cells(self, row):
        def cell(name):
            column = self.fields[name].column_name
            try:
                return cell_text(row.get(column))
            except ValueError:
                return ""

        return cell("name"), cell("phone"), cell("region")

    def find_by_natural_key(self, row):
        name, phone, code = self._key_cells(row)
        if not name:
            return None
        if phone:
            candidates = self._by_name_phone.get((name, phone), [])
        else:
            candidates = self._by_name_region.get((name, code), [])
        if len(candidates) > 1:
            raise ValidationError(
                _("已有 %(count)d 位同名、同手机号的代表，请在 ID 列填写要更新的是哪一位。") % {"count": len(candidates)}
            )
        return candidates[0] if candidates else None

    def natural_key(self, row):
        name, phone, code = self._key_cells(row)
        if not name:
            return None
        return ("new", name, phone) if phone else ("new", name, "", code)

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        instance._stored_values = None
        if not new:
            instance._stored_values = {name: self.fields[name].get_value(instance) for name in self.plain_fields}

    # --- reading the row --------------------------------------------------------------
    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if instance.region_id is None and "region" not in errors:
            errors["region"] = [_("请填写区划代码。")]
        snapshot = self._snapshots.get(instance.pk, Snapshot()) if instance.pk else Snapshot()
        instance._mandates = self._read_mandates(instance, row, errors, snapshot)
        instance._memberships = self._read_memberships(instance, row, errors, snapshot)
        instance._groups = self._read_groups(instance, row, errors, snapshot)
        if errors:
            raise ValidationError(errors)

    def _present(self, row, name) -> bool:
        return self.fields[name].column_name in row

    def _read_mandates(self, instance, row, errors, snapshot):
        if not self._present(row, "levels"):
            return None
        attributes = [self.fields[n].attribute for n in self.mandate_fields]
        if any(a in errors for a in attributes):
            return None
        levels = instance.import_levels or []
        count = len(levels)

        def spread(name, required):
            attribute = self.fields[name].attribute
            if not self._present(row, name):
                return None  # column left out: keep what is stored
            items = getattr(instance, attribute, None) or []
            if len(items) == count:
                return items
            if len(items) == 1:
                return items * count
            if not items:
                if required and count:
                    errors[attribute] = [_("请为每个代表层级填写%(column)s。") % {"column": self.fields[name].column_name}]
                return [None] * count
            errors[attribute] = [
                _("有 %(items)d 项，与「代表层级」的 %(count)d 项对不上；请按层级的顺序逐项填写，用分号分隔，或只写一项表示全部相同。")
                % {"items": len(items), "count": count}
            ]
            return None

        congresses = spread("congresses", True)
        districts = spread("districts", False)
        started = spread("started", True)
        ended = spread("ended", False)
        if any(a in errors for a in attributes):
            return None
        mandates = {}
        for index, level in enumerate(levels):
            number = index + 1
            congress = congresses[index] if congresses is not None else None
            if congresses is None:
                stored = [k for k in snapshot.mandates if k[0] == level]
                congress = stored[0][1] if len(stored) == 1 else None
            if not congress:
                errors.setdefault(self.fields["congresses"].attribute, []).append(
                    _("第 %(n)d 个层级（%(level)s）缺少届次。") % {"n": number, "level": Level(level).label}
                )
                continue
            stored = snapshot.mandates.get((level, congress))
            district = districts[index] if districts is not None else (stored.district if stored else "")
            start = started[index] if started is not None else (stored.started_on if stored else None)
            end = ended[index] if ended is not None else (stored.ended_on if stored else None)
            if start is None:
                errors.setdefault(self.fields["started"].attribute, []).append(
                    _("第 %(n)d 个层级（%(level)s）缺少任期开始日期。") % {"n": number, "level": Level(level).label}
                )
                continue
            if end is not None and end < start:
                errors.setdefault(self.fields["ended"].attribute, []).append(
                    _("第 %(n)d 项的任期结束（%(end)s）早于任期开始（%(start)s）。")
                    % {"n": number, "end": render_date(end), "start": render_date(start)}
                )
                continue
            if (level, congress) in mandates:
                errors.setdefault(self.fields["levels"].attribute, []).append(
                    _("「%(level)s · %(congress)s」重复出现。") % {"level": Level(level).label, "congress": congress}
                )
                continue
            mandates[(level, congress)] = (district or "", start, end)
        return mandates

    def _read_memberships(self, instance, row, errors, snapshot):
        if not self._present(row, "stations"):
            return None
        attribute = self.fields["stations"].attribute
        if attribute in errors:
            return None
        current = [m.station for m in snapshot.memberships.values()]
        region_code = instance.region_id or self.scope
        memberships, problems = {}, []
        for text, role in instance.import_stations or []:
            try:
                station = next((s for s in current if refers_to(text, s)), None)
                if station is None:
                    station = self.stations_index.resolve(text, region_code=region_code)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if station.pk in memberships:
                problems.append(_("站点「%(name)s」重复出现。") % {"name": station.name})
                continue
            memberships[station.pk] = role
        if problems:
            errors[attribute] = problems
            return None
        return memberships

    def _read_groups(self, instance, row, errors, snapshot):
        if not self._present(row, "groups"):
            return None
        attribute = self.fields["groups"].attribute
        if attribute in errors:
            return None
        region_code = instance.region_id or self.scope
        groups, problems = {}, []
        for text in instance.import_groups or []:
            try:
                group = next((g for g in snapshot.groups.values() if refers_to(text, g)), None)
                if group is None:
                    group = self.groups_index.resolve(text, region_code=region_code)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            groups[group.pk] = group
        if problems:
            errors[attribute] = problems
            return None
        return set(groups)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A deputy has no unique fields or constraints to check against the database (the
        # relations are checked above): the fields' own checks are enough, per row.
        errors = dict(import_validation_errors or {})
        try:
            instance.clean_fields(exclude=set(errors) | set(self.full_clean_exclude))
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None or instance._stored_values is None:
            return False
        for name in self.plain_fields:
            field = self.fields[name]
            if field.column_name in row and field.get_value(instance) != instance._stored_values[name]:
                return False
        snapshot = self._snapshots.get(instance.pk, Snapshot())
        if instance._mandates is not None and instance._mandates != snapshot.mandate_values():
            return False
        if instance._memberships is not None and instance._memberships != snapshot.membership_roles():
            return False
        if instance._groups is not None and instance._groups != set(snapshot.groups):
            return False
        return True


    # --- export -----------------------------------------------------------------------
    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        # The admin's list prefetches for its own columns: replace that with the export's.
        queryset = self.filter_export(queryset).select_related("region").prefetch_related(None).prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.all()),
            Prefetch("memberships", queryset=StationMembership.objects.select_related("station").order_by("station_id")),
            Prefetch("groups", queryset=ProfessionalGroup.objects.order_by("pk")),
        )
        deputies = list(queryset)
        self._station_namesakes = namesakes_of(
            Station, {m.station.name for d in deputies for m in d.memberships.all()}
        )
        self._group_namesakes = namesakes_of(ProfessionalGroup, {g.name for d in deputies for g in d.groups.all()})
        return super().export(queryset=deputies, **kwargs)

    def _mandates_of(self, deputy):
        return sorted_mandates(deputy.mandates.all())

    def dehydrate_phone(self, deputy):
        if self.may_see_phone:
            return deputy.phone
        from liaison.privacy import mask_phone

        return mask_phone(deputy.phone)

    def dehydrate_levels(self, deputy):
        return ";".join(str(Level(m.level).label) for m in self._mandates_of(deputy))

    def dehydrate_congresses(self, deputy):
        return ";".join(m.congress for m in self._mandates_of(deputy))

    def dehydrate_districts(self, deputy):
        mandates = self._mandates_of(deputy)
        return ";".join(m.district for m in mandates) if any(m.district for m in mandates) else ""

    def dehydrate_started(self, deputy):
        return ";".join(render_date(m.started_on) for m in self._mandates_of(deputy))

    def dehydrate_ended(self, deputy):
        mandates = self._mandates_of(deputy)
        return ";".join(render_date(m.ended_on) for m in mandates) if any(m.ended_on for m in mandates) else ""

    def dehydrate_stations(self, deputy):
        items = []
        for membership in deputy.memberships.all():
            text = ref_text(
                membership.station,
                region_code=deputy.region_id,
                namesakes=self._station_namesakes.get(membership.station.name, []),
            )
            items.append(render_membership((text, membership.role)))
        return ";".join(items)

    def dehydrate_groups(self, deputy):
        return ";".join(
            ref_text(g, region_code=deputy.region_id, namesakes=self._group_namesakes.get(g.name, []))
            for g in deputy.groups.all()
        )

