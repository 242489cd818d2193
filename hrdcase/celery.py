import logging
import os
from typing import Any

from celery import Celery
from celery.signals import celeryd_after_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrdcase.settings")

logger = logging.getLogger(__name__)

#: set in a worker that yields the CPU (below), before its pool forks: its children too.
_yielding = False

app = Celery("hrdcase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def yields_cpu(queues: set[str], runs_beat: bool) -> bool:
    """Whether a worker consuming ``queues`` gives way to every other process for the CPU:
    one that consumes no urgent queue and runs no beat (docs/alerts.md, "Queues")."""
    from django.conf import settings

    return (
        settings.DEFAULT_WORKER_YIELDS_CPU
        and settings.ALERTS_URGENT_QUEUE not in queues
        and not runs_beat
        and hasattr(os, "SCHED_IDLE")  # Linux
    )


def _yield_cpu_unless_urgent(sender: str, instance: Any, **kwargs: Any) -> None:
    """A default-queue worker runs at Linux's idle scheduling priority (``SCHED_IDLE``, which
    its pool's processes inherit: this runs before they are forked). On a machine it shares
    with the web and the urgent worker, a flood of reminders then never takes the CPU from
    an alert: it is worked on whenever a core is free. Measured by the bench's flood
    (docs/performance.md, session 14). Nothing on the default queue needs the CPU at a given
    moment: shares' expiry is checked on every read, the sweep there only tidies up."""
    global _yielding
    queues = instance.app.amqp.queues
    if yields_cpu(set(queues.consume_from or queues), bool(getattr(instance, "beat", None))):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        # and its batches pause while an urgent alert is raised or sent (its database
        # backend runs at normal priority: alerts.services.right_of_way)
        _yielding = True
        logger.info("worker %s: no urgent queue, so it yields the CPU (SCHED_IDLE)", sender)


celeryd_after_setup.connect(_yield_cpu_unless_urgent)


def worker_yields_cpu() -> bool:
    """Whether this process is (a child of) a worker that yields the CPU."""
    return _yielding
