"""The briefing export of a case's logbook and actions (PDF or CSV)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cases.access import get_case_for
from logbooks.export import export_response
from logbooks.forms.export import ExportForm


@login_required
def export(request: HttpRequest, case_pk) -> HttpResponse:
    case, access = get_case_for(request.user, case_pk)
    if case.purged_at:
        raise Http404
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return export_response(
            request,
            case=case,
            access=access,
            fmt=form.cleaned_data["format"],
            include_identity=form.cleaned_data["include_identity"],
        )
    if not access.sees_identity:
        del form.fields["include_identity"]
    return render(request, "logbooks/export.html", {"case": case, "form": form})
