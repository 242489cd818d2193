"""alerts's REST routes, mounted under /api/v1/ in the "api" namespace by hrdcase/urls.py."""

from rest_framework.routers import DefaultRouter

from alerts.api.alerts import AlertViewSet, PartnerAlertViewSet
from alerts.api.notifications import NotificationViewSet
from alerts.api.policy import EscalationStepViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("alerts", AlertViewSet, basename="alert")
router.register("partner-alerts", PartnerAlertViewSet, basename="partner-alert")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("escalation-steps", EscalationStepViewSet, basename="alert-escalation-step")

urlpatterns: list = [*router.urls]
