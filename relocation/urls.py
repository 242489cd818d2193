from django.urls import path

from relocation import views

app_name = "relocation"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("case/<uuid:case_pk>/new/", views.request_create, name="create"),
    path("<uuid:pk>/", views.request_detail, name="detail"),
    path("<uuid:pk>/edit/", views.request_edit, name="edit"),
    path("<uuid:pk>/transition/", views.request_transition, name="transition"),
    path("<uuid:pk>/visa/new/", views.visa_create, name="visa_create"),
    path("<uuid:pk>/shelter/new/", views.shelter_create, name="shelter_create"),
    path("<uuid:pk>/grant/new/", views.grant_create, name="grant_create"),
    path("visas/", views.visa_queue, name="visa_queue"),
    path("visas/<uuid:pk>/", views.visa_detail, name="visa_detail"),
    path("shelter/", views.city_inbox, name="city_inbox"),
    path("shelter/calendar/", views.city_calendar, name="city_calendar"),
    path("shelter/<uuid:pk>/", views.shelter_detail, name="shelter_detail"),
    path("shelter/<uuid:pk>/identity/", views.shelter_identity, name="shelter_identity"),
    path("grants/", views.grants_inbox, name="grants_inbox"),
    path("grants/<uuid:pk>/", views.grant_detail, name="grant_detail"),
    path("settings/", views.relocation_settings, name="settings"),
    path("settings/capacity/<uuid:pk>/remove/", views.capacity_remove, name="capacity_remove"),
]
