"""`/open311/v2/`: GeoReport v2, `.json` or `.xml` by suffix."""

from django.urls import re_path

from . import views

FMT = r"\.(?P<fmt>json|xml)$"

app_name = "open311"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<service_code>[^/.]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[0-9A-Za-z]{1,32})" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[0-9A-Za-z]{1,64})" + FMT, views.token, name="token"),
]
