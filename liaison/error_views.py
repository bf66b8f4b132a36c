"""The site's 400, 403, 404 and 500 pages (config/urls.py's handler400…handler500).

A person gets a Chinese page in the site's design that says what happened and where to go
next (home, find a station, look up a tracking code); the API (and any client asking for JSON)
keeps the API's one error shape, `{"detail": …, "code": …}`. The 500 page is rendered without
the request's context processors or the database: whatever broke must not break it again.
"""

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

from liaison.middleware import _wants_json

_PAGES = {
    400: ("bad_request", _("请求有误"), _("您提交的内容无法处理，可能是链接不完整或页面已过期。请返回上一页重新填写，或从首页重新开始。")),
    403: ("permission_denied", _("无权访问"), _("您没有权限查看这个页面。如果您是工作人员，请先登录；如果是从表单提交，请刷新页面后再试。")),
    404: ("not_found", _("没有找到这个页面"), _("您要找的页面不存在，可能是网址输错了，或者内容已经移除。")),
    500: ("server_error", _("系统出错了"), _("系统暂时出了问题，您的操作可能没有完成。请稍后再试；如急需办理，请直接联系所在的联络站。")),
}


def _json(status: int) -> JsonResponse:
    code, _title, message = _PAGES[status]
    return JsonResponse({"detail": str(message), "code": code}, status=status, json_dumps_params={"ensure_ascii": False})


def _page(request, status: int, template: str) -> HttpResponse:
    if _wants_json(request):
        return _json(status)
    _code, title, message = _PAGES[status]
    body = loader.render_to_string(template, {"status": status, "title": title, "message": message}, request)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, "errors/error.html")


def permission_denied(request, exception=None):
    return _page(request, 403, "errors/error.html")


def page_not_found(request, exception=None):
    return _page(request, 404, "errors/error.html")


def server_error(request):
    if _wants_json(request):
        return _json(500)
    _code, title, message = _PAGES[500]
    try:
        body = loader.get_template("errors/500.html").render({"title": title, "message": message})
    except Exception:  # the page must not fail in turn (e.g. static files not yet collected)
        body = f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{title}</title><h1>{title}</h1><p>{message}</p></html>"
    return HttpResponse(body, status=500)
