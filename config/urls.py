from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from deputies.urls import station_urlpatterns
from deputies.urls import urlpatterns as deputy_pages
from liaison import views as site_views
from stations.urls import urlpatterns as station_finder
from suggestions.stats.urls import deputy_urlpatterns as deputy_duty_pages

admin.site.site_header = "人大代表联络站管理系统"
admin.site.site_title = "人大代表联络站"
admin.site.index_title = "工作台"

urlpatterns = [
    # First: the API (the most requests, voters' submissions among them) is resolved without
    # trying every page's pattern before it (0.15 ms down to 0.03 ms, docs/benchmarks.md "Load").
    # Nothing below starts with api/, so the order changes no answer.
    path("api/", include("config.api_urls")),
    path("", site_views.home, name="home"),
    path("display/large-text/", site_views.large_text_toggle, name="large_text_toggle"),
    path("accounts/login/", site_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workbench/", site_views.workbench, name="workbench"),
    path("stations/", include(([*station_finder, *station_urlpatterns], "stations"))),
    path("deputies/", include(([*deputy_pages, *deputy_duty_pages], "deputies"))),
    path("stats/", include("suggestions.stats.urls")),
    path("", include("suggestions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("open311/v2/", include("open311.urls")),
]
# No MEDIA_URL serving, not even with DEBUG: uploads (voters' and units' attachments) leave the
# server only through the permission-checked download views of the suggestions app.

# Chinese pages with a way back for people, the API's JSON error shape for the API.
handler400 = "liaison.error_views.bad_request"
handler403 = "liaison.error_views.permission_denied"
handler404 = "liaison.error_views.page_not_found"
handler500 = "liaison.error_views.server_error"
