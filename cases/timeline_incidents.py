"""Incidents, detentions, hearings and benchmarks done, on the case timeline.

Part of the full file: shown to the owner organisation and ``full`` partners, never to a
``feedback`` partner (who sees pseudonym, status and shared entries only).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from cases import timeline
from cases.models import Incident
from cases.parts import register_part
from cases.selectors_detention import (
    INCIDENTS,
    case_detentions_seen,
    case_incidents_seen,
    sees_incidents,
)
from cases.timeline import TimelineItem


def _incidents(case, access) -> Iterator[TimelineItem]:
    if not sees_incidents(access):
        return
    for incident in case_incidents_seen(case, access):
        yield TimelineItem(
            at=TimelineItem.moment(incident.occurred_on),
            kind="incident",
            title=_("Incident: %(type)s") % {"type": incident.get_type_display()},
            detail=_("Perpetrator: %(who)s") % {"who": incident.get_perpetrator_display()},
            url=reverse(
                "cases:incident_detail", kwargs={"pk": case.pk, "incident_pk": incident.pk}
            ),
        )


def _detentions(case, access) -> Iterator[TimelineItem]:
    if not sees_incidents(access):
        return
    for detention in case_detentions_seen(case, access):
        url = reverse(
            "cases:detention", kwargs={"pk": case.pk, "incident_pk": detention.incident_id}
        )
        yield TimelineItem(
            at=TimelineItem.moment(detention.detained_since),
            kind="detention",
            title=_("Detained"),
            url=url,
        )
        if detention.released_on:
            yield TimelineItem(
                at=TimelineItem.moment(detention.released_on),
                kind="detention",
                title=_("Released"),
                url=url,
            )
        for hearing in detention.hearings.all():
            yield TimelineItem(
                at=TimelineItem.moment(hearing.date),
                kind="hearing",
                title=_("Hearing: %(court)s") % {"court": hearing.court},
                url=url,
            )
        for milestone in detention.milestones.all():
            if milestone.done_at:
                yield TimelineItem(
                    at=milestone.done_at,
                    kind="benchmark",
                    title=_("Benchmark done: %(step)s") % {"step": milestone.title},
                    url=url,
                )


timeline.register("cases.incidents", _incidents)
timeline.register("cases.detentions", _detentions)
register_part(INCIDENTS, Incident)
