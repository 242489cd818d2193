"""Fictional demo support request (``seed_demo`` calls ``seed``): the NGO Voces Seguras asks
the Norwegian embassy, which does not follow the case, to observe the trial of "Yarumo"."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import Case
from support.models import SupportRequest
from support.services import support_request_create


@transaction.atomic
def seed() -> None:
    lucia = User.objects.filter(email__startswith="lucia.caseworker@").first()
    norway = Organisation.objects.filter(code="NOR-CO").first()
    if lucia is None or norway is None or lucia.organisation is None:
        return
    case = Case.objects.owned_by(lucia.organisation).filter(pseudonym="Yarumo").first()
    if case is None or SupportRequest.objects.owned_by(lucia.organisation).exists():
        return
    support_request_create(
        case=case,
        kind="trial_observation",
        reason="The rebellion trial resumes; the court has closed hearings to the public before.",
        needed_by=timezone.localdate() + datetime.timedelta(days=10),
        urgency="urgent",
        receiver=norway,
        acting_user=lucia,
    )
