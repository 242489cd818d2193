"""A shelter city's programme (its maximum stay) and its capacity periods (its admins).
Both lock the programme row, as a confirmation counting places does
(``services.shelter.shelter_confirm``)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from hrdcase.audit import audit_record
from hrdcase.dates import require_plausible_dates
from relocation.models import CapacityPeriod, ShelterProgramme, ShelterReferral
from relocation.selectors.capacity import programme_of
from relocation.services.access import locked, require_admin_of


@transaction.atomic
def programme_save(
    *,
    organisation: Organisation,
    acting_user: User,
    name: str,
    stay_months: int,
    languages: str = "",
    support_offered: str = "",
    active: bool = True,
) -> ShelterProgramme:
    require_admin_of(acting_user, organisation.pk)
    if organisation.kind != Organisation.Kind.SHELTER_CITY:
        raise ValidationError(_("Only a shelter city keeps a shelter programme."))
    programme = programme_of(organisation.pk) or ShelterProgramme(organisation=organisation)
    programme.name = (name or "").strip() or "Shelter City"
    programme.stay_months = stay_months
    programme.languages = (languages or "").strip()
    programme.support_offered = (support_offered or "").strip()
    programme.active = active
    programme.full_clean()
    programme.save()
    audit_record(
        action="relocation.programme_save",
        actor=acting_user,
        target=programme,
        data={"stay_months": stay_months, "active": active},
    )
    return programme


@transaction.atomic
def capacity_period_add(
    *,
    programme: ShelterProgramme,
    start: datetime.date,
    end: datetime.date,
    places: int,
    acting_user: User,
) -> CapacityPeriod:
    require_admin_of(acting_user, programme.organisation_id)
    require_plausible_dates(start=start, end=end)
    if start and end and end < start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    # Locks the programme: a confirmation counting places waits for this period.
    locked(ShelterProgramme, programme.pk)
    overlapping = (
        CapacityPeriod.objects.owned_by(programme.organisation)
        .filter(start__lte=end, end__gte=start)
        .order_by("start")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start": _(
                    "This period overlaps the period %(start)s to %(end)s (%(places)s places): "
                    "change or remove that one instead."
                )
                % {
                    "start": overlapping.start.isoformat(),
                    "end": overlapping.end.isoformat(),
                    "places": overlapping.places,
                }
            }
        )
    period = CapacityPeriod(
        organisation_id=programme.organisation_id,
        programme=programme,
        start=start,
        end=end,
        places=places,
    )
    period.full_clean(exclude=["programme"])
    period.save()
    audit_record(
        action="relocation.capacity_add",
        actor=acting_user,
        target=period,
        data={"start": start.isoformat(), "end": end.isoformat(), "places": places},
    )
    return period


@transaction.atomic
def capacity_period_remove(*, period: CapacityPeriod, acting_user: User) -> None:
    """Refused while confirmed or current stays rely on the period's places."""
    require_admin_of(acting_user, period.organisation_id)
    locked(ShelterProgramme, period.programme_id)
    # unscoped: the city's own stays, filtered by city.
    relying = (
        ShelterReferral.objects.unscoped()
        .filter(
            city_id=period.organisation_id,
            status__in=ShelterReferral.OCCUPYING,
            start__lte=period.end,
            end__gte=period.start,
        )
        .count()
    )
    if relying:
        raise ValidationError(
            _(
                "%(count)s confirmed or current stay(s) fall in this period: "
                "it cannot be removed while guests rely on its places."
            )
            % {"count": relying}
        )
    audit_record(
        action="relocation.capacity_remove",
        actor=acting_user,
        target=period,
        data={"start": period.start.isoformat(), "end": period.end.isoformat()},
    )
    period.delete()
