"""Demo alerts (``manage.py seed_demo``): each organisation's default escalation policy and
one acknowledged alert on a demo case. Idempotent."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Organisation, User
from alerts.models import Alert
from alerts.services.alerts import alert_acknowledge, alert_raise
from alerts.services.policy import policy_for
from cases.models import Case


@transaction.atomic
def seed() -> None:
    for organisation in Organisation.objects.filter(is_active=True):
        policy_for(organisation)
    officer = User.objects.filter(email__startswith="ana.officer@").first()
    if officer is None:
        return
    case = Case.objects.owned_by(officer.organisation).filter(pseudonym="Ceiba").first()
    if case is None or case.alerts.exists():
        return
    alert = alert_raise(
        case=case,
        kind=Alert.Kind.IMMINENT_THREAT,
        severity=Alert.Severity.HIGH,
        message="Armed men on motorbikes asked for her at the community radio this morning.",
        acting_user=officer,
    )
    colleague = (
        User.objects.filter(organisation=officer.organisation, role__in=["admin", "officer"])
        .exclude(pk=officer.pk)
        .first()
    )
    alert_acknowledge(alert=alert, acting_user=colleague or officer)
