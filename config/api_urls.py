"""`/api/`: version 1 of the REST API under `v1/` (the router: each app's `api.py` holds its
viewsets, registered here), the OpenAPI 3 schema at `schema/` and the interactive docs
(Swagger UI, served from this server: no CDN) at `docs/`."""

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, include, path, re_path, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api.views import MeView, TokenView, UserViewSet
from deputies.activity_api import ActivityViewSet
from deputies.api import DeputyViewSet, ReceptionViewSet
from liaison.api.meta import ChoicesView
from stations.api import RegionViewSet, StationViewSet
from suggestions.api.assignments import AssignmentViewSet
from suggestions.api.duty import DeputyRecordView
from suggestions.api.notifications import NotificationViewSet
from suggestions.api.oversight import BundleViewSet, FollowUpViewSet
from suggestions.api.public import PublicOpinionView, PublicRateView, PublicTrackView
from suggestions.api.similar import (
    PublicFollowView,
    PublicSimilarView,
    SimilarView,
    SuggestedUnitsView,
    SuggestionSimilarView,
)
from suggestions.api.suggestions import SuggestionViewSet
from suggestions.api.units import UnitViewSet
from suggestions.stats.api import StatsSummaryView

app_name = "api"

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("stations", StationViewSet, basename="station")
router.register("deputies", DeputyViewSet, basename="deputy")
router.register("receptions", ReceptionViewSet, basename="reception")
router.register("activities", ActivityViewSet, basename="activity")
router.register("units", UnitViewSet, basename="unit")
router.register("users", UserViewSet, basename="user")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("bundles", BundleViewSet, basename="bundle")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")

v1 = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("meta/choices/", ChoicesView.as_view(), name="meta-choices"),
    path("stats/summary/", StatsSummaryView.as_view(), name="stats-summary"),
    path("public/opinions/", PublicOpinionView.as_view(), name="public-opinions"),
    path("public/track/<str:code>/", PublicTrackView.as_view(), name="public-track"),
    path("public/track/<str:code>/rate/", PublicRateView.as_view(), name="public-track-rate"),
    path("deputies/<int:pk>/record/", DeputyRecordView.as_view(), name="deputy-record"),
    # Similar items (并单) and the suggested lead units: before the router, whose
    # `suggestions/{pk}/` would take `suggestions/similar/`.
    path("suggestions/similar/", SimilarView.as_view(), name="suggestions-similar"),
    path("suggestions/<int:pk>/similar/", SuggestionSimilarView.as_view(), name="suggestion-similar"),
    path("suggestions/<int:pk>/suggested-units/", SuggestedUnitsView.as_view(), name="suggestion-suggested-units"),
    path("public/similar/", PublicSimilarView.as_view(), name="public-similar"),
    path("public/similar/follow/", PublicFollowView.as_view(), name="public-similar-follow"),
    path("", include(router.urls)),
]



@csrf_exempt  # a POST to no route is a 404 in the API's shape, not the CSRF middleware's HTML 403
def not_found(request, *args, **kwargs):
    """An API path that matches no route answers in the API's error shape, whatever the method.

    A path that lacks only its trailing slash is redirected there for GET and HEAD (as
    `APPEND_SLASH` would); any other method cannot follow a redirect with its body, so it is
    told where the route is instead.
    """
    path = request.path_info
    if not path.endswith("/") and _routes(path + "/"):
        if request.method in ("GET", "HEAD"):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
        return JsonResponse(
            {"detail": _("未找到。请求路径应以 / 结尾：%(path)s/") % {"path": request.path}, "code": "not_found"},
            status=404,
        )
    return JsonResponse({"detail": _("未找到。"), "code": "not_found"}, status=404)


def _routes(path: str) -> bool:
    """Whether `path` reaches a real route (not this catch-all)."""
    try:
        return resolve(path).func is not not_found
    except Resolver404:
        return False


urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script from a URL, not inline: the Content-Security-Policy allows it.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", not_found),
]
