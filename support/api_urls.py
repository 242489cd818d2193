"""support's REST routes, mounted under /api/v1/ in the "api" namespace by hrdcase/urls.py."""

from rest_framework.routers import DefaultRouter

from support.api import SupportRequestViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("support-requests", SupportRequestViewSet, basename="support-request")

urlpatterns: list = [*router.urls]
