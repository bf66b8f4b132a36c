"""答复模板 on the web pages: a unit officer keeps their unit's templates, staff their region's
shared ones and those of its units (suggestions.similar.templates decides who manages what).
Officers start a reply from them on the reply step page (suggestions.views.steps)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.models import Role
from stations.models import Region
from suggestions.models import PLACEHOLDERS, AnswerTemplate
from suggestions.selectors import unit_list
from suggestions.similar.templates import templates_managed_by


class AnswerTemplateForm(forms.ModelForm):
    class Meta:
        model = AnswerTemplate
        fields = ["title", "body", "unit", "region", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list(user=user)
        if user.is_superuser or user.role == Role.STAFF:
            self.fields["region"].queryset = Region.objects.filter(code__startswith="" if user.is_superuser else user.region_id)
        else:
            del self.fields["region"]
            self.fields["unit"].required = True

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("region")):
            raise forms.ValidationError(gettext_lazy("请选择所属单位，或选择共用区划（二选一）。"))
        return data


def _may_manage(user) -> bool:
    return user.is_superuser or user.role in (Role.STAFF, Role.UNIT_OFFICER)


@login_required
def answer_templates(request):
    """The templates the user keeps, and a form for a new one."""
    if not _may_manage(request.user):
        raise PermissionDenied
    form = AnswerTemplateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        template = form.save(commit=False)
        template.created_by = request.user
        template.save()
        messages.success(request, _("已保存答复模板：%(title)s") % {"title": template.title})
        return redirect("suggestions:answer_templates")
    rows = templates_managed_by(request.user).select_related("unit", "region")
    return render(request, "suggestions/answer_templates.html",
                  {"templates": rows, "form": form, "placeholders": PLACEHOLDERS.items()},
                  status=400 if form.errors else 200)


@login_required
def answer_template_edit(request, pk: int):
    if not _may_manage(request.user):
        raise PermissionDenied
    template = get_object_or_404(templates_managed_by(request.user), pk=pk)
    form = AnswerTemplateForm(request.POST or None, instance=template, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存答复模板：%(title)s") % {"title": template.title})
        return redirect("suggestions:answer_templates")
    return render(request, "suggestions/answer_template_edit.html",
                  {"template": template, "form": form, "placeholders": PLACEHOLDERS.items()},
                  status=400 if form.errors else 200)
