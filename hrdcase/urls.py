from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api_urls as accounts_api_urls
from alerts import api_urls as alerts_api_urls
from cases import api_urls as cases_api_urls
from hrdcase import views
from logbooks import api_urls as logbooks_api_urls
from relocation import api_urls as relocation_api_urls

admin.site.site_header = "hrdcase platform administration"
# The API's unmatched URLs answer JSON like its other 404s (hrdcase/api_conf.py).
handler404 = "hrdcase.api_conf.not_found"

api_urlpatterns = [
    *accounts_api_urls.urlpatterns,
    *cases_api_urls.urlpatterns,
    *alerts_api_urls.urlpatterns,
    *logbooks_api_urls.urlpatterns,
    *relocation_api_urls.urlpatterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("alerts/", include("alerts.urls")),
    path("logbooks/", include("logbooks.urls")),
    path("relocation/", include("relocation.urls")),
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
