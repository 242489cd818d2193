"""Tasks API under /api/v1/tasks/: the same services, selectors and access rule as the pages.

- ``GET   tasks/``              the organisation's tasks (filters ``who``, ``when``, ``case``:
  those of the task list page), open ones by due date, done or cancelled ones latest first
- ``POST  tasks/``              a new task, on a case (``case``) or of the organisation
- ``GET   tasks/<id>/``         one task
- ``PATCH tasks/<id>/``         change its title, due date, notes, assignee (``null``: nobody)
- ``POST  tasks/<id>/done/``, ``cancel/``, ``reopen/``   its status (409 when it is not open,
  or already open)
- ``POST  tasks/<id>/snooze/``  hide it from the work queue until ``until`` (``null`` wakes it)

Members read their organisation's tasks on the cases they still see; a task of another
organisation, or on a case the user may no longer open, answers 404 as one that does not exist.
Writes are for writers (a viewer gets 403) of an organisation that may still add to the case;
the services check again. Bad input answers 400 naming the field.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.access import get_case_for
from cases.models import Task
from cases.selectors.task import TaskFilters, tasks_for
from cases.serializers.task import (
    TaskCreateSerializer,
    TaskListFiltersSerializer,
    TaskSerializer,
    TaskSnoozeSerializer,
    TaskUpdateSerializer,
)
from cases.services import task as services
from hrdcase.api import ScopedViewSet
from hrdcase.schema import BAD_FILTER, CONFLICT

_FILTERS = [
    OpenApiParameter("who", str, enum=["everyone", "mine", "unassigned"]),
    OpenApiParameter(
        "when",
        str,
        enum=["overdue", "today", "week", "later", "snoozed", "done", "cancelled"],
        description="default: every open task (snoozed ones included)",
    ),
    OpenApiParameter("case", OpenApiTypes.UUID, description="one case's tasks"),
]


def _task_rows(user) -> QuerySet[Task]:
    return Task.objects.visible_to(user).select_related("case", "assignee", "status_changed_by")


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The organisation's tasks; the steps of one task."""

    serializer_class = TaskSerializer
    filter_backends = ()  # the list's filters are the page's (TaskFilters), checked below

    def queryset_for(self, user) -> QuerySet[Task]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Task.objects.unscoped().none()
        if self.action == "list":
            return tasks_for(user, self._filters())
        return _task_rows(user)

    def _filters(self) -> TaskFilters:
        serializer = TaskListFiltersSerializer(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return TaskFilters(
            who=data.get("who") or "everyone", when=data.get("when") or "", case=data.get("case")
        )

    def _answer(self, task: Task, code: int = status.HTTP_200_OK) -> Response:
        task = _task_rows(self.request.user).get(pk=task.pk)
        return Response(TaskSerializer(task).data, status=code)

    @extend_schema(
        parameters=_FILTERS,
        responses={200: TaskSerializer(many=True), 400: BAD_FILTER},
        description=(
            "The organisation's tasks on its cases, on the cases it follows and of its own: "
            "open ones by due date (overdue ones stay until done or cancelled; snoozed ones "
            "included, with snoozed_until), done or cancelled ones (when=done, when=cancelled) "
            "latest first."
        ),
    )
    def list(self, request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(description="One task of the organisation.")
    def retrieve(self, request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=TaskCreateSerializer,
        responses={201: TaskSerializer},
        description=(
            "A new task of the organisation, on a case it owns or follows with a share that "
            "lets it add entries (case), or of its own (no case). The assignee: an officer "
            "or admin of the organisation, or null (anybody may take it)."
        ),
    )
    def create(self, request, *args: Any, **kwargs: Any) -> Response:
        serializer = TaskCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = None
        if data.pop("case", None) is not None:
            try:
                case, _access = get_case_for(request.user, serializer.validated_data["case"])
            except Http404:
                # The same answer for a case that does not exist and one the user may not see.
                raise ValidationError({"case": _("No such case.")}) from None
        task = services.task_create(case=case, acting_user=request.user, **data)
        return self._answer(task, status.HTTP_201_CREATED)

    @extend_schema(
        request=TaskUpdateSerializer,
        responses={200: TaskSerializer},
        description=(
            "Change the fields given (assignee null: nobody). A logbook follow-up's title "
            "and due date are its entry's: correct the entry instead (400 otherwise)."
        ),
    )
    def partial_update(self, request, *args: Any, **kwargs: Any) -> Response:
        task = self._task()
        serializer = TaskUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.task_update(task=task, acting_user=request.user, **serializer.validated_data)
        return self._answer(task)

    def _task(self) -> Task:
        return cast(Task, self.get_object())

    def _step(self, step) -> Response:
        task = self._task()
        step(task=task, acting_user=self.request.user)
        return self._answer(task)

    @extend_schema(request=None, responses={200: TaskSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def done(self, request, pk: Any = None) -> Response:
        """Mark the task done (who and when are kept)."""
        return self._step(services.task_complete)

    @extend_schema(request=None, responses={200: TaskSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk: Any = None) -> Response:
        """Cancel the task: nothing is left to do."""
        return self._step(services.task_cancel)

    @extend_schema(request=None, responses={200: TaskSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk: Any = None) -> Response:
        """Open a done or cancelled task again."""
        return self._step(services.task_reopen)

    @extend_schema(
        request=TaskSnoozeSerializer,
        responses={200: TaskSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def snooze(self, request, pk: Any = None) -> Response:
        """Hide an open task from the work queue until ``until`` (a day after today); a task
        whose due date passes meanwhile comes back on that day as overdue. ``null`` wakes it."""
        task = self._task()
        serializer = TaskSnoozeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.task_snooze(
            task=task, until=serializer.validated_data["until"], acting_user=request.user
        )
        return self._answer(task)
