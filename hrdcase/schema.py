"""The OpenAPI schema tells the truth about errors too (REST_FRAMEWORK DEFAULT_SCHEMA_CLASS).

drf-spectacular documents the successes it can see in the views; the errors come from
``hrdcase.api_conf.exception_handler`` and DRF around the view, so ``AutoSchema`` adds to
each operation the error responses it can give, as three shared components:

- ``Error`` ``{"detail"}``: 401 (no or a bad token), 403 (the role, or a session's CSRF
  check, refuses a write), 404 (not found or not yours: the same answer; a page past the
  last), 413 (a body over the request limit).
- ``ValidationError`` ``{field: [messages]}`` / ``{"non_field_errors": [...]}`` (or
  ``{"detail"}`` when the body could not be read at all): 400, nothing written.
- ``StateConflict`` ``{"detail", "allowed": [...]}``: 409, the object's state does not allow
  the step; ``allowed`` lists the ones it does.

What every operation can answer is added here from what the operation is: 401 everywhere,
403 on writes and on admin-only views, 404 on routes naming an object and on paginated
lists, 400 and 413 on writes with a body, 400 on lists whose filters are validated. What
only some operations answer (409 on state transitions, 413 naming the file on uploads, 400
from a service behind a write without a body, 404 for an object named in the body) is
declared next to the view, in its ``@extend_schema(responses={...})``, with the responses
below; what a view declares wins over what is added here.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular import openapi
from drf_spectacular.plumbing import (
    ResolvedComponent,
    force_instance,
    is_list_serializer,
    is_serializer,
)
from rest_framework import filters, mixins, permissions, serializers, status

#: the error bodies, as components/schemas
ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "description": _(
            "An error that names no field: authentication, permission, an object or page "
            "that is not there (or not yours: the same answer), a request too large."
        ),
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": _(
            "Bad input; nothing was written. Each key names a field of the request (or a query "
            "parameter) and holds its messages; non_field_errors holds those about the request "
            "as a whole. A nested object or list holds the same shape one level down. A body "
            "that could not be read at all (malformed or too deeply nested JSON, too many "
            "fields) has detail alone."
        ),
        "properties": {
            "detail": {"type": "string"},
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": {
            "anyOf": [
                {
                    "type": "array",
                    "items": {"anyOf": [{"type": "string"}, {"type": "object"}]},
                },
                {"type": "object"},
            ]
        },
        "example": {"given_on": ["Enter a date between 1900-01-01 and 2036-12-31."]},
    },
    "StateConflict": {
        "type": "object",
        "description": _(
            "The object's current state does not allow this step; nothing was written. "
            "allowed lists the steps its state allows (possibly none)."
        ),
        "properties": {
            "detail": {"type": "string"},
            "allowed": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["detail", "allowed"],
    },
}


@dataclass(frozen=True)
class ErrorResponse:
    """An error response for ``@extend_schema(responses={code: ...})``: a shared body and
    what the code means for the operation."""

    component: str
    description: str | Promise


BAD_REQUEST = ErrorResponse("ValidationError", _("Bad input, naming the field; nothing written."))
BAD_FILTER = ErrorResponse(
    "ValidationError", _("A query parameter is not valid, naming the parameter.")
)
UNAUTHENTICATED = ErrorResponse("Error", _("No valid token or verified session."))
FORBIDDEN = ErrorResponse(
    "Error",
    _("Your role does not allow this (or, for a session, the CSRF check failed)."),
)
NOT_FOUND = ErrorResponse(
    "Error", _("No such object, or not one you may see: the answer is the same.")
)
BODY_NOT_FOUND = ErrorResponse(
    "Error", _("An object the body names is not there or not one you may see.")
)
PAGE_NOT_FOUND = ErrorResponse("Error", _("No such page."))
CONFLICT = ErrorResponse(
    "StateConflict", _("Its current state does not allow this; allowed lists what it does.")
)
TOO_LARGE = ErrorResponse(
    "Error", _("The request body is over the size limit (2.5 MB); nothing written.")
)
UPLOAD_TOO_LARGE = ErrorResponse(
    "ValidationError",
    _(
        "The file is over the upload limit (the message names the field and the limit), or "
        "the whole request is (detail); nothing written."
    ),
)

_WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _blank_model_field(field: serializers.Field) -> bool:
    """Whether ``field`` reads a model field that may be blank."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = field.source
    if model is None or not isinstance(source, str) or not source or "." in source:
        return False
    try:
        return bool(model._meta.get_field(source).blank)
    except FieldDoesNotExist:
        return False


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(
        self, field: serializers.Field, direction: str, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "response"
            and isinstance(field, serializers.ChoiceField)
            and isinstance(schema, dict)
            and "" not in schema.get("enum", [""])
            and _blank_model_field(field)
        ):
            # DRF drops allow_blank from a ModelSerializer's read-only fields, so a choice the
            # model leaves blank ("no risk level yet") was missing from the enum it answers.
            enum = schema["enum"]
            enum.insert(len(enum) - 1 if None in enum else len(enum), "")
        return schema

    def _get_paginator(self) -> Any:
        # drf-spectacular wraps any list answer of a paginated view in the page envelope; only
        # ``list`` (and the actions a view names in ``paginated_actions``) paginate: a case's
        # consents or an entry's attachments are a plain array.
        action = getattr(self.view, "action", None)
        if action not in (None, "list", *getattr(self.view, "paginated_actions", ())):
            return None
        return super()._get_paginator()

    def get_filter_backends(self) -> list[Any]:
        # Filters apply where the view filters its queryset: its ``list``; a search box where
        # there is something to search.
        if getattr(self.view, "action", "list") != "list":
            return []
        return [
            backend
            for backend in super().get_filter_backends()
            if not (
                issubclass(backend, filters.SearchFilter)
                and not getattr(self.view, "search_fields", None)
            )
        ]

    def _get_request_for_media_type(self, serializer: Any, direction: str = "request") -> Any:
        serializer = force_instance(serializer)
        if (
            self.method == "PATCH"
            and is_serializer(serializer)
            and not is_list_serializer(serializer)
            and not serializer.partial
            and not isinstance(self.view, mixins.UpdateModelMixin)
        ):
            # drf-spectacular makes every PATCH body partial, as DRF's partial_update does; a
            # view of ours validates the body it declares as it is (a serializer declared with
            # partial=True says otherwise), so its required fields stay required.
            self.method = "PUT"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _get_response_for_code(
        self,
        serializer: Any,
        status_code: str,
        media_types: Any = None,
        direction: str = "response",
    ) -> dict[str, Any]:
        if isinstance(serializer, ErrorResponse):
            return self._error_response(serializer)
        response: dict[str, Any] = super()._get_response_for_code(
            serializer, status_code, media_types, direction
        )
        return response

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            for code, error in self._implied_errors().items():
                responses.setdefault(str(code), self._error_response(error))
        return dict(sorted(responses.items()))

    def _error_response(self, error: ErrorResponse) -> dict[str, Any]:
        component = ResolvedComponent(
            name=error.component,
            type=ResolvedComponent.SCHEMA,
            object=error.component,
            schema=copy.deepcopy(ERROR_SCHEMAS[error.component]),
        )
        self.registry.register_on_missing(component)
        return {
            "description": str(error.description),
            "content": {"application/json": {"schema": component.ref}},
        }

    def _implied_errors(self) -> dict[int, ErrorResponse]:
        """The errors this operation can give whatever the view does in its body."""
        errors: dict[int, ErrorResponse] = {}
        if self._requires_authentication():
            errors[status.HTTP_401_UNAUTHORIZED] = UNAUTHENTICATED
        if self.method in _WRITES or getattr(self.view, "admin_only", False):
            errors[status.HTTP_403_FORBIDDEN] = FORBIDDEN
        if "{" in self.path:
            errors[status.HTTP_404_NOT_FOUND] = NOT_FOUND
        elif self._is_list_view() and self._get_paginator() is not None:
            errors[status.HTTP_404_NOT_FOUND] = PAGE_NOT_FOUND
        if self._get_request_body() is not None:
            errors[status.HTTP_400_BAD_REQUEST] = BAD_REQUEST
            errors[status.HTTP_413_REQUEST_ENTITY_TOO_LARGE] = TOO_LARGE
        elif self.method == "GET" and self._validates_filters():
            errors[status.HTTP_400_BAD_REQUEST] = BAD_FILTER
        return errors

    def _requires_authentication(self) -> bool:
        return not any(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        )

    def _validates_filters(self) -> bool:
        """django-filter answers 400 to a value its filter set refuses (a role that does
        not exist, a boolean that is not one), DRF's search to a NUL character."""
        for backend in self.get_filter_backends():
            if issubclass(backend, DjangoFilterBackend) and (
                getattr(self.view, "filterset_fields", None)
                or getattr(self.view, "filterset_class", None)
            ):
                return True
            if issubclass(backend, filters.SearchFilter):
                return True  # a search term holding a NUL character
        return False
