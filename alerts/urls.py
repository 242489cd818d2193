from django.urls import path

from alerts.views import alerts, checkins, links, notifications, policy, preferences
from alerts.views import channels as channel_views

app_name = "alerts"

urlpatterns = [
    path("", alerts.alert_list, name="list"),
    path("acknowledge/", alerts.alert_acknowledge_many, name="acknowledge_many"),
    # a notification's signed, single-use link (alerts.services.links)
    path("act/<str:token>/", links.alert_act, name="act"),
    path("<uuid:pk>/", alerts.alert_detail, name="detail"),
    path("<uuid:pk>/acknowledge/", alerts.alert_acknowledge_view, name="acknowledge"),
    path("<uuid:pk>/resolve/", alerts.alert_resolve_view, name="resolve"),
    path("cases/<uuid:pk>/raise/", alerts.alert_raise_view, name="raise"),
    path("cases/<uuid:pk>/check-ins/", checkins.check_ins, name="check_ins"),
    path(
        "cases/<uuid:pk>/check-ins/schedule/", checkins.check_in_schedule, name="check_in_schedule"
    ),
    path(
        "cases/<uuid:pk>/check-ins/stop/",
        checkins.check_in_schedule_stop,
        name="check_in_schedule_stop",
    ),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path("notifications/unread-count/", notifications.unread_count_view, name="unread_count"),
    path(
        "notifications/<uuid:pk>/read/", notifications.notification_read, name="notification_read"
    ),
    path("notifications/preferences/", preferences.preferences, name="preferences"),
    path("notifications/signal/", channel_views.signal_number, name="signal_number"),
    path("webhook/", channel_views.webhook, name="webhook"),
    path("policy/", policy.policy_view, name="policy"),
    path("policy/reset/", policy.policy_reset, name="policy_reset"),
    path(
        "policy/steps/<uuid:step_pk>/remove/", policy.policy_step_remove, name="policy_step_remove"
    ),
]
