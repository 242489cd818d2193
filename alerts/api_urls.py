"""alerts's REST routes, mounted under /api/v1/ in the "api" namespace by hrdcase/urls.py."""

from django.urls import path  # noqa: F401
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.include_root_view = False

urlpatterns: list = [*router.urls]
