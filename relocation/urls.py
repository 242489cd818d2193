from django.urls import path

from relocation.views import capacity, grants, requests, returns, settings, shelter, visa

app_name = "relocation"

urlpatterns = [
    path("", requests.request_list, name="list"),
    path("case/<uuid:case_pk>/new/", requests.request_create, name="create"),
    path("<uuid:pk>/", requests.request_detail, name="detail"),
    path("<uuid:pk>/edit/", requests.request_edit, name="edit"),
    path("<uuid:pk>/transition/", requests.request_transition, name="transition"),
    path("<uuid:pk>/return/", returns.return_record_view, name="return_record"),
    path("<uuid:pk>/visa/new/", visa.visa_create, name="visa_create"),
    path("<uuid:pk>/shelter/new/", shelter.shelter_create, name="shelter_create"),
    path("<uuid:pk>/grant/new/", grants.grant_create, name="grant_create"),
    path("case/<uuid:case_pk>/grant/new/", grants.case_grant_create, name="case_grant_create"),
    path("visas/", visa.visa_queue, name="visa_queue"),
    path("visas/<uuid:pk>/", visa.visa_detail, name="visa_detail"),
    path("shelter/", shelter.city_inbox, name="city_inbox"),
    path("shelter/calendar/", capacity.city_calendar, name="city_calendar"),
    path("shelter/<uuid:pk>/", shelter.shelter_detail, name="shelter_detail"),
    path("shelter/<uuid:pk>/identity/", shelter.shelter_identity, name="shelter_identity"),
    path("grants/", grants.grants_inbox, name="grants_inbox"),
    path("grants/<uuid:pk>/", grants.grant_detail, name="grant_detail"),
    path("settings/", settings.relocation_settings, name="settings"),
    path("settings/capacity/<uuid:pk>/remove/", capacity.capacity_remove, name="capacity_remove"),
]
