"""The relocation settings page (admins): the visa service level, the grant cap, the service
levels per urgency (deadlines of the answers the organisation owes) and, for a shelter city,
its programme and capacity periods."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from cases.access import require_org_admin
from hrdcase.forms import add_service_errors, form_status
from relocation.forms.capacity import CapacityForm, ProgrammeForm
from relocation.forms.settings import ServiceLevelsForm, SettingsForm
from relocation.models import CapacityPeriod, ShelterProgramme
from relocation.selectors.capacity import programme_of
from relocation.selectors.settings import settings_for
from relocation.services.capacity import capacity_period_add, programme_save
from relocation.services.settings import service_levels_update, settings_update


def _initial(obj, form_class: type[Form]) -> dict:
    return {name: getattr(obj, name) for name in form_class.base_fields}


def _save(
    form_name: str,
    form: Form,
    *,
    organisation: Organisation,
    user: User,
    programme: ShelterProgramme | None,
) -> None:
    data = form.cleaned_data
    if form_name == "settings":
        settings_update(organisation=organisation, acting_user=user, **data)
    elif form_name == "levels":
        service_levels_update(organisation=organisation, acting_user=user, **data)
    elif form_name == "programme":
        programme_save(organisation=organisation, acting_user=user, **data)
    elif programme is None:
        raise ValidationError(_("Save the programme before adding capacity."))
    else:
        capacity_period_add(programme=programme, acting_user=user, **data)


@login_required
def relocation_settings(request: HttpRequest) -> HttpResponse:
    """Admins: the visa service level, the grant cap and (shelter cities) the programme and
    its capacity periods."""
    user = request.user
    require_org_admin(user)
    organisation = user.organisation
    is_city = organisation.kind == Organisation.Kind.SHELTER_CITY
    programme = programme_of(organisation.pk) if is_city else None
    form_name = request.POST.get("form", "")
    row = settings_for(organisation.pk)
    forms = {
        "settings": SettingsForm(
            request.POST if form_name == "settings" else None,
            initial=_initial(row, SettingsForm),
        ),
        "levels": ServiceLevelsForm(
            request.POST if form_name == "levels" else None,
            initial=_initial(row, ServiceLevelsForm),
        ),
        "programme": ProgrammeForm(
            request.POST if form_name == "programme" else None,
            # An unsaved programme holds the defaults a new one starts with.
            initial=_initial(programme or ShelterProgramme(), ProgrammeForm),
        ),
        "capacity": CapacityForm(request.POST if form_name == "capacity" else None),
    }
    form = forms.get(form_name, forms["capacity"])
    if request.method == "POST" and form.is_valid():
        try:
            _save(form_name, form, organisation=organisation, user=user, programme=programme)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("relocation:settings")
    periods = CapacityPeriod.objects.owned_by(organisation).order_by("start") if programme else []
    return render(
        request,
        "relocation/settings.html",
        {
            "settings_form": forms["settings"],
            "levels_form": forms["levels"],
            "programme_form": forms["programme"],
            "capacity_form": forms["capacity"],
            "is_city": is_city,
            "programme": programme,
            "periods": periods,
        },
        status=form_status(*forms.values()),
    )
