from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("", views.support_queue, name="queue"),
    path("sent/", views.support_sent, name="sent"),
    path("cases/<uuid:pk>/ask/", views.support_ask, name="ask"),
    path("<uuid:pk>/", views.support_detail, name="detail"),
    path("<uuid:pk>/<str:step>/", views.support_step, name="step"),
]
