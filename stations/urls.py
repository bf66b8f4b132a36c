from django.urls import path, re_path

from stations import views

# The `stations:` namespace is composed in config/urls.py from these and the station pages
# that list deputies and receptions (deputies/urls.py `station_urlpatterns`).

urlpatterns = [
    path("", views.station_find, name="find"),
    re_path(r"^(?P<pk>[0-9]+)/qr\.(?P<fmt>png|svg)$", views.station_qr, name="qr"),
]
