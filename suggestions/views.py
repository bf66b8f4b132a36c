"""Suggestion pages: the public opinion forms, tracking and published results; the deputy's,
the unit officer's and the staff's workflow pages.

Every workflow step here calls the same service function as the API and the admin
(`suggestions.services`); a view only validates the form, calls the service, and shows the
service's refusal (a `WorkflowError` or a `ValidationError`) as a message or a form error.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deputies.forms import ReceptionRecordForm
from deputies.models import Deputy, ReceptionStatus, StationMembership
from deputies.selectors import reception_list
from deputies.views import my_deputy
from liaison.errors import DomainError
from liaison.models import Role
from liaison.qr import public_url, qr_response, qr_svg
from liaison.scoping import region_scope
from stations.models import Region, Station

from . import selectors, services, workflow
from .calendar import WorkCalendar
from .conf import route_deadline_days
from .downloads import attachment_response
from .forms import (
    AssignForm,
    AttachForm,
    ContactForm,
    DeputySuggestionForm,
    EmptyForm,
    EvaluateForm,
    FeedbackForm,
    IssueFormSet,
    MergeForm,
    NoteForm,
    OpinionForm,
    ReasonForm,
    ReplyForm,
    ResolveForm,
    SuperviseForm,
    TrackForm,
)
from .models import (
    Action,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Evaluation,
    Route,
    Source,
    Status,
    Suggestion,
    SuggestionDeputy,
    SuggestionKind,
    Supervision,
    SupervisionBundle,
)

logger = logging.getLogger(__name__)
PAGE_SIZE = 20
CODE_LENGTHS = (2, 4, 6, 9, 12)
# A voter may write for a county or anything below it; above that nobody knows who handles it.
MIN_OPINION_REGION_LENGTH = 6
WORKFLOW_ERRORS = (workflow.WorkflowError, DomainError)


# --- helpers ----------------------------------------------------------------------------------


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form."""
    aliases = {"file": "attachments", "deputies": "co_signers"}
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            field = field if field in form.fields else aliases.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _throttle_rate() -> tuple[int, int]:
    """The public write limit, shared with the API's `public` throttle (e.g. "20/hour")."""
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("public") or "20/hour"
    number, period = rate.split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0]]
    return int(number), seconds


def _throttled(request, scope: str) -> bool:
    """Count one public write from this address; True once the limit is passed.

    Cache-based, so every worker process shares the count (Redis, or the file cache on a bare
    machine). The address is the connection's: a reverse proxy must pass the client's.
    """
    limit, window = _throttle_rate()
    key = f"liaison:web-throttle:{scope}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def _role_required(request, *roles: str) -> None:
    user = request.user
    if user.is_superuser:
        return
    if user.role not in roles:
        raise PermissionDenied(_("您的账号无权使用此页面。"))


# --- 提: the public opinion forms -------------------------------------------------------------


def _opinion_page(request, *, region: Region, station: Station | None = None, deputy: Deputy | None = None, target: str):
    form = OpinionForm(request.POST if request.method == "POST" else None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if _throttled(request, "opinion"):
            return render(request, "suggestions/throttled.html", status=429)
        if form.is_spam():
            logger.info("opinion honeypot filled from %s", request.META.get("REMOTE_ADDR"))
            form.add_error(None, _("提交未成功，请稍后再试。"))
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                suggestion = services.suggestion_submit(
                    kind=SuggestionKind.OPINION,
                    title=data["title"],
                    content=data["content"],
                    region=region,
                    by=None,
                    category=data["category"],
                    station=station,
                    submitter_name=data["submitter_name"],
                    submitter_phone=data["submitter_phone"],
                    deputies=[deputy] if deputy is not None else [],
                    source=Source.PUBLIC,
                    attachments=data["attachments"],
                )
            except ValidationError as error:
                _apply_validation_error(form, error)
            except WORKFLOW_ERRORS as error:
                form.add_error(None, str(error))
            else:
                request.session["opinion_code"] = suggestion.code
                return redirect("suggestions:opinion_done")
    return render(
        request,
        "suggestions/opinion_form.html",
        {"form": form, "region": region, "station": station, "deputy": deputy, "target": target},
        status=status,
    )


def opinion(request):
    """反映意见建议 for a region: drill down to a county or township, then write."""
    code = (request.GET.get("region") or request.POST.get("region") or "").strip()
    region = None
    if code:
        if not code.isdigit() or len(code) not in CODE_LENGTHS:
            raise Http404("bad region code")
        region = get_object_or_404(Region, code=code)
    if region is not None and len(region.code) >= MIN_OPINION_REGION_LENGTH:
        return _opinion_page(request, region=region, target=region.full_name)
    children = Region.objects.filter(parent=region) if region else Region.objects.filter(parent__isnull=True)
    return render(
        request,
        "suggestions/opinion_region.html",
        {"region": region, "breadcrumb": (region.ancestors() + [region]) if region else [], "children": children.order_by("code")},
    )


def opinion_station(request, station_id: int):
    """The page a station's QR code (一家一码) opens: write to this station."""
    station = get_object_or_404(Station.objects.filter(is_active=True).select_related("region"), pk=station_id)
    return _opinion_page(request, region=station.region, station=station, target=station.name)


def opinion_deputy(request, deputy_id: int):
    """The page a deputy's QR code (一人一码) opens: write to this deputy. The opinion belongs
    to the region of the deputy's (first) station, where it will be handled."""
    deputy = get_object_or_404(Deputy.objects.only("id", "name", "region_id"), pk=deputy_id)
    membership = (
        StationMembership.objects.filter(deputy=deputy, station__is_active=True)
        .select_related("station__region")
        .order_by("station__name", "id")
        .first()
    )
    region = membership.station.region if membership else Region.objects.get(code=deputy.region_id)
    return _opinion_page(
        request,
        region=region,
        station=membership.station if membership else None,
        deputy=deputy,
        target=_("%(name)s代表") % {"name": deputy.name},
    )


def _track_url(request, code: str) -> str:
    return public_url(request, reverse("suggestions:track_detail", args=[code]))


def opinion_done(request):
    """提交成功: the tracking code (一事一码) and its QR code, to keep."""
    code = request.session.get("opinion_code")
    if not code:
        return redirect("suggestions:track")
    url = _track_url(request, code)
    return render(
        request,
        "suggestions/opinion_done.html",
        {"code": code, "track_url": url, "qr": qr_svg(url, title=_("查询码 %(code)s 的二维码") % {"code": code})},
    )


# --- tracking and published results -----------------------------------------------------------


def track(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        return redirect("suggestions:track_detail", code=form.cleaned_data["code"])
    return render(request, "suggestions/track.html", {"form": form})


def track_detail(request, code: str):
    """查询进度: the stages by tracking code; no names, phones or notes (selectors.track)."""
    view = selectors.track(code)
    if view is None:
        raise Http404("unknown tracking code")
    current = view.current
    url = _track_url(request, view.suggestion.code)
    evaluation = None
    if current.status == Status.CLOSED:
        evaluation = Evaluation.objects.filter(suggestion=current).order_by("-round", "-id").first()
    return render(
        request,
        "suggestions/track_detail.html",
        {
            "view": view,
            "suggestion": view.suggestion,
            "current": current,
            "evaluation": evaluation,
            "track_url": url,
            "qr": qr_svg(url, title=_("查询码 %(code)s 的二维码") % {"code": view.suggestion.code}),
        },
    )


def track_qr(request, code: str, fmt: str):
    view = selectors.track(code)
    if view is None:
        raise Http404("unknown tracking code")
    return qr_response(_track_url(request, view.suggestion.code), fmt=fmt, filename=f"track-{view.suggestion.code}")


def published(request):
    """办理结果公示: closed suggestions staff published — the issue, the receiving deputy, the
    dates, the handling and the evaluation. Never who submitted it."""
    query = " ".join((request.GET.get("q") or "")[:50].split())
    suggestions = (
        Suggestion.objects.filter(is_public=True)
        .select_related("category", "region", "station")
        .prefetch_related(
            Prefetch("deputy_links", queryset=SuggestionDeputy.objects.select_related("deputy").order_by("order", "id")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(role=AssignmentRole.LEAD, status=AssignmentStatus.REPLIED).select_related("unit"),
                to_attr="lead_replies",
            ),
            Prefetch("evaluations", queryset=Evaluation.objects.order_by("-round", "-id"), to_attr="ratings"),
        )
        .order_by("-published_at", "-id")
    )
    if query:
        suggestions = suggestions.filter(Q(title__icontains=query) | Q(content__icontains=query))
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/published.html", {"page": page, "query": query})


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
                    services.suggestion_submit(
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
                        deputies=present,
                        source=Source.RECEPTION,
                    )
                    count += 1
        except ValidationError as error:
            _apply_validation_error(form, error)
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
        {"deputy": deputy, "page": page, "status": status, "statuses": Status.choices, "evaluate_form": EvaluateForm()},
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
            suggestion = services.suggestion_submit(
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
            _apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("建议已提交，查询码 %(code)s。") % {"code": suggestion.code})
            return redirect("suggestions:detail", pk=suggestion.pk)
    return render(request, "suggestions/suggestion_new.html", {"form": form, "deputy": deputy})


def _visible_suggestion(request, pk) -> Suggestion:
    return get_object_or_404(selectors.suggestions_visible_to(request.user), pk=pk)


@login_required
def evaluate(request, pk: int):
    """评价: one click saves 满意/基本满意; 不满意 first asks for the reason."""
    suggestion = _visible_suggestion(request, pk)
    form = EvaluateForm(request.POST if request.method == "POST" else None, initial={"rating": request.GET.get("rating")})
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_evaluate(
                suggestion=suggestion, by=request.user, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect(_safe_next(request, reverse("suggestions:detail", args=[suggestion.pk])))
        else:
            messages.success(request, _("评价已保存。"))
            return redirect(_safe_next(request, reverse("suggestions:detail", args=[suggestion.pk])))
    return render(
        request,
        "suggestions/evaluate.html",
        {"suggestion": suggestion, "form": form, "next": _safe_next(request, "")},
        status=200 if request.method == "GET" or form.is_valid() else 400,
    )


# --- one suggestion: its page and the staff's actions on it ----------------------------------


def _suggestion_forms(suggestion: Suggestion, data=None, action: str | None = None) -> dict:
    """A fresh form per action (bound only for `action`, the one being posted)."""

    def bind(name):
        return data if name == action else None

    return {
        Action.ACCEPT: NoteForm(bind(Action.ACCEPT), prefix="accept"),
        Action.DECLINE: ReasonForm(bind(Action.DECLINE), prefix="decline"),
        Action.RESOLVE_ON_SPOT: ResolveForm(bind(Action.RESOLVE_ON_SPOT), prefix="resolve"),
        Action.MERGE: MergeForm(bind(Action.MERGE), prefix="merge"),
        Action.SUPERVISE: SuperviseForm(bind(Action.SUPERVISE), prefix="supervise", region_code=suggestion.handling_region_id),
        Action.URGE: NoteForm(bind(Action.URGE), prefix="urge"),
        Action.CLOSE: NoteForm(bind(Action.CLOSE), prefix="close"),
        Action.FEEDBACK: FeedbackForm(bind(Action.FEEDBACK), prefix="feedback"),
        Action.PUBLISH: EmptyForm(bind(Action.PUBLISH), prefix="publish"),
    }


def _run_suggestion_action(request, suggestion: Suggestion, action: str, data: dict) -> Suggestion:
    """Call the one service for `action`. Raises what the service raises."""
    user = request.user
    if action == Action.ACCEPT:
        return services.suggestion_accept(suggestion=suggestion, by=user, note=data["note"])
    if action == Action.DECLINE:
        return services.suggestion_decline(suggestion=suggestion, by=user, reason=data["reason"])
    if action == Action.RESOLVE_ON_SPOT:
        return services.suggestion_resolve_on_spot(suggestion=suggestion, by=user, note=data["note"], result=data["result"])
    if action == Action.MERGE:
        into = selectors.suggestions_visible_to(user).filter(code=data["into"]).first()
        if into is None:
            raise ValidationError({"into": _("找不到该查询码对应的事项，或您无权查看。")})
        return services.suggestion_merge(suggestion=suggestion, by=user, into=into, note=data["note"])
    if action == Action.SUPERVISE:
        return services.suggestion_supervise(
            suggestion=suggestion, by=user, level=data["level"], leader=data["leader"], note=data["note"]
        )
    if action == Action.URGE:
        return services.suggestion_urge(suggestion=suggestion, by=user, note=data["note"])
    if action == Action.CLOSE:
        return services.suggestion_close(suggestion=suggestion, by=user, note=data["note"])
    if action == Action.FEEDBACK:
        return services.suggestion_feedback(suggestion=suggestion, by=user, channel=data["channel"], note=data["note"])
    if action == Action.PUBLISH:
        return services.suggestion_publish(suggestion=suggestion, by=user)
    raise Http404("unknown action")


def _detail_context(request, suggestion: Suggestion, forms: dict, failed_action: str | None = None) -> dict:
    allowed = workflow.allowed_actions(suggestion, request.user)
    my_assignments = [a for a in suggestion.assignments.all() if a.unit_id in _officer_unit_ids(request.user)]
    shown = [name for name in forms if name in allowed or name == failed_action]
    return {
        "suggestion": suggestion,
        "allowed": allowed,
        "action_forms": [
            {
                "name": name,
                "label": workflow.action_label(name),
                "form": forms[name],
                "url": reverse("suggestions:act", args=[suggestion.pk, name]),
            }
            for name in shown
        ],
        "failed_action": failed_action,
        "can_assign": Action.ASSIGN in allowed,
        "can_evaluate": Action.EVALUATE in allowed,
        "evaluate_form": EvaluateForm(),
        "events": sorted(suggestion.events.all(), key=lambda e: (e.created_at, e.pk)),
        "my_assignments": my_assignments,
        "tier_labels": dict(selectors.OverdueTier.choices),
    }


def _officer_unit_ids(user) -> set[int]:
    if user.role != Role.UNIT_OFFICER:
        return set()
    return set(user.units.values_list("pk", flat=True))


def _load_detail(request, pk) -> Suggestion:
    try:
        return selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404("no such suggestion for this user") from None


@login_required
def suggestion_detail(request, pk: int):
    """One suggestion for the people working on it: content, units, timeline, and the steps the
    signed-in person may take now (from the workflow table)."""
    suggestion = _load_detail(request, pk)
    return render(request, "suggestions/detail.html", _detail_context(request, suggestion, _suggestion_forms(suggestion)))


@login_required
@require_POST
def suggestion_act(request, pk: int, action: str):
    """POST one workflow step on a suggestion (受理, 不予受理, 即办, 并案, 督办, 催办, 办结, 反馈, 公示)."""
    suggestion = _load_detail(request, pk)
    forms = _suggestion_forms(suggestion, request.POST, action)
    form = forms.get(action)
    if form is None:
        raise Http404("unknown action")
    if form.is_valid():
        try:
            _run_suggestion_action(request, suggestion, action, form.cleaned_data)
        except ValidationError as error:
            _apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect(_safe_next(request, reverse("suggestions:detail", args=[pk])))
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": workflow.action_label(action)})
            return redirect(_safe_next(request, reverse("suggestions:detail", args=[pk])))
    suggestion = _load_detail(request, pk)
    # the failed form is shown with its errors even if the step is no longer offered
    context = _detail_context(request, suggestion, forms, failed_action=action)
    return render(request, "suggestions/detail.html", context, status=400)


@login_required
def assign(request, pk: int):
    """交办: route, lead unit, co-units; the deadline defaults from the route (working days)."""
    _role_required(request, Role.STAFF)
    suggestion = _load_detail(request, pk)
    units = selectors.unit_list(user=request.user).filter(is_active=True).order_by("region_id", "name")
    form = AssignForm(request.POST if request.method == "POST" else None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.suggestion_assign(
                suggestion=suggestion,
                by=request.user,
                route=data["route"],
                lead_unit=data["lead_unit"],
                co_units=list(data["co_units"]),
                deadline=data["deadline"],
                requirements=data["requirements"],
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect("suggestions:detail", pk=pk)
        else:
            messages.success(request, _("已交办。"))
            return redirect("suggestions:detail", pk=pk)
    calendar = WorkCalendar()
    today = timezone.localdate()
    default_deadlines = [
        (label, route_deadline_days(value), calendar.add_working_days(today, route_deadline_days(value)))
        for value, label in Route.choices
    ]
    return render(
        request,
        "suggestions/assign.html",
        {"suggestion": suggestion, "form": form, "default_deadlines": default_deadlines},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- staff: the review queue and the supervision board ---------------------------------------


@login_required
def review_queue(request):
    """梳理: what was submitted in my region and waits for accept, merge, decline or 即办."""
    _role_required(request, Role.STAFF)
    suggestions = selectors.suggestion_list(user=request.user).filter(status=Status.SUBMITTED).order_by("created_at", "id")
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/review_queue.html", {"page": page, "accept_form": NoteForm(prefix="accept")})


SUPERVISION_TABS = [
    ("overdue", gettext_lazy("已超期")),
    ("due_soon", gettext_lazy("即将到期")),
    ("key", gettext_lazy("重点督办")),
    ("all", gettext_lazy("全部在办")),
]


@login_required
def supervision(request):
    """督办看板: overdue and due-soon items, key supervision, bundles — with urging."""
    _role_required(request, Role.STAFF, Role.LEADER)
    tab = request.GET.get("tab") or "overdue"
    if tab not in dict(SUPERVISION_TABS):
        raise Http404("unknown tab")
    base = selectors.suggestion_list(user=request.user).filter(status__in=selectors.OPEN_SUGGESTION_STATUSES)
    counts = base.aggregate(
        overdue=Count("pk", filter=Q(overdue_tier__in=selectors.OverdueTier.LATE)),
        due_soon=Count("pk", filter=Q(overdue_tier=selectors.OverdueTier.DUE_SOON)),
        key=Count("pk", filter=Q(supervision=Supervision.KEY)),
        all=Count("pk"),
    )
    listed = {
        "overdue": base.filter(overdue_tier__in=selectors.OverdueTier.LATE),
        "due_soon": base.filter(overdue_tier=selectors.OverdueTier.DUE_SOON),
        "key": base.filter(supervision=Supervision.KEY),
        "all": base,
    }[tab].order_by("deadline", "id")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = region_scope(request.user)
    bundles = (
        SupervisionBundle.objects.none()
        if scope is None
        else SupervisionBundle.objects.filter(region__code__startswith=scope)
    )
    bundles = (
        bundles.select_related("leader")
        .annotate(n=Count("suggestions"))
        .order_by("-created_at")[:20]
    )
    return render(
        request,
        "suggestions/supervision.html",
        {
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, label in SUPERVISION_TABS],
            "page": page,
            "bundles": bundles,
            "tier_labels": dict(selectors.OverdueTier.choices),
            "urge_form": NoteForm(prefix="urge"),
        },
    )


# --- unit officers: the inbox and one assignment ---------------------------------------------


def _officer_assignments(request):
    return selectors.assignment_list(user=request.user).filter(unit__officers=request.user)


@login_required
def inbox(request):
    """承办单位收件箱: my units' assignments by deadline, the overdue tiers in colour."""
    _role_required(request, Role.UNIT_OFFICER)
    show = request.GET.get("show") or "open"
    assignments = _officer_assignments(request).select_related("suggestion__region")
    if show == "open":
        assignments = assignments.filter(
            status__in=selectors.OPEN_ASSIGNMENT_STATUSES, suggestion__status__in=selectors.LIVE_SUGGESTION_STATUSES
        )
    elif show != "all":
        raise Http404("unknown filter")
    assignments = assignments.order_by("deadline", "id")
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/inbox.html",
        {"page": page, "show": show, "tier_labels": dict(selectors.OverdueTier.choices)},
    )


def _assignment_forms(data=None, action: str | None = None, files=None) -> dict:
    def bind(name):
        return data if name == action else None

    return {
        Action.SIGN: EmptyForm(bind(Action.SIGN), prefix="sign"),
        Action.RETURN: ReasonForm(bind(Action.RETURN), prefix="return"),
        Action.CONTACT: ContactForm(bind(Action.CONTACT), prefix="contact"),
        Action.REPLY: ReplyForm(bind(Action.REPLY), files if action == Action.REPLY else None, prefix="reply"),
    }


ASSIGNMENT_BUTTONS = {
    Action.SIGN: gettext_lazy("签收"),
    Action.RETURN: gettext_lazy("退回"),
    Action.CONTACT: gettext_lazy("保存见面记录"),
    Action.REPLY: gettext_lazy("提交答复"),
}


def _assignment_context(
    request, assignment: Assignment, forms: dict, failed_action: str | None = None, attach_form=None
) -> dict:
    suggestion = assignment.suggestion
    allowed = workflow.allowed_actions(assignment, request.user)
    # After the reply the unit may still add documents (the stamped letter often comes later).
    replied = assignment.status == AssignmentStatus.REPLIED
    if attach_form is None and replied and suggestion.status in selectors.LIVE_SUGGESTION_STATUSES:
        attach_form = AttachForm(prefix="attach")
    siblings = list(
        Assignment.objects.filter(suggestion=suggestion).select_related("unit").order_by("role", "id")
    )
    return {
        "assignment": assignment,
        "suggestion": suggestion,
        "deputies": [link.deputy for link in suggestion.deputy_links.select_related("deputy").order_by("order", "id")],
        "siblings": siblings,
        "lead": next((a for a in siblings if a.role == AssignmentRole.LEAD and a.status != AssignmentStatus.RETURNED), None),
        "contacts": list(assignment.contacts.order_by("created_at", "id")),
        "attachments": list(suggestion.attachments.select_related("assignment__unit").order_by("id")),
        "attach_form": attach_form,
        "allowed": allowed,
        "action_forms": [
            {
                "name": name,
                "label": workflow.action_label(name),
                "form": forms[name],
                "url": reverse("suggestions:assignment_act", args=[assignment.pk, name]),
                "button": ASSIGNMENT_BUTTONS[name],
            }
            for name in forms
            if name in allowed or name == failed_action
        ],
        "failed_action": failed_action,
        "tier_labels": dict(selectors.OverdueTier.choices),
    }


def _load_assignment(request, pk) -> Assignment:
    return get_object_or_404(
        _officer_assignments(request).select_related("suggestion", "suggestion__region", "suggestion__category", "unit"), pk=pk
    )


@login_required
def assignment_detail(request, pk: int):
    _role_required(request, Role.UNIT_OFFICER)
    assignment = _load_assignment(request, pk)
    return render(request, "suggestions/assignment.html", _assignment_context(request, assignment, _assignment_forms()))


@login_required
@require_POST
def assignment_act(request, pk: int, action: str):
    """POST one step on my unit's assignment: 签收, 退回, 三见面, 答复."""
    _role_required(request, Role.UNIT_OFFICER)
    assignment = _load_assignment(request, pk)
    forms = _assignment_forms(request.POST, action, request.FILES)
    form = forms.get(action)
    if form is None:
        raise Http404("unknown action")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == Action.SIGN:
                services.assignment_sign(assignment=assignment, by=request.user)
            elif action == Action.RETURN:
                services.assignment_return(assignment=assignment, by=request.user, reason=data["reason"])
            elif action == Action.CONTACT:
                services.assignment_contact(assignment=assignment, by=request.user, kind=data["kind"], note=data["note"])
            else:
                services.assignment_reply(
                    assignment=assignment, by=request.user, result=data["result"], content=data["content"],
                    attachments=data["attachments"],
                )
        except ValidationError as error:
            _apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect("suggestions:assignment", pk=pk)
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": workflow.action_label(action)})
            return redirect("suggestions:assignment", pk=pk)
    assignment = _load_assignment(request, pk)
    context = _assignment_context(request, assignment, forms, failed_action=action)
    return render(request, "suggestions/assignment.html", context, status=400)


@login_required
@require_POST
def assignment_attach(request, pk: int):
    """补充答复材料: one more document from my unit after its reply (goes through attachment_add)."""
    _role_required(request, Role.UNIT_OFFICER)
    assignment = _load_assignment(request, pk)
    form = AttachForm(request.POST, request.FILES, prefix="attach")
    if form.is_valid():
        try:
            services.attachment_add(suggestion=assignment.suggestion, by=request.user, file=form.cleaned_data["file"])
        except ValidationError as error:
            _apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            messages.error(request, str(error))
            return redirect("suggestions:assignment", pk=pk)
        else:
            messages.success(request, _("已上传答复材料。"))
            return redirect("suggestions:assignment", pk=pk)
    context = _assignment_context(request, assignment, _assignment_forms(), attach_form=form)
    return render(request, "suggestions/assignment.html", context, status=400)


@login_required
def attachment_download(request, pk: int):
    """An attached file, for those who may see its suggestion; anyone else gets a 404 (the
    public never: the tracking page shows no attachments)."""
    attachment = get_object_or_404(selectors.attachments_visible_to(request.user), pk=pk)
    return attachment_response(attachment)



# --- notifications ------------------------------------------------------------------------------


@login_required
def notifications(request):
    """通知: my reminders (due, overdue), new assignments, replies, urgings — newest first."""
    show = request.GET.get("show") or "unread"
    if show not in ("unread", "all"):
        raise Http404("unknown filter")
    items = selectors.notification_list(user=request.user, unread_only=show == "unread").order_by("-created_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/notifications.html", {"page": page, "show": show})


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    return redirect(_safe_next(request, reverse("suggestions:notifications")))
