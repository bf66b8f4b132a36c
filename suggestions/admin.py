"""Admin of the suggestions app.

Handling units (承办单位): scoped to the user's region like every network object, with
Excel in and out. (The suggestion workflow's admin classes go below, in their own section.)

The workflow: suggestions (read-only pages with the workflow steps as buttons that call the
services, the timeline and assignments inline, filters by status, route, unit, overdue tier and
supervision, Excel export and historical import), categories, the holiday table, supervision
bundles, notifications and events (read-only).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.admin_mixins import (
    RoleScopedAdminMixin,
    ScopedImportExportMixin,
    can_read,
    can_write,
)
from liaison.models import Role, User
from stations.admin_filters import RegionTreeFilter
from suggestions import services as workflow_services
from suggestions import workflow
from suggestions.models import (
    Action,
    Assignment,
    Attachment,
    Category,
    Evaluation,
    Event,
    FeedbackChannel,
    Holiday,
    Notification,
    Rating,
    Result,
    Route,
    Suggestion,
    Supervision,
    SupervisionBundle,
    Unit,
)
from suggestions.resources import SuggestionResource, UnitResource
from suggestions.selectors import (
    OverdueTier,
    lead_assignment_subquery,
    suggestions_visible_to,
    unit_list,
    with_deadline,
)

# --- handling units ---------------------------------------------------------------------


@admin.register(Unit)
class UnitAdmin(ScopedImportExportMixin, RoleScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [UnitResource]
    list_display = ("name", "kind", "region_name", "phone", "officers_count", "is_active")
    list_filter = (RegionTreeFilter, "kind", "is_active")
    search_fields = ("name", "phone", "email", "region__name", "^region__code")
    search_help_text = _("按名称、电话、邮箱、区划名称或区划代码搜索")
    autocomplete_fields = ("region",)
    # Officers are linked from their account's page (账号), through accounts.services.
    readonly_fields = ("officers_list",)
    ordering = ("region_id", "name")
    fieldsets = (
        (None, {"fields": ("name", "kind", "region", "is_active")}),
        (_("联系方式"), {"fields": ("phone", "email")}),
        (_("联络员"), {"fields": ("officers_list",)}),
    )

    def scoped_queryset(self, request):
        return unit_list(user=request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(officers_count=Count("officers"))

    @admin.display(description=_("所属区划"), ordering="region_id")
    def region_name(self, unit):
        return unit.region.name

    @admin.display(description=_("联络员"))
    def officers_list(self, unit):
        return "、".join(str(user) for user in unit.officers.all()) or "—"

    @admin.display(description=_("联络员数"), ordering="officers_count")
    def officers_count(self, unit):
        return unit.officers_count



# --- the 提-交-办-督-评 workflow ---------------------------------------------------------------------
#
# The suggestion's change page is read-only: it shows the suggestion, its assignments, evaluations
# and the event timeline, and offers the workflow steps the user may take now as buttons. Each
# button opens a small form whose submission calls exactly one service (the same the API and the
# web pages call); a step that is not allowed (any more) shows the service's message and changes
# nothing.


class _WorkflowForm(forms.Form):
    """A workflow step's input. `perform` calls the step's one service."""

    def __init__(self, *args, suggestion, user, **kwargs):
        self.suggestion = suggestion
        self.user = user
        super().__init__(*args, **kwargs)

    def perform(self):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


def _note(label=None, required=False):
    return forms.CharField(label=label or _("说明"), required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_accept(suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"])


class DeclineForm(_WorkflowForm):
    reason = _note(_("不予受理理由"), required=True)

    def perform(self):
        return workflow_services.suggestion_decline(suggestion=self.suggestion, by=self.user, reason=self.cleaned_data["reason"])


class ResolveOnSpotForm(_WorkflowForm):
    note = _note(_("即办情况"), required=True)
    result = forms.ChoiceField(label=_("办理结果"), choices=Result.choices, initial=Result.A)

    def perform(self):
        return workflow_services.suggestion_resolve_on_spot(
            suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"], result=self.cleaned_data["result"]
        )


class MergeForm(_WorkflowForm):
    into = forms.CharField(label=_("并入事项的查询码"), max_length=16)
    note = _note()

    def clean_into(self):
        code = self.cleaned_data["into"].strip().upper()
        target = suggestions_visible_to(self.user).filter(code=code).first()
        if target is None:
            raise ValidationError(_("查询码不存在或不在您的管辖范围内。"))
        return target

    def perform(self):
        return workflow_services.suggestion_merge(
            suggestion=self.suggestion, by=self.user, into=self.cleaned_data["into"], note=self.cleaned_data["note"]
        )


class AssignForm(_WorkflowForm):
    route = forms.ChoiceField(label=_("办理方式"), choices=Route.choices)
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=Unit.objects.none(), required=False)
    deadline = forms.DateField(label=_("办理期限"), required=False, help_text=_("不填则按办理方式的工作日数计算。"))
    requirements = _note(_("办理要求"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = unit_list(user=self.user).filter(is_active=True).order_by("region_id", "name")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units

    def perform(self):
        data = self.cleaned_data
        return workflow_services.suggestion_assign(
            suggestion=self.suggestion, by=self.user, route=data["route"], lead_unit=data["lead_unit"],
            co_units=list(data["co_units"]), deadline=data["deadline"], requirements=data["requirements"],
        )


class SuperviseForm(_WorkflowForm):
    level = forms.ChoiceField(label=_("督办级别"), choices=[(Supervision.NORMAL, Supervision.NORMAL.label), (Supervision.KEY, Supervision.KEY.label)])
    leader = forms.ModelChoiceField(label=_("领衔督办人"), queryset=User.objects.none(), required=False)
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = self.suggestion.handling_region_id
        prefixes = [region[:n] for n in (2, 4, 6, 9, 12) if n <= len(region)]
        self.fields["leader"].queryset = User.objects.filter(
            role=Role.LEADER, is_active=True, region_id__in=prefixes
        ).order_by("region_id", "username")

    def perform(self):
        data = self.cleaned_data
        return workflow_services.suggestion_supervise(
            suggestion=self.suggestion, by=self.user, level=data["level"], leader=data["leader"], note=data["note"]
        )


class UrgeForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_urge(suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"])


class EvaluateForm(_WorkflowForm):
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices)
    deputy = forms.ModelChoiceField(
        label=_("评价代表"), queryset=Deputy.objects.none(), required=False,
        help_text=_("代为录入某位代表的评价时选择；不选表示代群众（提出人）录入。"),
    )
    comment = _note(_("评价意见"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = self.suggestion.deputies.all()

    def perform(self):
        data = self.cleaned_data
        return workflow_services.suggestion_evaluate(
            suggestion=self.suggestion, by=self.user, rating=data["rating"], comment=data["comment"], deputy=data["deputy"]
        )


class CloseForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_close(suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"])


class FeedbackForm(_WorkflowForm):
    channel = forms.ChoiceField(label=_("反馈方式"), choices=FeedbackChannel.choices)
    note = _note(_("反馈情况"))

    def perform(self):
        return workflow_services.suggestion_feedback(
            suggestion=self.suggestion, by=self.user, channel=self.cleaned_data["channel"], note=self.cleaned_data["note"]
        )


class PublishForm(_WorkflowForm):
    def perform(self):
        return workflow_services.suggestion_publish(suggestion=self.suggestion, by=self.user)


class ConvertForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_convert_to_deputy_suggestion(
            suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"]
        )


class EscalateForm(_WorkflowForm):
    note = _note()

    def perform(self):
        return workflow_services.suggestion_escalate(suggestion=self.suggestion, by=self.user, note=self.cleaned_data["note"])


# The steps the admin offers, in the table's order (sign/return/contact/reply are the units'
# steps: their officers take them in the unit inbox or the API, not in the admin).
WORKFLOW_FORMS: dict[str, type[_WorkflowForm]] = {
    Action.ACCEPT: AcceptForm,
    Action.DECLINE: DeclineForm,
    Action.RESOLVE_ON_SPOT: ResolveOnSpotForm,
    Action.MERGE: MergeForm,
    Action.CONVERT: ConvertForm,
    Action.ESCALATE: EscalateForm,
    Action.ASSIGN: AssignForm,
    Action.SUPERVISE: SuperviseForm,
    Action.URGE: UrgeForm,
    Action.EVALUATE: EvaluateForm,
    Action.CLOSE: CloseForm,
    Action.FEEDBACK: FeedbackForm,
    Action.PUBLISH: PublishForm,
}


class OverdueTierFilter(admin.SimpleListFilter):
    """超期档次, from the selectors' read-time annotation (never stored)."""

    title = _("超期档次")
    parameter_name = "tier"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label in OverdueTier.choices if value != OverdueTier.NONE]

    def queryset(self, request, queryset):
        value = self.value()
        if value in dict(OverdueTier.choices):
            return queryset.filter(overdue_tier=value)
        return queryset


class AssignedUnitFilter(admin.SimpleListFilter):
    """承办单位: suggestions a unit holds (lead or co, not returned)."""

    title = _("承办单位")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        return list(unit_list(user=request.user).order_by("region_id", "name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        held = Assignment.objects.active().filter(suggestion=OuterRef("pk"), unit_id=int(value))
        return queryset.filter(Exists(held))


class _ReadOnlyInline(admin.TabularInline):
    """A read-only list of the suggestion's rows, visible to whoever sees the suggestion."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return self.admin_site._registry[self.parent_model].has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignmentInline(_ReadOnlyInline):
    model = Assignment
    verbose_name_plural = _("交办情况")
    fields = ("unit", "role", "deadline", "status", "signed_at", "result", "replied_at", "reply", "return_reason")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit").order_by("-role", "id")  # lead ("lead" > "co") first


class EvaluationInline(_ReadOnlyInline):
    model = Evaluation
    verbose_name_plural = _("评价")
    fields = ("round", "rating", "deputy", "comment", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy")


class AttachmentInline(_ReadOnlyInline):
    """Files on the suggestion, the units' reply documents marked; each opens through the
    permission-checked download view (uploads are not served from MEDIA_URL)."""

    model = Attachment
    verbose_name_plural = _("附件")
    fields = ("download", "content_type", "size", "reply_of", "uploaded_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignment__unit", "uploaded_by").order_by("id")

    @admin.display(description=_("文件"))
    def download(self, attachment):
        return format_html('<a href="{}">{}</a>', reverse("suggestions:attachment", args=[attachment.pk]), attachment.original_name)

    @admin.display(description=_("答复材料"))
    def reply_of(self, attachment):
        return attachment.assignment.unit.name if attachment.assignment_id else "—"


class EventInline(_ReadOnlyInline):
    model = Event
    verbose_name_plural = _("办理记录（时间线）")
    fields = ("created_at", "action", "from_status", "to_status", "actor_name", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("created_at", "id")


@admin.register(Suggestion)
class SuggestionAdmin(ScopedImportExportMixin, RoleScopedAdminMixin, admin.ModelAdmin):
    """意见建议. Read-only page with the workflow steps as buttons; Excel export of the list and
    import of historical record books."""

    resource_classes = [SuggestionResource]
    change_form_template = "admin/suggestions/suggestion/change_form.html"
    list_display = (
        "code", "title", "kind", "status", "route", "category", "region_name", "lead_unit_name", "deadline_display",
        "tier_display", "supervision", "created_at",
    )
    list_display_links = ("code", "title")
    list_filter = (
        "status", "route", AssignedUnitFilter, OverdueTierFilter, "supervision", "kind", "category", RegionTreeFilter,
    )
    list_select_related = ("category", "region")
    search_fields = ("code", "title", "submitter_name")
    search_help_text = _("按查询码、标题或提出人搜索")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    inlines = (AssignmentInline, AttachmentInline, EvaluationInline, EventInline)
    actions = ("accept_selected", "publish_selected")
    fieldsets = (
        (None, {"fields": ("code", "kind", "status", "title", "content", "category", "region", "station", "reception")}),
        (_("提出人"), {"fields": ("submitter_name", "submitter_phone", "submitted_by", "source", "session", "deputies_list")}),
        (_("办理"), {"fields": (
            "route", "result", "replied_at", "rehandle_count", "supervision", "supervision_leader", "bundle",
            "merged_into", "converted_from", "escalated_to", "escalated_at",
        )}),
        (_("办结与公示"), {"fields": ("closed_at", "fed_back_at", "is_public", "published_at", "created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    # --- reads: the selectors' scope and annotations ------------------------------------
    def scoped_queryset(self, request):
        if not can_read(request.user):
            return Suggestion.objects.none()
        return suggestions_visible_to(request.user)

    def get_queryset(self, request):
        queryset = with_deadline(super().get_queryset(request))
        return queryset.annotate(lead_unit_name=Subquery(lead_assignment_subquery().values("unit__name")[:1]))

    @admin.display(description=_("区划"), ordering="region_id")
    def region_name(self, suggestion):
        return suggestion.region.name

    @admin.display(description=_("主办单位"))
    def lead_unit_name(self, suggestion):
        return suggestion.lead_unit_name or "—"

    @admin.display(description=_("办理期限"), ordering="deadline")
    def deadline_display(self, suggestion):
        return suggestion.deadline or "—"

    @admin.display(description=_("超期"))
    def tier_display(self, suggestion):
        if suggestion.overdue_tier == OverdueTier.NONE:
            return "—"
        return dict(OverdueTier.choices)[suggestion.overdue_tier]

    @admin.display(description=_("代表"))
    def deputies_list(self, suggestion):
        links = suggestion.deputy_links.select_related("deputy").order_by("order", "id")
        return "、".join(f"{link.deputy.name}（{link.get_role_display()}）" for link in links) or "—"

    # --- writes go through the workflow only ---------------------------------------------
    def has_add_permission(self, request):
        return False  # new suggestions come in through the forms, the API or the import

    def has_delete_permission(self, request, obj=None):
        return False  # the timeline is the audit trail

    def has_import_permission(self, request):
        return can_write(request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False,
                       show_delete=False)
        if obj is not None and self.has_change_permission(request, obj):
            context["workflow_buttons"] = [
                {"action": action, "label": Action(action).label, "url": self._step_url(obj, action)}
                for action in workflow.allowed_actions(obj, request.user)
                if action in WORKFLOW_FORMS
            ]
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def _step_url(self, suggestion, action):
        return reverse(f"{self.admin_site.name}:suggestions_suggestion_workflow", args=[suggestion.pk, action])

    def get_urls(self):
        return [
            path(
                "<path:object_id>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="suggestions_suggestion_workflow",
            ),
            *super().get_urls(),
        ]

    def workflow_view(self, request, object_id, action):
        """One workflow step: GET shows its form, POST calls its service."""
        form_class = WORKFLOW_FORMS.get(action)
        if form_class is None:
            raise Http404(gettext("没有这个办理操作。"))
        suggestion = self.get_object(request, object_id)
        if suggestion is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        change_url = reverse(f"{self.admin_site.name}:suggestions_suggestion_change", args=[suggestion.pk])
        label = Action(action).label
        form = form_class(request.POST if request.method == "POST" else None, suggestion=suggestion, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                form.perform()
            except workflow.WorkflowError as exc:
                messages.error(request, gettext("未能%(action)s：%(reason)s") % {"action": label, "reason": exc.message})
                return HttpResponseRedirect(change_url)
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                messages.success(request, gettext("已%(action)s：%(suggestion)s") % {"action": label, "suggestion": suggestion})
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(action)s：%(suggestion)s") % {"action": label, "suggestion": suggestion},
            "opts": self.opts,
            "original": suggestion,
            "form": form,
            "action_label": label,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/suggestions/suggestion/workflow_step.html", context)

    # --- bulk steps ----------------------------------------------------------------------------
    def _bulk(self, request, queryset, action, step):
        done, refused = 0, []
        for suggestion in queryset:
            try:
                step(suggestion)
                done += 1
            except (workflow.WorkflowError, ValidationError) as exc:
                reason = exc.message if isinstance(exc, workflow.WorkflowError) else "；".join(exc.messages)
                refused.append(f"{suggestion.code}：{reason}")
        if done:
            messages.success(request, gettext("已%(action)s %(n)d 件。") % {"action": Action(action).label, "n": done})
        if refused:
            messages.error(request, gettext("以下事项未能%(action)s：%(list)s") % {
                "action": Action(action).label, "list": "；".join(refused[:20])})

    @admin.action(description=_("受理所选意见建议"))
    def accept_selected(self, request, queryset):
        self._bulk(request, queryset, Action.ACCEPT,
                   lambda s: workflow_services.suggestion_accept(suggestion=s, by=request.user))

    @admin.action(description=_("公示所选意见建议"))
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, Action.PUBLISH,
                   lambda s: workflow_services.suggestion_publish(suggestion=s, by=request.user))


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- lists staff keep: categories, the holiday table --------------------------------------------
class _SharedListAdmin(admin.ModelAdmin):
    """A list every region shares (no region of its own): staff and leaders read it, staff keep it."""

    def has_module_permission(self, request):
        return can_read(request.user)

    def has_view_permission(self, request, obj=None):
        return can_read(request.user)

    def has_add_permission(self, request):
        return can_write(request.user)

    def has_change_permission(self, request, obj=None):
        return can_write(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # categories are referred to (deactivate instead); holidays are corrected


@admin.register(Category)
class CategoryAdmin(_SharedListAdmin):
    list_display = ("name", "order", "is_active", "suggestions_count")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(suggestions_count=Count("suggestions"))

    @admin.display(description=_("意见建议数"), ordering="suggestions_count")
    def suggestions_count(self, category):
        return category.suggestions_count


@admin.register(Holiday)
class HolidayAdmin(_SharedListAdmin):
    """节假日调整: days off and make-up working days that win over the calendar package."""

    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    search_fields = ("note",)
    date_hierarchy = "date"
    ordering = ("-date",)

    def has_delete_permission(self, request, obj=None):
        return can_write(request.user)  # a wrong entry is removed, the calendar falls back


# --- supervision bundles, notifications, events: read-only -----------------------------------------
class _ReadOnlyScopedAdmin(RoleScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BundleSuggestionInline(_ReadOnlyInline):
    model = Suggestion
    fk_name = "bundle"
    verbose_name_plural = _("所含意见建议")
    fields = ("code", "title", "status", "supervision")


@admin.register(SupervisionBundle)
class SupervisionBundleAdmin(_ReadOnlyScopedAdmin):
    """打捆督办 (created through `bundle_create`): read here, with its suggestions."""

    list_display = ("title", "level", "leader", "region", "suggestions_count", "created_at")
    list_filter = ("level", RegionTreeFilter)
    list_select_related = ("leader", "region")
    search_fields = ("title",)
    inlines = (BundleSuggestionInline,)
    fields = ("title", "level", "leader", "region", "note", "created_by", "created_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(suggestions_count=Count("suggestions"))

    @admin.display(description=_("件数"), ordering="suggestions_count")
    def suggestions_count(self, bundle):
        return bundle.suggestions_count


@admin.register(Notification)
class NotificationAdmin(_ReadOnlyScopedAdmin):
    """通知 (the outbox of reminders and notices): read-only, by the suggestion's region."""

    region_path = "suggestion__region__code"
    list_display = ("created_at", "recipient", "kind", "title", "suggestion_code", "read_at", "emailed_at", "sms_sent_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    list_select_related = ("recipient", "suggestion")
    search_fields = ("title", "suggestion__code", "recipient__username", "recipient__name")
    date_hierarchy = "created_at"
    fields = ("recipient", "kind", "title", "body", "suggestion", "assignment", "created_at", "read_at", "emailed_at", "sms_sent_at")
    readonly_fields = fields

    @admin.display(description=_("查询码"), ordering="suggestion__code")
    def suggestion_code(self, notification):
        return notification.suggestion.code if notification.suggestion_id else "—"


@admin.register(Event)
class EventAdmin(_ReadOnlyScopedAdmin):
    """办理记录: every step of every suggestion, never changed (the audit trail)."""

    region_path = "suggestion__region__code"
    list_display = ("created_at", "suggestion_code", "action", "from_status", "to_status", "actor_name", "imported")
    list_filter = ("action",)
    list_select_related = ("suggestion",)
    search_fields = ("suggestion__code", "actor_name", "note")
    date_hierarchy = "created_at"
    fields = ("suggestion", "assignment", "action", "from_status", "to_status", "actor", "actor_name", "note", "data", "created_at")
    readonly_fields = fields

    @admin.display(description=_("查询码"), ordering="suggestion__code")
    def suggestion_code(self, event):
        return event.suggestion.code

    @admin.display(description=_("历史导入"), boolean=True)
    def imported(self, event):
        return bool((event.data or {}).get("imported"))
