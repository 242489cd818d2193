from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("<uuid:pk>/", views.alert_detail, name="detail"),
    path("<uuid:pk>/acknowledge/", views.alert_acknowledge_view, name="acknowledge"),
    path("<uuid:pk>/resolve/", views.alert_resolve_view, name="resolve"),
    path("cases/<uuid:pk>/raise/", views.alert_raise_view, name="raise"),
    path("cases/<uuid:pk>/check-ins/", views.check_ins, name="check_ins"),
    path("cases/<uuid:pk>/check-ins/schedule/", views.check_in_schedule, name="check_in_schedule"),
    path(
        "cases/<uuid:pk>/check-ins/stop/",
        views.check_in_schedule_stop,
        name="check_in_schedule_stop",
    ),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("notifications/unread-count/", views.unread_count_view, name="unread_count"),
    path("notifications/<uuid:pk>/read/", views.notification_read, name="notification_read"),
    path("policy/", views.policy_view, name="policy"),
    path("policy/reset/", views.policy_reset, name="policy_reset"),
    path(
        "policy/steps/<uuid:step_pk>/remove/", views.policy_step_remove, name="policy_step_remove"
    ),
]
