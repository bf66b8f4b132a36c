"""Suggestions: read-only pages with the workflow steps as buttons (each step from
`suggestions.steps.table`, its form derived from the step's input), the timeline and assignments inline, filters by status, route, unit,
overdue tier and supervision, Excel export and historical import."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from liaison.admin_mixins import (
    RoleScopedAdminMixin,
    ScopedImportExportMixin,
    can_read,
    can_write,
)
from stations.admin_filters import RegionTreeFilter
from suggestions import workflow
from suggestions.admin.inlines import (
    AssignmentInline,
    AttachmentInline,
    EvaluationInline,
    EventInline,
)
from suggestions.models import Action, Assignment, Consent, Suggestion
from suggestions.resources.suggestions import SuggestionResource
from suggestions.selectors import (
    OverdueTier,
    lead_assignment_subquery,
    suggestions_visible_to,
    tier_q,
    unit_list,
    with_deadline,
)
from suggestions.steps import SUGGESTION, allowed, perform, validate
from suggestions.steps.batch import take_on_each
from suggestions.steps.forms import step_form
from suggestions.steps.table import STEPS, steps_on


class OverdueTierFilter(admin.SimpleListFilter):
    """超期档次, from the selectors' read-time annotation (never stored)."""

    title = _("超期档次")
    parameter_name = "tier"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label in OverdueTier.choices if value != OverdueTier.NONE]

    def queryset(self, request, queryset):
        value = self.value()
        if value in dict(OverdueTier.choices):
            return queryset.filter(tier_q([value]))
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
        "status", "route_proposal", "route", AssignedUnitFilter, OverdueTierFilter, "supervision", "kind", "session",
        "category", RegionTreeFilter,
    )
    list_select_related = ("category", "region")
    search_fields = ("code", "title", "submitter_name")
    search_help_text = _("按查询码、标题或提出人搜索")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    inlines = (AssignmentInline, AttachmentInline, EvaluationInline, EventInline)
    actions = ("accept_selected", "assign_selected", "publish_selected")
    fieldsets = (
        (None, {"fields": ("code", "kind", "status", "title", "content", "category", "region", "station", "reception")}),
        (_("提出人"), {"fields": (
            "submitter_name", "submitter_phone", "submitter_email", "contact_consent", "submitted_by", "source",
            "session", "deputies_list",
        )}),
        (_("办理"), {"fields": (
            "route_proposal", "route", "result", "replied_at", "rehandle_count", "supervision", "supervision_leader", "bundle",
            "merged_into", "converted_from", "escalated_to", "escalated_at",
        )}),
        (_("办结与公示"), {"fields": (
            "closed_at", "fed_back_at", "is_public", "published_at", "public_title", "public_content", "created_at",
            "updated_at",
        )}),
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
        return "、".join(
            f"{link.deputy.name}（{link.get_role_display()}"
            + ("" if link.consent == Consent.CONFIRMED else f"，{link.get_consent_display()}") + "）"
            for link in links
        ) or "—"

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
                {"action": step.action, "label": step.label, "url": self._step_url(obj, step.action)}
                for step in steps_on(SUGGESTION)
                if allowed(step, obj, request.user)
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
        """One workflow step (`suggestions.steps`): GET shows its form, POST takes the step."""
        step = STEPS.get(action)
        if step is None or step.on != SUGGESTION:
            raise Http404(gettext("没有这个办理操作。"))
        suggestion = self.get_object(request, object_id)
        if suggestion is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        change_url = reverse(f"{self.admin_site.name}:suggestions_suggestion_change", args=[suggestion.pk])
        posted = request.method == "POST"
        form = step_form(step, obj=suggestion, request=request, data=request.POST if posted else None,
                         files=request.FILES if posted else None)
        try:
            if posted:
                perform(step, obj=suggestion, user=request.user, data=form.posted(request.POST, request.FILES),
                        request=request)
            else:
                workflow.require(suggestion, step.action, request.user)
        except workflow.WorkflowError as exc:
            messages.error(request, gettext("未能%(action)s：%(reason)s") % {"action": step.label, "reason": exc.message})
            return HttpResponseRedirect(change_url)
        except serializers.ValidationError as exc:
            form.add_serializer_errors(exc.detail)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            if posted:
                messages.success(request, gettext("已%(action)s：%(suggestion)s") % {"action": step.label, "suggestion": suggestion})
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(action)s：%(suggestion)s") % {"action": step.label, "suggestion": suggestion},
            "opts": self.opts,
            "original": suggestion,
            "form": form,
            "action_label": step.label,
            "confirm": step.confirm,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/suggestions/suggestion/workflow_step.html", context)

    # --- bulk steps ----------------------------------------------------------------------------
    def _bulk(self, request, queryset, action):
        """Take a step that needs no input on each selected suggestion (`suggestions.steps`)."""
        step = STEPS[action]
        done, refused = 0, []
        for suggestion in queryset:
            try:
                perform(step, obj=suggestion, user=request.user, data={}, request=request)
                done += 1
            except (workflow.WorkflowError, ValidationError, serializers.ValidationError) as exc:
                refused.append(f"{suggestion.code}：{_reason(exc)}")
        if done:
            messages.success(request, gettext("已%(action)s %(n)d 件。") % {"action": Action(action).label, "n": done})
        if refused:
            messages.error(request, gettext("以下事项未能%(action)s：%(list)s") % {
                "action": Action(action).label, "list": "；".join(refused[:20])})

    @admin.action(description=_("受理所选意见建议"))
    def accept_selected(self, request, queryset):
        self._bulk(request, queryset, Action.ACCEPT)

    @admin.action(description=_("批量交办所选意见建议（会后交办）"))
    def assign_selected(self, request, queryset):
        """批量交办: the assign step's form once, then the step on each selected suggestion."""
        step = STEPS[Action.ASSIGN]
        suggestions = list(queryset.order_by("pk"))
        if not suggestions:
            return None
        posted = "apply" in request.POST
        form = step_form(step, obj=suggestions[0], request=request, data=request.POST if posted else None)
        if posted:
            data = form.posted(request.POST)
            try:
                validate(step, obj=suggestions[0], data=data, request=request)
            except serializers.ValidationError as exc:
                form.add_serializer_errors(exc.detail)
            else:
                outcome = take_on_each(step, user=request.user, request=request,
                                       ids=[s.pk for s in suggestions], data=data)
                codes = {s.pk: s.code for s in suggestions}
                refused = [f"{codes[r['id']]}：{_flat(r.get('error'))}" for r in outcome["results"] if r["status"] != 200]
                if outcome["assigned"]:
                    messages.success(request, gettext("已交办 %(n)d 件。") % {"n": outcome["assigned"]})
                if refused:
                    messages.error(request, gettext("以下事项未能交办：%(list)s") % {"list": "；".join(refused[:20])})
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("批量交办"),
            "opts": self.opts,
            "suggestions": suggestions,
            "form": form,
            "confirm": step.confirm,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/suggestions/suggestion/batch_assign.html", context)

    @admin.action(description=_("公示所选意见建议"))
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, Action.PUBLISH)


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _flat(error) -> str:
    if isinstance(error, dict):
        return "；".join(_flat(v) for v in error.values())
    if isinstance(error, list | tuple):
        return "；".join(_flat(v) for v in error)
    return str(error or "")


def _reason(exc) -> str:
    if isinstance(exc, workflow.WorkflowError):
        return exc.message
    if isinstance(exc, serializers.ValidationError):
        return str(exc.detail)
    return "；".join(exc.messages)
