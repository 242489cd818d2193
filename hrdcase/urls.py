from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hrdcase import views

admin.site.site_header = "hrdcase platform administration"
# The API's unmatched URLs answer JSON like its other 404s (hrdcase/api_conf.py).
handler404 = "hrdcase.api_conf.not_found"

# Each app's REST routes (its api_urls.py), all in the one "api" namespace: api:case-list,
# api:alert-list... The project URLconf includes the apps' URL modules and imports none.
api_urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("cases.api_urls")),
    path("", include("alerts.api_urls")),
    path("", include("logbooks.api_urls")),
    path("", include("relocation.api_urls")),
    path("", include("support.api_urls")),
]

urlpatterns = [
    # Home (the work queue) at the root, as "home"; the calendar under calendar/.
    path("", include("work.home_urls")),
    path("", include("work.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("alerts/", include("alerts.urls")),
    path("logbooks/", include("logbooks.urls")),
    path("relocation/", include("relocation.urls")),
    path("support/", include("support.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("api/v1/", include((api_urlpatterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # A page for people: an anonymous visitor is sent to the login (the view itself, like
    # the schema, also refuses anyone not signed in: SPECTACULAR_SETTINGS SERVE_PERMISSIONS).
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]
