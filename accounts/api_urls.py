"""accounts's REST routes, mounted under /api/v1/ in the "api" namespace by hrdcase/urls.py."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import MemberViewSet, MeView

router = DefaultRouter()
router.include_root_view = False
router.register("users", MemberViewSet, basename="member")

urlpatterns: list = [path("me/", MeView.as_view(), name="me"), *router.urls]
