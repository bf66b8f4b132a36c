"""`/stats/`: the statistics pages (suggestions/stats/views/); and `deputy_urlpatterns`, the
deputy's own duty record, which config/urls.py serves under `/deputies/` in the `deputies:`
namespace."""

from django.urls import path, re_path

from suggestions.stats.views import books, dashboard, duty, export, records

app_name = "stats"

BOOKS = "schedule|receptions|suggestions|feedback|transfers"
DEPUTY_BOOKS = "receptions|suggestions|feedback"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("units/", dashboard.units, name="units"),
    path("export.xlsx", export.workbook, name="workbook"),
    path("export/", export.export_start, name="export"),
    re_path(r"^export/(?P<job>[A-Za-z0-9_-]{16,40})/$", export.export_progress, name="export_progress"),
    re_path(r"^export/(?P<job>[A-Za-z0-9_-]{16,40})\.xlsx$", export.export_download, name="export_download"),
    path("stations/", dashboard.stations_report, name="stations"),
    path("duty/", duty.duty_list, name="duty_list"),
    path("duty/<int:pk>/", duty.duty_detail, name="duty_detail"),
    path("duty/weights/", duty.duty_weights, name="duty_weights"),
    path("duty/activities/", duty.duty_activities, name="duty_activities"),
    path("books/", books.books_index, name="books"),
    re_path(rf"^books/(?P<pk>[0-9]+)/(?P<kind>{BOOKS})/$", books.book_page, name="book"),
    re_path(rf"^books/(?P<pk>[0-9]+)/(?P<kind>{BOOKS})\.xlsx$", books.book_xlsx, name="book_xlsx"),
    path("books/deputy/<int:pk>/", books.deputy_books, name="deputy_books"),
    re_path(rf"^books/deputy/(?P<pk>[0-9]+)/(?P<kind>{DEPUTY_BOOKS})/$", books.deputy_book_page, name="deputy_book"),
    re_path(rf"^books/deputy/(?P<pk>[0-9]+)/(?P<kind>{DEPUTY_BOOKS})\.xlsx$", books.deputy_book_xlsx,
            name="deputy_book_xlsx"),
    path("duty/export.xlsx", duty.duty_xlsx, name="duty_xlsx"),
    path("duty/contacts/", records.contacts_report, name="contacts"),
    path("standards/", records.standards, name="standards"),
]

# The signed-in deputy's own duty record, served under `/deputies/` in the `deputies:` namespace.
deputy_urlpatterns = [
    path("me/record/", duty.my_duty_record, name="duty_record"),
    path("me/books/", books.my_books, name="my_books"),
]
