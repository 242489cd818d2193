"""relocation's REST routes, mounted under /api/v1/ in the "api" namespace by hrdcase/urls.py."""

from rest_framework.routers import DefaultRouter

from relocation.api.grants import GrantRequestViewSet
from relocation.api.requests import RelocationRequestViewSet
from relocation.api.shelter import ShelterReferralViewSet
from relocation.api.visa import VisaReferralViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("relocation/requests", RelocationRequestViewSet, basename="relocation-request")
router.register("relocation/visas", VisaReferralViewSet, basename="relocation-visa")
router.register("relocation/stays", ShelterReferralViewSet, basename="relocation-stay")
router.register("relocation/grants", GrantRequestViewSet, basename="relocation-grant")

urlpatterns: list = [*router.urls]
