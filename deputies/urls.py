from django.urls import path, re_path

from deputies import activity_views, station_views, views

# The `deputies:` namespace is composed in config/urls.py from these and the deputy's own duty
# record (suggestions/stats/urls.py `deputy_urlpatterns`), which counts suggestions.

urlpatterns = [
    path("<int:pk>/", views.deputy_detail, name="detail"),
    re_path(r"^(?P<pk>[0-9]+)/qr\.(?P<fmt>png|svg)$", views.deputy_qr, name="qr"),
    path("<int:pk>/card/", views.deputy_card, name="card"),
    path("<int:pk>/photo/", views.deputy_photo, name="photo"),
    path("<int:pk>/card.pdf", views.deputy_card_pdf, name="card_pdf"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/receptions/<int:pk>/", views.reception_detail, name="reception_detail"),
    path("me/activities/", activity_views.my_activities, name="my_activities"),
    path("me/contacts/", activity_views.my_contacts, name="my_contacts"),
    path("activities/review/", activity_views.review_queue, name="activity_review"),
    re_path(r"^activities/(?P<pk>[0-9]+)/(?P<decision>confirm|return)/$", activity_views.review, name="activity_decide"),
    path("activities/<int:pk>/files/<int:file_pk>/", activity_views.activity_file, name="activity_file"),
]

# A station's own pages, served under `/stations/` in the `stations:` namespace (config/urls.py).
station_urlpatterns = [
    path("<int:pk>/", station_views.station_detail, name="detail"),
    path("<int:pk>/card/", station_views.station_card, name="card"),
    path("<int:pk>/card.pdf", station_views.station_card_pdf, name="card_pdf"),
    path("<int:pk>/schedule/", station_views.station_schedule, name="schedule"),
    path("<int:pk>/schedule.pdf", station_views.station_schedule_pdf, name="schedule_pdf"),
]
