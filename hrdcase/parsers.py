"""Request parsers of the REST API (REST_FRAMEWORK DEFAULT_PARSER_CLASSES): DRF's, made to
answer every bad body with a 4xx in JSON rather than a 500.

- ``JSONParser``: deeply nested JSON makes ``json.loads`` raise ``RecursionError`` (a 500);
  it answers 400, and so does JSON nested deeper than ``MAX_JSON_DEPTH``, which parses but
  would recurse through serializers later. (The body is already bounded: DRF reads it as
  ``request.body``, which DATA_UPLOAD_MAX_MEMORY_SIZE caps: 413 from hrdcase.api_conf.)
- ``MultiPartParser``: a file the upload handler refused for its size (hrdcase/uploads.py)
  answers 413 naming the field; too many fields or files answer 400.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

from hrdcase import uploads

#: deeper than any of our payloads (three levels at most), shallow enough for any recursion
MAX_JSON_DEPTH = 32


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")
    default_code = "too_large"


def _too_deep() -> ParseError:
    return ParseError(
        _("The JSON is nested too deeply: at most %(n)d levels of arrays and objects.")
        % {"n": MAX_JSON_DEPTH}
    )


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests arrays/objects more than ``limit`` deep (iteratively: a
    recursive walk would fail the way the parser did)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


#: what DRF hands a parser besides the stream: the request, the view, the encoding.
Context = Mapping[str, Any] | None


class JSONParser(parsers.JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Context = None
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise _too_deep()
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Context = None
    ) -> Any:
        try:
            parsed = super().parse(stream, media_type, parser_context)
        except TooManyFieldsSent:
            raise ParseError(_("The request has too many fields.")) from None
        except TooManyFilesSent:
            raise ParseError(_("The request has too many files.")) from None
        refused = uploads.refusal((parser_context or {}).get("request"))
        if refused is not None:
            raise PayloadTooLarge({refused.field: [refused.message]})
        return parsed
