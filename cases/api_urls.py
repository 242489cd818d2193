"""cases's REST routes, mounted under /api/v1/ in the "api" namespace by hrdcase/urls.py."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cases.api.break_glass import BreakGlassView
from cases.api.case import CASE_PK, CaseViewSet
from cases.api.court import HearingViewSet, ProceedingViewSet
from cases.api.detention import MilestoneViewSet
from cases.api.incident import IncidentViewSet
from cases.api.risk import CaseRiskViewSet
from cases.api.task import TaskViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("cases", CaseRiskViewSet, basename="case-risk")
router.register(rf"cases/{CASE_PK}/incidents", IncidentViewSet, basename="case-incident")
router.register(rf"cases/{CASE_PK}/milestones", MilestoneViewSet, basename="case-milestone")
router.register(rf"cases/{CASE_PK}/proceedings", ProceedingViewSet, basename="case-proceeding")
router.register(rf"cases/{CASE_PK}/hearings", HearingViewSet, basename="case-hearing")
router.register("tasks", TaskViewSet, basename="task")

urlpatterns: list = [
    path("cases/<uuid:pk>/break-glass/", BreakGlassView.as_view(), name="case-break-glass"),
    *router.urls,
]
