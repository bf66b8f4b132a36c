from django.urls import path, re_path

from stations import views

app_name = "stations"

urlpatterns = [
    path("", views.station_find, name="find"),
    path("<int:pk>/", views.station_detail, name="detail"),
    re_path(r"^(?P<pk>[0-9]+)/qr\.(?P<fmt>png|svg)$", views.station_qr, name="qr"),
    path("<int:pk>/card/", views.station_card, name="card"),
    path("<int:pk>/card.pdf", views.station_card_pdf, name="card_pdf"),
    path("<int:pk>/schedule/", views.station_schedule, name="schedule"),
    path("<int:pk>/schedule.pdf", views.station_schedule_pdf, name="schedule_pdf"),
]
