from django.urls import path

from logbooks import views

app_name = "logbooks"

urlpatterns: list = [
    path("cases/<uuid:case_pk>/", views.case_logbook, name="case_logbook"),
    path("cases/<uuid:case_pk>/quick-log/", views.quick_log, name="quick_log"),
    path("cases/<uuid:case_pk>/new/", views.entry_create, name="entry_create"),
    path("cases/<uuid:case_pk>/actions/", views.case_actions, name="case_actions"),
    path("cases/<uuid:case_pk>/actions/new/", views.action_create, name="action_create"),
    path("cases/<uuid:case_pk>/export/", views.export, name="export"),
    path("entries/<uuid:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<uuid:pk>/history/", views.entry_history, name="entry_history"),
    path("entries/<uuid:pk>/correct/", views.entry_correct, name="entry_correct"),
    path("entries/<uuid:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<uuid:pk>/", views.attachment_download, name="attachment_download"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<uuid:pk>/", views.action_detail, name="action_detail"),
    path("actions/<uuid:pk>/transition/", views.action_transition, name="action_transition"),
    path("actions/<uuid:pk>/invite/", views.action_invite, name="action_invite"),
    path("actions/<uuid:pk>/answer/", views.action_answer, name="action_answer"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
]
