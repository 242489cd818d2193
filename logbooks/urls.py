from django.urls import path

from logbooks.views import actions, attachments, entries, export, inbox

app_name = "logbooks"

urlpatterns: list = [
    path("cases/<uuid:case_pk>/", entries.case_logbook, name="case_logbook"),
    path("cases/<uuid:case_pk>/quick-log/", entries.quick_log, name="quick_log"),
    path("cases/<uuid:case_pk>/new/", entries.entry_create, name="entry_create"),
    path("cases/<uuid:case_pk>/actions/", actions.case_actions, name="case_actions"),
    path("cases/<uuid:case_pk>/actions/new/", actions.action_create, name="action_create"),
    path("cases/<uuid:case_pk>/export/", export.export, name="export"),
    path("entries/<uuid:pk>/", entries.entry_detail, name="entry_detail"),
    path("entries/<uuid:pk>/history/", entries.entry_history, name="entry_history"),
    path("entries/<uuid:pk>/correct/", entries.entry_correct, name="entry_correct"),
    path(
        "entries/<uuid:pk>/attachments/",
        attachments.attachment_upload,
        name="attachment_upload",
    ),
    path("attachments/<uuid:pk>/", attachments.attachment_download, name="attachment_download"),
    path("actions/", actions.my_actions, name="my_actions"),
    path("actions/<uuid:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<uuid:pk>/transition/", actions.action_transition, name="action_transition"),
    path("actions/<uuid:pk>/invite/", actions.action_invite, name="action_invite"),
    path("actions/<uuid:pk>/answer/", actions.action_answer, name="action_answer"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox_read_all"),
]
