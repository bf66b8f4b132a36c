"""GeoReport v2 endpoints (http://wiki.open311.org/GeoReport_v2) over the suggestions workflow.

| endpoint | what |
| --- | --- |
| `discovery.{fmt}` | this endpoint, its formats and changeset |
| `services.{fmt}` | the active categories (service_code = the category's id) |
| `services/{code}.{fmt}` | its definition: one optional attribute, `title` |
| `requests.{fmt}` GET | public fields of voters' opinions (redacted title, status, unit, dates) |
| `requests.{fmt}` POST | a voter's opinion, with an `api_key` (open311.models.ClientKey) |
| `requests/{id}.{fmt}` | one request by its tracking code |
| `tokens/{token}.{fmt}` | the service_request_id of a token a POST answered |

Errors are the spec's list of `{code, description}` with 400, 403, 404 (and 429 when throttled).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from stations.models import Region
from suggestions.api.base import phone_format_public
from suggestions.api.public import PublicOpinionThrottle, PublicTrackThrottle
from suggestions.models import Category, Source, Status, Suggestion, SuggestionKind
from suggestions.services.intake import suggestion_submit
from suggestions.similar.public import public_title_redacted

from .formats import error, render
from .models import ClientKey, RequestDetail

CHANGESET = "2026-11-30T00:00:00+08:00"
CLOSED = (Status.CLOSED, Status.DECLINED)
LISTED = (Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING, Status.REPLIED, Status.CLOSED, Status.MERGED)
DEFAULT_DAYS, MAX_RESULTS = 90, 1000


class Refused(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def _throttled(request, throttle_class) -> bool:
    return not throttle_class().allow_request(request, None)


def endpoint(methods=("GET",), throttle=PublicTrackThrottle):
    """A GeoReport view: the format from the suffix, errors in the spec's shape."""

    def wrap(view):
        @csrf_exempt
        @require_http_methods(list(methods))
        def handler(request, fmt, **kwargs):
            try:
                if request.method == "POST" and _throttled(request, PublicOpinionThrottle):
                    raise Refused(429, _("提交过于频繁，请稍后再试。"))
                if request.method == "GET" and throttle is not None and _throttled(request, throttle):
                    raise Refused(429, _("查询过于频繁，请稍后再试。"))
                return view(request, fmt, **kwargs)
            except Refused as refused:
                return error(fmt, refused.status, refused.description)

        handler.__name__ = view.__name__
        return handler

    return wrap


def _params(request):
    return request.POST if request.method == "POST" else request.GET


def _jurisdiction(request) -> Region | None:
    code = (_params(request).get("jurisdiction_id") or "").strip()
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Refused(404, _("jurisdiction_id 不存在：应为区划代码。"))
    return region


def _root_region() -> Region | None:
    code = getattr(settings, "LIAISON_ROOT_REGION", None)
    return Region.objects.filter(code=code).first() if code else None


# --- discovery and services ------------------------------------------------------------------
@endpoint(throttle=None)
def discovery(request, fmt):
    url = request.build_absolute_uri("/open311/v2/")
    return render(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": _("请联系本级人大常委会代表工作机构。"),
        "key_service": _("api_key 由工作人员在管理后台“Open311 客户端”中签发。"),
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": url, "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    })


def _service(category: Category) -> dict:
    return {"service_code": str(category.pk), "service_name": category.name, "description": category.name,
            "metadata": True, "type": "batch", "keywords": "", "group": ""}


@endpoint(throttle=None)
def services(request, fmt):
    _jurisdiction(request)
    return render(fmt, "services", [_service(c) for c in Category.objects.filter(is_active=True).order_by("order", "pk")])


def _category(code) -> Category | None:
    return Category.objects.filter(pk=int(code), is_active=True).first() if str(code).isdigit() else None


@endpoint(throttle=None)
def service_definition(request, fmt, service_code):
    _jurisdiction(request)
    category = _category(service_code)
    if category is None:
        raise Refused(404, _("service_code 不存在。"))
    return render(fmt, "service_definition", {
        "service_code": str(category.pk),
        "attributes": [{
            "variable": True, "code": "title", "datatype": "string", "required": False,
            "datatype_description": _("标题，30 字以内；不填则取描述的开头"), "order": 1,
            "description": _("意见标题"), "values": [],
        }],
    })


# --- requests -----------------------------------------------------------------------------------
def _final(suggestion: Suggestion) -> Suggestion:
    current = suggestion
    for _hop in range(10):
        if current.status != Status.MERGED or current.merged_into_id is None:
            break
        current = Suggestion.objects.get(pk=current.merged_into_id)
    return current


def _lead(suggestion: Suggestion):
    leads = [a for a in suggestion.assignments.all() if a.role == "lead" and a.status != "returned"]
    return leads[-1] if leads else None


def _public(suggestion: Suggestion) -> dict:
    current = _final(suggestion)
    lead = _lead(current)
    names = (suggestion.submitter_name, current.submitter_name)
    if current.status == Status.DECLINED:
        notes = _("不予受理")
    elif lead is not None and lead.reply:
        notes = public_title_redacted(lead.reply, names=names)
    elif current.pk != suggestion.pk:
        notes = _("已并入 %(code)s 一并办理") % {"code": current.code}
    else:
        notes = ""
    expected = None
    if lead is not None and lead.deadline:
        expected = timezone.make_aware(datetime.datetime.combine(lead.deadline, datetime.time(23, 59, 59)))
    return {
        "service_request_id": suggestion.code,
        "status": "closed" if current.status in CLOSED else "open",
        "status_notes": notes,
        "service_name": suggestion.category.name if suggestion.category_id else "",
        "service_code": str(suggestion.category_id or ""),
        "description": public_title_redacted(suggestion.title, names=names),
        "agency_responsible": lead.unit.name if lead is not None else "",
        "service_notice": "",
        "requested_datetime": timezone.localtime(suggestion.created_at),
        "updated_datetime": timezone.localtime(max(suggestion.updated_at, current.updated_at)),
        "expected_datetime": expected,
        "address": suggestion.region.name,
        "address_id": "",
        "zipcode": "",
        "lat": "",
        "long": "",
        "media_url": "",
    }


def _rows(queryset):
    return queryset.select_related("category", "region").prefetch_related("assignments__unit")


def _date(params, name):
    value = params.get(name)
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise Refused(400, _("%(name)s 应为 ISO 8601 时间，如 2026-03-15T09:30:00+08:00。") % {"name": name})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _list(request, fmt):
    params = request.GET
    region = _jurisdiction(request)
    rows = Suggestion.objects.filter(kind=SuggestionKind.OPINION)
    if region is not None:
        rows = rows.filter(region__code__startswith=region.code)
    codes = [c.strip().upper() for c in (params.get("service_request_id") or "").split(",") if c.strip()]
    if codes:
        rows = rows.filter(code__in=codes[:MAX_RESULTS])
        return render(fmt, "service_requests", [_public(s) for s in _rows(rows)])
    rows = rows.filter(status__in=LISTED)
    if params.get("service_code"):
        category = _category(params["service_code"])
        if category is None:
            raise Refused(404, _("service_code 不存在。"))
        rows = rows.filter(category=category)
    start, end = _date(params, "start_date"), _date(params, "end_date")
    if start is None and end is None:
        start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
    if start is not None:
        rows = rows.filter(created_at__gte=start)
    if end is not None:
        rows = rows.filter(created_at__lte=end)
    wanted = {s.strip() for s in (params.get("status") or "").split(",") if s.strip()}
    if wanted - {"open", "closed"}:
        raise Refused(400, _("status 只能是 open 或 closed。"))
    items = [_public(s) for s in _rows(rows.order_by("-created_at")[:MAX_RESULTS])]
    if wanted:
        items = [i for i in items if i["status"] in wanted]
    return render(fmt, "service_requests", items)


def _name(params) -> str:
    # A Chinese name is family name first.
    return f"{params.get('last_name', '').strip()}{params.get('first_name', '').strip()}"[:50]


def _region_for(params, jurisdiction: Region | None) -> Region:
    base = jurisdiction or _root_region()
    if base is None:
        raise Refused(400, _("请提供 jurisdiction_id（区划代码）。"))
    address = (params.get("address_string") or "").strip()
    if address:
        names = Region.objects.filter(code__startswith=base.code).exclude(code=base.code).values_list("code", "name")
        found = [(code, name) for code, name in names if name and name in address]
        if found:
            code = max(found, key=lambda pair: (len(pair[0]), len(pair[1])))[0]
            return Region.objects.get(code=code)
    return base


@transaction.atomic
def _create(request, fmt):
    params = request.POST
    client = ClientKey.find(params.get("api_key", ""))
    if client is None:
        raise Refused(403, _("api_key 无效。"))
    region = _region_for(params, _jurisdiction(request))
    category = _category(params.get("service_code", ""))
    if category is None:
        raise Refused(400, _("service_code 无效。"))
    description = (params.get("description") or "").strip()
    if not description:
        raise Refused(400, _("请填写 description（意见内容）。"))
    name, phone = _name(params), (params.get("phone") or "").strip()
    if not name or not phone:
        raise Refused(400, _("请填写 first_name/last_name 和 phone，用于告知办理结果，不会公开。"))
    try:
        phone_format_public(phone)
    except ValidationError as invalid:
        raise Refused(400, "phone: " + " ".join(invalid.messages)) from invalid
    title = (params.get("attribute[title]") or description)[:30]
    try:
        suggestion = suggestion_submit(
            by=None, kind=SuggestionKind.OPINION, title=title, content=description[:2000], region=region,
            category=category, submitter_name=name, submitter_phone=phone, source=Source.API,
        )
    except ValidationError as invalid:
        raise Refused(400, "; ".join(invalid.messages)) from invalid
    detail = RequestDetail.objects.create(
        suggestion=suggestion, client=client, token=secrets.token_hex(16),
        lat=params.get("lat", "")[:32], long=params.get("long", "")[:32],
        address_string=params.get("address_string", "")[:255], device_id=params.get("device_id", "")[:100],
        account_id=params.get("account_id", "")[:100], email=params.get("email", "")[:254],
        media_url=params.get("media_url", "")[:500],
    )
    return render(fmt, "service_requests", [{
        "service_request_id": suggestion.code, "token": detail.token,
        "service_notice": _("凭查询码 %(code)s 查询办理进度。") % {"code": suggestion.code},
        "account_id": detail.account_id,
    }], status=201)


@endpoint(methods=("GET", "POST"))
def requests(request, fmt):
    return _create(request, fmt) if request.method == "POST" else _list(request, fmt)


@endpoint()
def request_detail(request, fmt, service_request_id):
    _jurisdiction(request)
    suggestion = _rows(Suggestion.objects.filter(code=service_request_id.upper(), kind=SuggestionKind.OPINION)).first()
    if suggestion is None:
        raise Refused(404, _("service_request_id 不存在。"))
    return render(fmt, "service_requests", [_public(suggestion)])


@endpoint()
def token(request, fmt, token):
    detail = RequestDetail.objects.select_related("suggestion").filter(token=token).first()
    if detail is None:
        raise Refused(404, _("token 不存在。"))
    return render(fmt, "service_requests", [{"service_request_id": detail.suggestion.code, "token": detail.token}])
