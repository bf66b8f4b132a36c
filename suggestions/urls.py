from django.urls import path, re_path

from suggestions import views

app_name = "suggestions"

ACTIONS = "accept|decline|resolve_on_spot|merge|supervise|urge|close|feedback|publish"
ASSIGNMENT_ACTIONS = "sign|return|contact|reply"

urlpatterns = [
    # the public: 提 and 查
    path("opinion/", views.opinion, name="opinion"),
    path("opinion/station/<int:station_id>/", views.opinion_station, name="opinion_station"),
    path("opinion/deputy/<int:deputy_id>/", views.opinion_deputy, name="opinion_deputy"),
    path("opinion/done/", views.opinion_done, name="opinion_done"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_detail, name="track_detail"),
    re_path(r"^track/(?P<code>[0-9A-Za-z]{6,16})/qr\.(?P<fmt>png|svg)$", views.track_qr, name="track_qr"),
    path("published/", views.published, name="published"),
    # deputies
    path("work/receptions/new/", views.reception_new, name="reception_new"),
    path("work/receptions/<int:pk>/record/", views.reception_record, name="reception_record"),
    path("work/mine/", views.my_suggestions, name="mine"),
    path("work/mine/new/", views.suggestion_new, name="new"),
    path("work/suggestions/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    # everyone working on a suggestion; staff's steps
    path("work/suggestions/<int:pk>/", views.suggestion_detail, name="detail"),
    re_path(rf"^work/suggestions/(?P<pk>[0-9]+)/(?P<action>{ACTIONS})/$", views.suggestion_act, name="act"),
    path("work/suggestions/<int:pk>/assign/", views.assign, name="assign"),
    path("work/review/", views.review_queue, name="review_queue"),
    path("work/supervision/", views.supervision, name="supervision"),
    # everyone signed in: reminders and notices
    path("work/notifications/", views.notifications, name="notifications"),
    path("work/notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    # unit officers
    path("work/inbox/", views.inbox, name="inbox"),
    path("work/assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    re_path(rf"^work/assignments/(?P<pk>[0-9]+)/(?P<action>{ASSIGNMENT_ACTIONS})/$", views.assignment_act, name="assignment_act"),
    path("work/assignments/<int:pk>/attach/", views.assignment_attach, name="assignment_attach"),
    # attachments: only through this permission-checked view, never from MEDIA_URL
    path("work/attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
