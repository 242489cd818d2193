"""Cross-cutting pages: the health check (Home, the signed-in landing page, is the work
app's: work.views.home)."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hrdcase.celery import app as celery_app

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:
        logger.exception("health: database check failed")
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("health: broker check failed")
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and the run command: database and broker reachable (no details)."""
    database = _database_ok()
    broker = _broker_ok()
    healthy = database and broker
    return JsonResponse(
        {
            "status": "ok" if healthy else "fail",
            "database": "ok" if database else "fail",
            "broker": "ok" if broker else "fail",
        },
        status=200 if healthy else 503,
    )
