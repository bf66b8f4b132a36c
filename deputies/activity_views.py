"""Duty activities on the web: a deputy registers their own from a phone and follows them
(`/deputies/me/activities/`); staff in scope confirm or return them (`/deputies/activities/review/`).
A deputy also records their contacts with voters (两个联系, `/deputies/me/contacts/`). The writes
are deputies/activities.py's and deputies/contacts.py's, as the API's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deputies.activities import activity_confirm, activity_register, activity_return, may_review
from deputies.contacts import contact_record
from deputies.forms import ActivityRegisterForm, ActivityReviewForm, ContactForm
from deputies.models import ActivityStatus, ContactKind, ContactRecord
from deputies.selectors import activity_list
from deputies.views import my_deputy
from liaison.errors import DomainError
from liaison.models import Role
from liaison.scoping import region_scope

PAGE_SIZE = 20


def _add_errors(form, error: ValidationError) -> None:
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
def my_activities(request):
    """我的履职活动: register an activity (phone-friendly form) and see mine with their status."""
    deputy = my_deputy(request)
    form = ActivityRegisterForm(request.POST or None, request.FILES or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            activity_register(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("履职活动已登记，待工作人员确认后计入履职档案。"))
            return redirect("deputies:my_activities")
    activities = activity_list(user=request.user).order_by("-date", "-id")
    return render(request, "deputies/activities.html", {
        "deputy": deputy, "form": form, "page": Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page")),
    })


@login_required
def my_contacts(request):
    """我联系群众 (两个联系): record a contact with voters and see mine."""
    deputy = my_deputy(request)
    form = ContactForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            contact_record(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("联系群众情况已记录。"))
            return redirect("deputies:my_contacts")
    contacts = ContactRecord.objects.filter(deputy=deputy).order_by("-date", "-id")
    return render(request, "deputies/contacts.html", {
        "deputy": deputy, "form": form, "kinds": ContactKind,
        "page": Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page")),
    })


def _staff(request):
    user = request.user
    if not (user.is_superuser or (user.role == Role.STAFF and region_scope(user) is not None)):
        raise PermissionDenied(_("此页面仅供工作人员使用。"))


@login_required
def review_queue(request):
    """履职活动确认: the activities deputies registered in my region, pending first."""
    _staff(request)
    status = request.GET.get("status") or ActivityStatus.PENDING
    if status not in ActivityStatus.values:
        raise Http404
    activities = activity_list(user=request.user).filter(status=status).order_by("date", "id")
    return render(request, "deputies/activity_review.html", {
        "status": status, "statuses": ActivityStatus.choices, "form": ActivityReviewForm(),
        "page": Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page")),
    })


@login_required
@require_POST
def review(request, pk: int, decision: str):
    _staff(request)
    activity = get_object_or_404(activity_list(user=request.user), pk=pk)
    if not may_review(request.user, activity):
        raise Http404
    form = ActivityReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service = activity_confirm if decision == "confirm" else activity_return
    try:
        service(by=request.user, activity=activity, note=note)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已确认。") if decision == "confirm" else _("已退回。"))
    return redirect("deputies:activity_review")


@login_required
def activity_file(request, pk: int, file_pk: int):
    """A photo or file of an activity: for the deputy who registered it and staff and leaders in
    scope (the activity's selector), never public; sent as a download under a neutral name."""
    activity = get_object_or_404(activity_list(user=request.user), pk=pk)
    stored = get_object_or_404(activity.files.all(), pk=file_pk)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    extension = stored.file.name.rsplit(".", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=f"activity-{pk}-{file_pk}.{extension}",
                        content_type=stored.content_type)
