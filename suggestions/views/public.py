"""The public's pages, no account: 提 (the opinion forms for an area, a station's and a
deputy's QR code), 查 (progress by tracking code) and the published results."""

from __future__ import annotations

import json
import logging
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from deputies.models import Deputy, StationMembership
from liaison.clients import client_address
from liaison.qr import public_url, qr_response, qr_svg
from liaison.ratelimit import api_rate, over_quota, over_rate
from liaison.regions import CODE_LENGTHS, root_code, under_root
from stations.models import Region, Station
from suggestions import selectors
from suggestions.conf import setting
from suggestions.forms import OpinionForm, TrackForm, VoterRatingForm
from suggestions.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Evaluation,
    Rating,
    Source,
    Status,
    Suggestion,
    SuggestionDeputy,
    SuggestionKind,
)
from suggestions.redaction import publish_preview, redact
from suggestions.services import following, intake, voters
from suggestions.views.helpers import PAGE_SIZE, WORKFLOW_ERRORS, apply_validation_error

logger = logging.getLogger(__name__)
# A voter may write for a county or anything below it; above that nobody knows who handles it.
MIN_OPINION_REGION_LENGTH = 6


def _throttled(request, scope: str, api_scope: str, default: str) -> bool:
    """Count one request from this client (liaison.ratelimit: cache-counted, the address as
    the trusted proxies report it); True once the rate of the API's `api_scope` is passed."""
    limit, window = api_rate(api_scope, default)
    return over_rate(request, scope, limit=limit, window=window)


def _over_upload_quota(request, files) -> bool:
    """Charge the files' bytes to this client's anonymous upload quota
    (LIAISON_ANONYMOUS_UPLOAD_BYTES_PER_HOUR); True when they would pass it."""
    limit = int(setting("ANONYMOUS_UPLOAD_BYTES_PER_HOUR"))
    return over_quota(request, "anonymous-upload", amount=sum(f.size for f in files), limit=limit, window=3600)


# --- 提: the public opinion forms -------------------------------------------------------------


def _opinion_page(request, *, region: Region, station: Station | None = None, deputy: Deputy | None = None, target: str):
    form = OpinionForm(request.POST if request.method == "POST" else None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if _throttled(request, "opinion", "public", "20/hour"):
            # The form again, with everything typed: nothing is lost, only the time is wrong.
            form.is_valid()
            form.errors.clear()
            form.add_error(None, _("同一网络提交次数过多，这次没有提交成功。您填写的内容都保留在下面，请过一会儿再点“提交”"
                                   "（附件需要重新选择）；如有急事，请直接到联络站或拨打站点电话反映。"))
            status = 429
        elif form.is_spam():
            logger.info("opinion honeypot filled from %s", client_address(request))
            form.add_error(None, _("提交未成功，请稍后再试。"))
            status = 400
        elif form.is_valid() and _over_upload_quota(request, form.cleaned_data["attachments"]):
            form.add_error(
                "attachments", _("同一网络近一小时上传的附件已达上限，请稍后再试，或不带附件提交、到联络站当面反映。")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            # Following an item already being handled (similar.js): recorded, then merged into it.
            submit = partial(following.opinion_follow, follow_code=data["follow"]) if data.get("follow") else partial(
                intake.suggestion_submit, by=None
            )
            try:
                suggestion = submit(
                    kind=SuggestionKind.OPINION,
                    title=data["title"],
                    content=data["content"],
                    region=region,
                    category=data["category"],
                    station=station,
                    submitter_name=data["submitter_name"],
                    submitter_phone=data["submitter_phone"],
                    submitter_email=data["submitter_email"],
                    contact_consent=data["contact_consent"],
                    deputies=[deputy] if deputy is not None else [],
                    source=Source.PUBLIC,
                    attachments=data["attachments"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            except WORKFLOW_ERRORS as error:
                form.add_error(None, str(error))
            else:
                request.session["opinion_code"] = suggestion.code
                return redirect("suggestions:opinion_done")
    return render(
        request,
        "suggestions/opinion_form.html",
        {"form": form, "region": region, "station": station, "deputy": deputy, "target": target,
         "status_labels": json.dumps(dict(Status.choices), ensure_ascii=False, default=str)},
        status=status,
    )


def opinion(request):
    """反映意见建议 for a region: drill down to a county or township, then write."""
    code = (request.GET.get("region") or request.POST.get("region") or "").strip()
    region = None
    if code and (not code.isdigit() or len(code) not in CODE_LENGTHS):
        raise Http404("bad region code")
    code = under_root(code)  # LIAISON_ROOT_REGION: the form starts at the deployment's region
    if code:
        region = get_object_or_404(Region, code=code)
    if region is not None and len(region.code) >= MIN_OPINION_REGION_LENGTH:
        return _opinion_page(request, region=region, target=region.full_name)
    children = Region.objects.filter(parent=region) if region else Region.objects.filter(parent__isnull=True)
    return render(
        request,
        "suggestions/opinion_region.html",
        {"region": region, "children": children.order_by("code"),
         "breadcrumb": [r for r in region.ancestors() + [region] if r.code.startswith(root_code())] if region else []},
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


def _track_throttled(request) -> bool:
    """Lookups by tracking code, per client, at the API's `track` rate (LIAISON_THROTTLE_TRACK)."""
    return _throttled(request, "track", "track", "60/hour")


def track_detail(request, code: str, *, rating_form=None, status: int = 200):
    """查询进度: the stages by tracking code, the lead unit, the expected date, the reply
    (masked) and the voter's rating form; no names, phones or notes (selectors.track)."""
    if rating_form is None and _track_throttled(request):
        return render(request, "suggestions/track_throttled.html", status=429)
    view = selectors.track(code)
    if view is None:
        # A mistyped code: say so, and offer the search box again with what was typed.
        return render(request, "suggestions/track.html",
                      {"form": TrackForm(initial={"code": code[:16]}), "not_found": code[:16]}, status=404)
    current = view.current
    url = _track_url(request, view.suggestion.code)
    evaluation = None
    if current.status == Status.CLOSED:
        evaluation = Evaluation.objects.filter(suggestion=current).order_by("-round", "-id").first()
    handling = voters.handling_for(current, view.suggestion)
    return render(
        request,
        "suggestions/track_detail.html",
        {
            "view": view,
            "suggestion": view.suggestion,
            "current": current,
            "evaluation": evaluation,
            "handling": handling,
            "rating_label": dict(Rating.choices).get(handling.rating, ""),
            "rating_form": rating_form or (VoterRatingForm() if handling.rateable else None),
            "track_url": url,
            "qr": qr_svg(url, title=_("查询码 %(code)s 的二维码") % {"code": view.suggestion.code}),
        },
        status=status,
    )


def track_rate(request, code: str):
    """评价 on the tracking page: the voter rates the reply (services.voters.voter_rate, as the
    API's public/track/{code}/rate/); refusals are shown on the page, nothing changes."""
    if request.method != "POST":
        return redirect("suggestions:track_detail", code=code)
    if _throttled(request, "voter-rate", "voter_rate", "10/hour"):
        return render(request, "suggestions/track_throttled.html", status=429)
    suggestion = Suggestion.objects.filter(code=(code or "").strip().upper()).first()
    if suggestion is None:
        raise Http404("unknown tracking code")
    form = VoterRatingForm(request.POST)
    if form.is_valid():
        try:
            voters.voter_rate(suggestion=suggestion, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except WORKFLOW_ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("suggestions:track_detail", code=suggestion.code)
    return track_detail(request, suggestion.code, rating_form=form, status=400)


def track_qr(request, code: str, fmt: str):
    if _track_throttled(request):
        return render(request, "suggestions/track_throttled.html", status=429)
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
        # Only what was published is searched: the voter's own words may hold what was masked.
        suggestions = suggestions.filter(Q(public_title__icontains=query) | Q(public_content__icontains=query))
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    for suggestion in page.object_list:
        _public_text(suggestion)
    return render(request, "suggestions/published.html", {"page": page, "query": query})


def _public_text(suggestion: Suggestion) -> None:
    """What 公示 shows of `suggestion`: the title and content staff published (an item published
    before they were recorded: the masked preview), and the replies masked."""
    if suggestion.public_title:
        suggestion.shown_title, suggestion.shown_content = suggestion.public_title, suggestion.public_content
    else:
        preview = publish_preview(suggestion)
        suggestion.shown_title, suggestion.shown_content = preview.title, preview.content
    for assignment in suggestion.lead_replies:
        assignment.shown_reply = redact(assignment.reply, names=[suggestion.submitter_name]).text
