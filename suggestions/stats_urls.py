"""`/stats/`: the statistics pages (suggestions/stats_views.py)."""

from django.urls import path, re_path

from suggestions import stats_views as views

app_name = "stats"

BOOKS = "schedule|receptions|suggestions|feedback"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/", views.units, name="units"),
    path("export.xlsx", views.workbook, name="workbook"),
    path("export/", views.export_start, name="export"),
    re_path(r"^export/(?P<job>[A-Za-z0-9_-]{16,40})/$", views.export_progress, name="export_progress"),
    re_path(r"^export/(?P<job>[A-Za-z0-9_-]{16,40})\.xlsx$", views.export_download, name="export_download"),
    path("stations/", views.stations_report, name="stations"),
    path("duty/", views.duty_list, name="duty_list"),
    path("duty/<int:pk>/", views.duty_detail, name="duty_detail"),
    path("duty/weights/", views.duty_weights, name="duty_weights"),
    path("duty/activities/", views.duty_activities, name="duty_activities"),
    path("books/", views.books_index, name="books"),
    re_path(rf"^books/(?P<pk>[0-9]+)/(?P<kind>{BOOKS})/$", views.book_page, name="book"),
    re_path(rf"^books/(?P<pk>[0-9]+)/(?P<kind>{BOOKS})\.xlsx$", views.book_xlsx, name="book_xlsx"),
]
