"""Admin for deputies (人大代表) with their mandates and station groups inline, professional
groups (专业代表小组) and receptions (接待活动), scoped to the user's region.

Deputies and receptions are saved through `deputies.services`, as the API saves them; the
inline mandates and memberships are the admin's formsets.
"""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from deputies.activities import activity_confirm
from deputies.models import (
    ActivityFile,
    ActivityStatus,
    ContactRecord,
    Deputy,
    DutyReport,
    Level,
    Mandate,
    ProfessionalGroup,
    Reception,
    StationMembership,
)
from deputies.resources.receptions import ReceptionResource
from deputies.resources.roster import DeputyResource
from deputies.selectors import deputy_list, reception_list
from deputies.services import (
    DEPUTY_FIELDS,
    RECEPTION_FIELDS,
    deputy_create,
    deputy_update,
    reception_create,
    reception_update,
)
from liaison.admin_mixins import (
    ExistsFilter,
    RoleScopedAdminMixin,
    ScopedImportExportMixin,
    ScopedInlineMixin,
    adopt,
)
from liaison.errors import DomainError
from liaison.privacy import mask_phone
from liaison.scoping import region_scope
from stations.admin_filters import RegionTreeFilter
from stations.models import StationKind
from stations.selectors import station_list


class LevelFilter(ExistsFilter):
    title = _("代表层级")
    parameter_name = "level"
    related_model = Mandate
    related_fk = "deputy"
    related_field = "level"

    def lookups(self, request, model_admin):
        return Level.choices


class StationFilter(admin.SimpleListFilter):
    """编组站点 (for deputies) or 站点 (for receptions): the hubs and township stations of the
    user's region, narrowed to the region chosen in the region filter."""

    title = _("站点")
    parameter_name = "station"
    #: how the model reaches a station: an Exists on memberships, or a plain foreign key
    via_membership = True

    def lookups(self, request, model_admin):
        stations = station_list(user=request.user).filter(kind__in=[StationKind.HUB, StationKind.STATION])
        region = request.GET.get(RegionTreeFilter.parameter_name, "")
        scope = region_scope(request.user) or ""
        if region.isdigit() and region.startswith(scope):
            stations = stations.in_region(region)
        return [(str(pk), name) for pk, name in stations.order_by("region_id", "name").values_list("pk", "name")[:300]]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        if self.via_membership:
            members = StationMembership.objects.filter(deputy=OuterRef("pk"), station_id=int(value))
            return queryset.filter(Exists(members))
        return queryset.filter(station_id=int(value))


class ReceptionStationFilter(StationFilter):
    via_membership = False


class MandateInline(ScopedInlineMixin, admin.TabularInline):
    model = Mandate
    extra = 0
    fields = ("level", "congress", "district", "started_on", "ended_on")


class MembershipInline(ScopedInlineMixin, admin.TabularInline):
    model = StationMembership
    extra = 0
    fields = ("station", "role", "joined_on")
    autocomplete_fields = ("station",)


@admin.register(Deputy)
class DeputyAdmin(ScopedImportExportMixin, RoleScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [DeputyResource]
    list_display = ("name", "gender", "levels", "stations_list", "is_leading_official", "masked_phone", "region_name")
    list_filter = (RegionTreeFilter, LevelFilter, StationFilter, "gender", "is_leading_official", "party")
    search_fields = ("name", "phone", "employer", "region__name", "^region__code")
    search_help_text = _("按姓名、手机号、工作单位、区划名称或区划代码搜索")
    autocomplete_fields = ("region", "groups")
    # An account is linked to its deputy from the account's page (账号), through
    # `accounts.services`, which keeps the account's role and region consistent.
    readonly_fields = ("user",)
    ordering = ("region_id", "name", "id")
    inlines = (MandateInline, MembershipInline)
    fieldsets = (
        (_("基本信息"), {"fields": ("name", ("gender", "ethnicity"), "party", "birth_date", "photo")}),
        (_("工作与联系"), {"fields": ("occupation", "employer", "phone", "expertise")}),
        (_("代表身份"), {"fields": ("region", "is_leading_official", "groups", "user")}),
    )

    def scoped_queryset(self, request):
        return deputy_list(user=request.user)

    @admin.display(description=_("代表层级"))
    def levels(self, deputy):
        ranks = {level: rank for rank, level in enumerate(Level.values)}
        levels = sorted({m.level for m in deputy.mandates.all()}, key=ranks.get)
        return "、".join(str(Level(level).label) for level in levels) or "—"

    @admin.display(description=_("编组站点"))
    def stations_list(self, deputy):
        return "、".join(m.station.name for m in deputy.memberships.all()) or "—"

    @admin.display(description=_("手机号"))
    def masked_phone(self, deputy):
        return mask_phone(deputy.phone) or "—"

    @admin.display(description=_("所属区划"), ordering="region_id")
    def region_name(self, deputy):
        return deputy.region.name

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in DEPUTY_FIELDS if name in form.fields}
        if change:
            deputy_update(deputy=obj, **{name: values[name] for name in form.changed_data if name in values})
        else:
            name, region = values.pop("name"), values.pop("region")
            adopt(obj, deputy_create(name=name, region=region, **values))


@admin.register(ProfessionalGroup)
class ProfessionalGroupAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "region_name", "deputies_count")
    list_filter = (RegionTreeFilter,)
    search_fields = ("name", "region__name", "^region__code")
    autocomplete_fields = ("region",)
    ordering = ("region_id", "name")
    fields = ("name", "region", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region").annotate(deputies_count=Count("deputies"))

    @admin.display(description=_("所属区划"), ordering="region_id")
    def region_name(self, group):
        return group.region.name

    @admin.display(description=_("代表数"), ordering="deputies_count")
    def deputies_count(self, group):
        return group.deputies_count


@admin.register(Reception)
class ReceptionAdmin(ScopedImportExportMixin, RoleScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [ReceptionResource]
    region_path = "station__region__code"
    list_display = ("date", "station", "mode", "status", "deputies_present", "visitor_count", "topic")
    list_display_links = ("date", "station")
    list_filter = (RegionTreeFilter, ReceptionStationFilter, "mode", "status")
    date_hierarchy = "date"
    search_fields = ("station__name", "topic", "summary")
    search_help_text = _("按站点名称、主题或接待情况搜索")
    autocomplete_fields = ("station", "deputies")
    ordering = ("-date", "station_id")
    readonly_fields = ("recorded_by",)
    fieldsets = (
        (_("时间与地点"), {"fields": ("station", "date", ("starts_at", "ends_at"), "mode", "status")}),
        (_("接待情况"), {"fields": ("topic", "deputies", "visitor_count", "summary", "recorded_by")}),
    )

    def scoped_queryset(self, request):
        return reception_list(user=request.user)

    @admin.display(description=_("参加代表"))
    def deputies_present(self, reception):
        names = [d.name for d in reception.deputies.all()]
        if len(names) > 5:
            return _("%(names)s 等 %(count)d 人") % {"names": "、".join(names[:5]), "count": len(names)}
        return "、".join(names) or "—"

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in RECEPTION_FIELDS if name in form.fields}
        if change:
            reception_update(reception=obj, **{name: values[name] for name in form.changed_data if name in values})
        else:
            station, date = values.pop("station"), values.pop("date")
            adopt(obj, reception_create(station=station, date=date, by=request.user, **values))
            obj.recorded_by = request.user


# --- duty record (履职档案): activities and the score's weights, scoped like the rest ---------
# The statistics pages (/stats/duty/activities/, /stats/duty/weights/) are where staff record
# and set them day to day; the admin is for corrections.
from deputies.models import DutyActivity, DutyScoreWeight  # noqa: E402


class ActivityFileInline(admin.TabularInline):
    model = ActivityFile
    extra = 0
    fields = ("original_name", "content_type", "size", "file")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DutyActivity)
class DutyActivityAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    list_display = ("date", "kind", "title", "place", "region", "station", "deputies_present", "status")
    list_display_links = ("date", "title")
    list_filter = (RegionTreeFilter, "status", "kind")
    date_hierarchy = "date"
    search_fields = ("title", "place", "note", "deputies__name")
    autocomplete_fields = ("region", "station", "deputies")
    ordering = ("-date", "-id")
    readonly_fields = ("recorded_by", "status", "review_note", "reviewed_by", "reviewed_at")
    fields = ("kind", "title", "date", "place", "partners", "region", "station", "deputies", "note", "status",
              "review_note", "reviewed_by", "reviewed_at", "recorded_by")
    inlines = [ActivityFileInline]
    actions = ["confirm_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region", "station").prefetch_related("deputies")

    @admin.action(description=_("确认所选的待确认活动"))
    def confirm_selected(self, request, queryset):
        done = 0
        for activity in queryset.filter(status=ActivityStatus.PENDING):
            try:
                activity_confirm(by=request.user, activity=activity)
            except DomainError as error:
                self.message_user(request, f"{activity}: {error}", level="error")
            else:
                done += 1
        self.message_user(request, _("已确认 %(n)d 项（退回请在“履职活动确认”页面说明理由）。") % {"n": done})

    @admin.display(description=_("参加代表"))
    def deputies_present(self, activity):
        return "、".join(d.name for d in activity.deputies.all()) or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DutyScoreWeight)
class DutyScoreWeightAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    list_display = ("region", "item", "points", "cap")
    list_filter = (RegionTreeFilter, "item")
    autocomplete_fields = ("region",)
    ordering = ("region_id", "item")
    fields = ("region", "item", "points", "cap")


@admin.register(DutyReport)
class DutyReportAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """述职 and 述职评议: the deputy's yearly report at a station and the voters' appraisal."""

    region_path = "deputy__region__code"
    list_display = ("date", "deputy", "station", "attendance", "satisfied", "basically_satisfied", "unsatisfied")
    list_filter = ("date",)
    date_hierarchy = "date"
    search_fields = ("deputy__name", "station__name")
    autocomplete_fields = ("deputy", "station")
    readonly_fields = ("recorded_by",)
    fields = ("deputy", "station", "date", "attendance", "satisfied", "basically_satisfied", "unsatisfied",
              "summary", "highlights", "recorded_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ContactRecord)
class ContactRecordAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    """两个联系: standing-committee members contacting deputies, deputies contacting voters."""

    list_display = ("date", "kind", "deputy", "member_name", "mode", "people")
    list_filter = (RegionTreeFilter, "kind", "mode")
    date_hierarchy = "date"
    search_fields = ("deputy__name", "member_name", "note")
    autocomplete_fields = ("deputy", "region")
    readonly_fields = ("recorded_by",)
    fields = ("kind", "deputy", "member_name", "region", "date", "mode", "people", "note", "recorded_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
