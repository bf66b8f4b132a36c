"""Excel and CSV in and out for deputies (人大代表名册) and receptions (接待活动).

The conventions shared by every resource (Chinese headers, 第 N 行 numbering, 是/否, dates,
name references 名称 / 名称#编号, all-or-nothing imports, scoping) are in
`stations/resources.py`. What is particular to this module:

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

接待活动 (ReceptionResource):

- key: the ID column when filled; otherwise 站点 + 接待日期 + 接待方式 + 开始时间.
- 站点: a station name (名称#编号 when shared); 参加代表: deputy names separated by ";"
  (姓名#编号 when a name is shared), looked up nearest to the station's region first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from import_export import fields, widgets

from deputies.models import (
    Deputy,
    Gender,
    Level,
    Mandate,
    MembershipRole,
    Party,
    ProfessionalGroup,
    Reception,
    ReceptionMode,
    ReceptionStatus,
    StationMembership,
)
from liaison.models import Role
from stations.models import Station
from stations.resources import (
    BoolWidget,
    ChoiceWidget,
    DateWidget,
    IntWidget,
    LiaisonResource,
    NameIndex,
    RegionWidget,
    TextWidget,
    TimeWidget,
    cell_text,
    chunked,
    col,
    namesakes_of,
    parse_date,
    parse_ref,
    ref_text,
    refers_to,
    render_date,
    split_list,
)

LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}
LEVEL_ALIASES = {
    "全国人大": Level.NATIONAL,
    "国家": Level.NATIONAL,
    "省级": Level.PROVINCIAL,
    "自治区": Level.PROVINCIAL,
    "市级": Level.CITY,
    "县级": Level.COUNTY,
    "区": Level.COUNTY,
    "区级": Level.COUNTY,
    "县区": Level.COUNTY,
    "乡级": Level.TOWNSHIP,
    "镇": Level.TOWNSHIP,
    "乡镇": Level.TOWNSHIP,
}
ROLE_IN_BRACKETS = re.compile(r"^(?P<ref>.*?)\s*[\[【［](?P<role>[^\]】］]*)[\]】］]$")
MAX_TEXT = 100


class ListWidget(widgets.Widget):
    """A ";"-separated cell, each item cleaned by `item` (a function raising ValueError)."""

    def __init__(self, item, render_item=str):
        self.item = item
        self.render_item = render_item
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        items = split_list(value)
        cleaned, problems = [], []
        for number, text in enumerate(items, 1):
            try:
                cleaned.append(self.item(text))
            except ValueError as exc:
                problems.append(_("第 %(n)d 项：%(message)s") % {"n": number, "message": exc})
        if problems:
            raise ValueError("；".join(problems))
        return cleaned

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return ";".join(self.render_item(v) for v in value)


_level_widget = ChoiceWidget(Level, aliases=LEVEL_ALIASES)
_role_widget = ChoiceWidget(MembershipRole)


def _level_item(text: str) -> str:
    if not text:
        raise ValueError(_("不能为空。"))
    return _level_widget.clean(text)


def _text_item(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise ValueError(_("不能超过 %(n)d 个字。") % {"n": MAX_TEXT})
    return text


def _date_item(text: str):
    return parse_date(text)


def _membership_item(text: str) -> tuple[str, str]:
    match = ROLE_IN_BRACKETS.match(text)
    if match:
        ref, role_text = match.group("ref").strip(), match.group("role").strip()
        role = _role_widget.clean(role_text) if role_text else MembershipRole.MEMBER
    else:
        ref, role = text, MembershipRole.MEMBER
    if not ref:
        raise ValueError(_("缺少站点名称。"))
    return ref, role


def _render_membership(item) -> str:
    ref, role = item
    return ref if role == MembershipRole.MEMBER else f"{ref}[{MembershipRole(role).label}]"


def _ref_item(text: str) -> str:
    if not text:
        raise ValueError(_("不能为空。"))
    return text


@dataclass
class Snapshot:
    """A deputy's relations as stored, to compare a row against and to diff on save."""

    mandates: dict = field(default_factory=dict)  # (level, congress) -> Mandate
    memberships: dict = field(default_factory=dict)  # station_id -> StationMembership
    groups: dict = field(default_factory=dict)  # group_id -> ProfessionalGroup

    def mandate_values(self) -> dict:
        return {k: (m.district, m.started_on, m.ended_on) for k, m in self.mandates.items()}

    def membership_roles(self) -> dict:
        return {k: m.role for k, m in self.memberships.items()}


def sorted_mandates(mandates) -> list:
    return sorted(mandates, key=lambda m: (LEVEL_RANK.get(m.level, 99), m.congress))


class DeputyResource(LiaisonResource):
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
    phone = col(Deputy, "phone")
    expertise = col(Deputy, "expertise")
    is_leading_official = col(Deputy, "is_leading_official", BoolWidget())
    region = col(Deputy, "region", RegionWidget())
    region_name = fields.Field(attribute="region__name", column_name="区划名称", readonly=True)
    levels = fields.Field(
        attribute="import_levels", column_name="代表层级", widget=ListWidget(_level_item, lambda v: str(Level(v).label))
    )
    congresses = fields.Field(attribute="import_congresses", column_name="届次", widget=ListWidget(_text_item))
    districts = fields.Field(attribute="import_districts", column_name="选区", widget=ListWidget(_text_item))
    started = fields.Field(attribute="import_started", column_name="任期开始", widget=ListWidget(_date_item, render_date))
    ended = fields.Field(attribute="import_ended", column_name="任期结束", widget=ListWidget(_date_item, render_date))
    stations = fields.Field(
        attribute="import_stations", column_name="编组站点", widget=ListWidget(_membership_item, _render_membership)
    )
    groups = fields.Field(attribute="import_groups", column_name="专业代表小组", widget=ListWidget(_ref_item))

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
            names = {_safe_text(v) for v in dataset[name_column]} - {""}
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
                for text in _safe_split(value):
                    refs.add(parse_ref(_membership_item_safe(text))[0])
        self.stations_index.load(refs)
        column = self.fields["groups"].column_name
        if column in headers:
            self.groups_index.load({parse_ref(t)[0] for v in dataset[column] for t in _safe_split(v)})

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

    # --- saving in bulk ---------------------------------------------------------------
    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            instance.updated_at = timezone.now()  # bulk_update skips auto_now

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances:
            return
        try:
            if using_transactions or not dry_run:
                Deputy.objects.bulk_create(self.create_instances, batch_size=self._meta.batch_size)
                self.write_relations(self.create_instances)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances:
            return
        try:
            if using_transactions or not dry_run:
                fields_ = [f for f in self.plain_fields] + ["updated_at"]
                Deputy.objects.bulk_update(self.update_instances, fields_, batch_size=500)
                self.write_relations(self.update_instances)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.update_instances.clear()

    def write_relations(self, deputies) -> None:
        """Bring each deputy's mandates, memberships and groups to what its row says, in a
        handful of bulk statements for the whole batch."""
        new_mandates, changed_mandates, gone_mandates = [], [], []
        new_members, changed_members, gone_members = [], [], []
        Link = Deputy.groups.through
        new_links, gone_links = [], []
        for deputy in deputies:
            snapshot = self._snapshots.get(deputy.pk, Snapshot())
            if deputy._mandates is not None:
                for key, mandate in snapshot.mandates.items():
                    if key not in deputy._mandates:
                        gone_mandates.append(mandate.pk)
                for (level, congress), (district, start, end) in deputy._mandates.items():
                    mandate = snapshot.mandates.get((level, congress))
                    if mandate is None:
                        new_mandates.append(
                            Mandate(deputy_id=deputy.pk, level=level, congress=congress, district=district,
                                    started_on=start, ended_on=end)
                        )
                    elif (mandate.district, mandate.started_on, mandate.ended_on) != (district, start, end):
                        mandate.district, mandate.started_on, mandate.ended_on = district, start, end
                        changed_mandates.append(mandate)
            if deputy._memberships is not None:
                for station_id, membership in snapshot.memberships.items():
                    if station_id not in deputy._memberships:
                        gone_members.append(membership.pk)
                for station_id, role in deputy._memberships.items():
                    membership = snapshot.memberships.get(station_id)
                    if membership is None:
                        new_members.append(StationMembership(deputy_id=deputy.pk, station_id=station_id, role=role))
                    elif membership.role != role:
                        membership.role = role
                        changed_members.append(membership)
            if deputy._groups is not None:
                stored = set(snapshot.groups)
                gone_links.extend((deputy.pk, g) for g in stored - deputy._groups)
                new_links.extend(Link(deputy_id=deputy.pk, professionalgroup_id=g) for g in deputy._groups - stored)
        for part in chunked(gone_mandates):
            Mandate.objects.filter(pk__in=part).delete()
        for part in chunked(gone_members):
            StationMembership.objects.filter(pk__in=part).delete()
        by_deputy = defaultdict(list)
        for deputy_id, group_id in gone_links:
            by_deputy[deputy_id].append(group_id)
        for deputy_id, group_ids in by_deputy.items():
            Link.objects.filter(deputy_id=deputy_id, professionalgroup_id__in=group_ids).delete()
        Mandate.objects.bulk_create(new_mandates, batch_size=1000)
        Mandate.objects.bulk_update(changed_mandates, ["district", "started_on", "ended_on"], batch_size=500)
        StationMembership.objects.bulk_create(new_members, batch_size=1000)
        StationMembership.objects.bulk_update(changed_members, ["role"], batch_size=500)
        Link.objects.bulk_create(new_links, batch_size=1000)

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

    def filter_export(self, queryset, **kwargs):
        if isinstance(queryset, list):
            return queryset
        return super().filter_export(queryset, **kwargs)

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
            items.append(_render_membership((text, membership.role)))
        return ";".join(items)

    def dehydrate_groups(self, deputy):
        return ";".join(
            ref_text(g, region_code=deputy.region_id, namesakes=self._group_namesakes.get(g.name, []))
            for g in deputy.groups.all()
        )


def _safe_text(value) -> str:
    try:
        return cell_text(value)
    except ValueError:
        return ""


def _safe_split(value) -> list[str]:
    try:
        return split_list(value)
    except ValueError:
        return []


def _membership_item_safe(text: str) -> str:
    try:
        return _membership_item(text)[0]
    except ValueError:
        return text


# ---------------------------------------------------------------------------------------
# receptions


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
        widget=ListWidget(_ref_item),
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
            self.stations_index.load({parse_ref(_safe_text(v))[0] for v in dataset[column]})
        column = self.fields["deputies"].column_name
        if column in dataset.headers:
            self.deputies_index.load({parse_ref(t)[0] for v in dataset[column] for t in _safe_split(v)})

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

    def filter_export(self, queryset, **kwargs):
        if isinstance(queryset, list):
            return queryset
        return super().filter_export(queryset, **kwargs)

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
