from django.urls import path, re_path

from suggestions.steps import ASSIGNMENT, SUGGESTION
from suggestions.steps.table import steps_on
from suggestions.views import (
    attachments,
    deputy,
    notifications,
    officer,
    printables,
    public,
    staff,
    steps,
    voters,
    workbench,
)
from suggestions.views import similar as similar_pages
from suggestions.views import templates as answer_templates

app_name = "suggestions"

# Every step of the table on its object: /work/suggestions/<id>/<step>/, /work/assignments/<id>/<step>/
SUGGESTION_STEPS = "|".join(step.action for step in steps_on(SUGGESTION))
ASSIGNMENT_STEPS = "|".join(step.action for step in steps_on(ASSIGNMENT))

urlpatterns = [
    # the public: 提 and 查
    path("opinion/", public.opinion, name="opinion"),
    path("opinion/station/<int:station_id>/", public.opinion_station, name="opinion_station"),
    path("opinion/deputy/<int:deputy_id>/", public.opinion_deputy, name="opinion_deputy"),
    path("opinion/done/", public.opinion_done, name="opinion_done"),
    path("track/", public.track, name="track"),
    path("track/<str:code>/", public.track_detail, name="track_detail"),
    path("track/<str:code>/rate/", public.track_rate, name="track_rate"),
    re_path(r"^track/(?P<code>[0-9A-Za-z]{6,16})/qr\.(?P<fmt>png|svg)$", public.track_qr, name="track_qr"),
    path("published/", public.published, name="published"),
    # deputies
    path("work/receptions/new/", deputy.reception_new, name="reception_new"),
    path("work/receptions/<int:pk>/record/", deputy.reception_record, name="reception_record"),
    path("work/mine/", deputy.my_suggestions, name="mine"),
    path("work/mine/new/", deputy.suggestion_new, name="new"),
    # everyone working on a suggestion, and every step on it or on a unit's assignment
    path("work/suggestions/<int:pk>/", staff.suggestion_detail, name="detail"),
    re_path(rf"^work/suggestions/(?P<pk>[0-9]+)/(?P<action>{SUGGESTION_STEPS})/$", steps.suggestion_step, name="act"),
    path("work/review/", staff.review_queue, name="review_queue"),
    path("work/voters/", voters.voter_feedback, name="voter_feedback"),
    path("work/letters/", voters.letters, name="letters"),
    path("work/supervision/", staff.supervision, name="supervision"),
    # the staff's workbench (every item, by the step it waits for), 回头看, 打捆督办, the 反馈单
    path("work/items/", workbench.worklist, name="worklist"),
    path("work/follow-ups/", workbench.follow_ups, name="follow_ups"),
    path("work/follow-ups/<int:pk>/complete/", workbench.follow_up_complete_page, name="follow_up_complete"),
    path("work/bundles/new/", workbench.bundle_new, name="bundle_new"),
    path("work/bundles/<int:pk>/urge/", workbench.bundle_urge_view, name="bundle_urge"),
    path("work/suggestions/<int:pk>/feedback-sheet/", printables.feedback_sheet, name="feedback_sheet"),
    path("work/suggestions/<int:pk>/feedback-sheet.pdf", printables.feedback_sheet_pdf, name="feedback_sheet_pdf"),
    # everyone signed in: reminders and notices
    path("work/notifications/", notifications.notifications, name="notifications"),
    path("work/notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    # unit officers
    path("work/inbox/", officer.inbox, name="inbox"),
    path("work/assignments/<int:pk>/", officer.assignment_detail, name="assignment"),
    re_path(rf"^work/assignments/(?P<pk>[0-9]+)/(?P<action>{ASSIGNMENT_STEPS})/$", steps.assignment_step, name="assignment_act"),
    path("work/assignments/<int:pk>/attach/", officer.assignment_attach, name="assignment_attach"),
    # attachments: only through this permission-checked view, never from MEDIA_URL
    path("work/attachments/<int:pk>/", attachments.attachment_download, name="attachment"),
    path("work/suggestions/<int:pk>/bundle-similar/", similar_pages.bundle_similar, name="bundle_similar"),
    path("work/answer-templates/", answer_templates.answer_templates, name="answer_templates"),
    path("work/answer-templates/<int:pk>/", answer_templates.answer_template_edit, name="answer_template_edit"),
]
