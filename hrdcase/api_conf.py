"""Pagination and error format of the REST API (referenced from REST_FRAMEWORK settings).

Kept apart from ``hrdcase.api``: DRF imports these while loading its generic views, so this
module must not import ``rest_framework.viewsets`` (that would be a circular import).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from hrdcase.exceptions import StateConflict


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the errors our services raise, always as JSON naming the field.

    Every body is one of the shapes the OpenAPI schema documents (hrdcase/schema.py): a 400
    an object of fields' messages, a 409 ``{"detail", "allowed"}``, the others ``{"detail"}``.
    """
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = exc.message_dict
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, StateConflict):
        return Response(
            {"detail": exc.message, "allowed": exc.allowed}, status=status.HTTP_409_CONFLICT
        )
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": _("The request is too large. Attach documents as files, not as text.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, dict):
        # A bare list (DRF's search refusing a NUL character, a ValidationError raised with
        # a message) becomes the one 400 shape the schema documents: an object.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    return drf_exception_handler(exc, context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: a URL of the API that matches no route (an id that is not a UUID) answers
    the API's 404 in JSON, as a missing object does; pages keep Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
