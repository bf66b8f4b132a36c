"""`/api/`: version 1 of the REST API under `v1/` (the router: each app's `api.py` holds its
viewsets, registered here), the OpenAPI 3 schema at `schema/` and the interactive docs
(Swagger UI, served from this server: no CDN) at `docs/`."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api.views import MeView, TokenView, UserViewSet
from deputies.api import DeputyViewSet, ReceptionViewSet
from liaison.api.meta import ChoicesView
from stations.api import RegionViewSet, StationViewSet
from suggestions.api import (
    AssignmentViewSet,
    NotificationViewSet,
    PublicOpinionView,
    PublicTrackView,
    SuggestionViewSet,
    UnitViewSet,
)
from suggestions.stats_api import StatsSummaryView

app_name = "api"

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("stations", StationViewSet, basename="station")
router.register("deputies", DeputyViewSet, basename="deputy")
router.register("receptions", ReceptionViewSet, basename="reception")
router.register("units", UnitViewSet, basename="unit")
router.register("users", UserViewSet, basename="user")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("notifications", NotificationViewSet, basename="notification")

v1 = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("meta/choices/", ChoicesView.as_view(), name="meta-choices"),
    path("stats/summary/", StatsSummaryView.as_view(), name="stats-summary"),
    path("public/opinions/", PublicOpinionView.as_view(), name="public-opinions"),
    path("public/track/<str:code>/", PublicTrackView.as_view(), name="public-track"),
    path("", include(router.urls)),
]



def not_found(request, *args, **kwargs):
    """An API path that matches no route answers in the API's error shape, not an HTML page.
    Only paths ending in a slash: the others still get CommonMiddleware's APPEND_SLASH redirect."""
    return JsonResponse({"detail": _("未找到。"), "code": "not_found"}, status=404)


urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script from a URL, not inline: the Content-Security-Policy allows it.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*/$", not_found),
]
