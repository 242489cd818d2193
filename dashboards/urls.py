from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.organisation, name="organisation"),
    path("export/<slug:key>.csv", views.organisation_export, name="organisation_export"),
    path("networks/", views.networks, name="networks"),
    path("networks/<uuid:pk>/", views.network, name="network"),
    path("networks/<uuid:pk>/export/<slug:key>.csv", views.network_export, name="network_export"),
    path("networks/<uuid:pk>/export.zip", views.network_export_all, name="network_export_all"),
]
