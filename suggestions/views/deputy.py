"""The deputies' pages: a reception with the issues raised, my suggestions, a new suggestion
with co-signers, the one-click evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.forms import ReceptionRecordForm
from deputies.models import Deputy, ReceptionStatus
from deputies.selectors import reception_list
from deputies.views import my_deputy
from stations.models import Region
from suggestions import selectors
from suggestions.forms import DeputySuggestionForm, IssueFormSet
from suggestions.models import Source, Status, SuggestionKind
from suggestions.services import intake
from suggestions.views.helpers import (
    PAGE_SIZE,
    WORKFLOW_ERRORS,
    apply_validation_error,
)

# --- deputies: receptions with the issues raised ----------------------------------------------


def _issue_formset(request):
    if request.method != "POST":
        return IssueFormSet(prefix="issues")
    data = request.POST
    if "add_issue" in data:
        # "再加一条问题" without JavaScript: the same form again, one blank row more.
        data = data.copy()
        total = int(data.get("issues-TOTAL_FORMS") or 0)
        data["issues-TOTAL_FORMS"] = str(min(total + 1, IssueFormSet.max_num))
    return IssueFormSet(data, prefix="issues")


def _reception_page(request, *, deputy: Deputy, instance=None):
    form = ReceptionRecordForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        deputy=deputy,
        initial=None if instance else {"date": timezone.localdate()},
    )
    issues = _issue_formset(request)
    if request.method == "POST" and "add_issue" not in request.POST and form.is_valid() and issues.is_valid():
        try:
            with transaction.atomic():
                reception = form.save(by=request.user)
                present = list(reception.deputies.order_by("pk"))
                present.sort(key=lambda d: d.pk != deputy.pk)  # the author leads
                count = 0
                for issue in issues:
                    if not issue.has_changed():
                        continue
                    data = issue.cleaned_data
                    intake.suggestion_submit(
                        kind=SuggestionKind.OPINION,
                        title=data["title"],
                        content=data["content"],
                        region=reception.station.region,
                        by=request.user,
                        category=data["category"],
                        station=reception.station,
                        reception=reception,
                        submitter_name=data["submitter_name"],
                        submitter_phone=data["submitter_phone"],
                        contact_consent=data.get("contact_consent", False),
                        deputies=present,
                        source=Source.RECEPTION,
                        route_proposal=data.get("route_proposal") or "",
                    )
                    count += 1
        except ValidationError as error:
            apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("接待记录已保存，录入问题 %(n)d 条。") % {"n": count})
            return redirect("deputies:reception_detail", pk=reception.pk)
    return render(
        request,
        "suggestions/reception_form.html",
        {"form": form, "issues": issues, "deputy": deputy, "scheduled": instance},
    )


@login_required
def reception_new(request):
    """记录一次接待 and the issues raised: each issue becomes an opinion linked to the reception."""
    deputy = my_deputy(request)
    if not deputy.memberships.exists():
        messages.error(request, _("您尚未编入任何联络站，暂不能记录接待。请联系工作人员。"))
        return redirect("deputies:dashboard")
    return _reception_page(request, deputy=deputy)


@login_required
def reception_record(request, pk: int):
    """Fill in the record of a scheduled reception day (公示表 → 接待记录), with its issues."""
    deputy = my_deputy(request)
    reception = get_object_or_404(reception_list(user=request.user), pk=pk)
    if reception.status != ReceptionStatus.SCHEDULED:
        messages.info(request, _("这次接待已经记录过了。"))
        return redirect("deputies:reception_detail", pk=reception.pk)
    return _reception_page(request, deputy=deputy, instance=reception)


# --- deputies: my suggestions, a new suggestion, evaluation ------------------------------------


@login_required
def my_suggestions(request):
    """我的建议: the suggestions and opinions I lead, co-signed or received, with their progress."""
    deputy = my_deputy(request)
    suggestions = (
        selectors.suggestion_list(user=request.user)
        .filter(deputy_links__deputy=deputy)
        .distinct()
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status") or ""
    if status in Status.values:
        suggestions = suggestions.filter(status=status)
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/my_suggestions.html",
        {"deputy": deputy, "page": page, "status": status, "statuses": Status.choices},
    )


@login_required
def suggestion_new(request):
    """提出代表建议, with co-signers (附议) and attachments."""
    deputy = my_deputy(request)
    form = DeputySuggestionForm(
        request.POST if request.method == "POST" else None, request.FILES or None, deputy=deputy
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = intake.suggestion_submit(
                kind=SuggestionKind.DEPUTY_SUGGESTION,
                title=data["title"],
                content=data["content"],
                region=Region.objects.get(code=deputy.region_id),
                by=request.user,
                category=data["category"],
                deputies=[deputy, *data["co_signers"]],
                session=data["session"],
                attachments=data["attachments"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("建议已提交，查询码 %(code)s。") % {"code": suggestion.code})
            return redirect("suggestions:detail", pk=suggestion.pk)
    return render(request, "suggestions/suggestion_new.html", {"form": form, "deputy": deputy})
