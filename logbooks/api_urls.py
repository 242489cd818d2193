"""logbooks's REST routes, mounted under /api/v1/ in the "api" namespace by hrdcase/urls.py."""

from rest_framework.routers import DefaultRouter

from logbooks.api.actions import ActionViewSet, CaseActionViewSet
from logbooks.api.attachments import AttachmentViewSet
from logbooks.api.entries import CaseEntryViewSet, EntryViewSet
from logbooks.api.inbox import InboxViewSet

CASE_PK = r"(?P<case_pk>[0-9a-fA-F-]{32,36})"

router = DefaultRouter()
router.include_root_view = False
router.register(rf"cases/{CASE_PK}/entries", CaseEntryViewSet, basename="logbook-case-entry")
router.register(rf"cases/{CASE_PK}/actions", CaseActionViewSet, basename="logbook-case-action")
router.register("entries", EntryViewSet, basename="logbook-entry")
router.register("attachments", AttachmentViewSet, basename="logbook-attachment")
router.register("actions", ActionViewSet, basename="logbook-action")
router.register("inbox", InboxViewSet, basename="logbook-inbox")

urlpatterns: list = [*router.urls]
