"""Dashboard pages: thin, access check -> cached figures (dashboards.caching) -> template.

The figures are read on the read replica when one is configured (``use_replica``, after the
access check on the primary; the exports' audit rows are written on the primary)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dashboards import organisation as org_figures
from dashboards.caching import cached_network_charts, cached_network_figures
from dashboards.charts import chart
from dashboards.forms import PeriodForm
from dashboards.periods import Period, default_period
from dashboards.selectors import get_network_for, networks_for
from dashboards.services import figure_export_csv, figures_export_zip
from hrdcase.audit import client_ip
from hrdcase.db_router import use_replica


def _period(request: HttpRequest) -> tuple[PeriodForm, Period | None]:
    """The period asked for (default: the current calendar year), or None with the form's
    errors. Called only once the network is known to be the user's: a 400 before the 404
    would tell an outsider that the network exists."""
    form = PeriodForm(request.GET or None)
    if not form.is_bound:
        return form, default_period(form.today)
    if form.is_valid():
        return form, form.cleaned_data["period"]
    return form, None


@login_required
def networks(request: HttpRequest) -> HttpResponse:
    """The networks the coordinator may review (404 for everyone else)."""
    available = list(networks_for(request.user))
    if not available:
        raise Http404
    return render(request, "dashboards/networks.html", {"networks": available})


@login_required
def network(request: HttpRequest, pk) -> HttpResponse:
    network = get_network_for(request.user, pk)
    form, period = _period(request)
    if period is None:
        context = {"network": network, "form": form, "figures": []}
        return render(request, "dashboards/network.html", context, status=400)
    with use_replica():
        drawn = cached_network_charts(network, period)
    context = {
        "network": network,
        "form": form,
        "period": period,
        "figures": drawn,
        "computed_at": timezone.now(),
        "figures_time_zone": settings.TIME_ZONE,  # dashboards.network.period_figures
    }
    return render(request, "dashboards/network.html", context)


@login_required
def network_export(request: HttpRequest, pk, key: str) -> HttpResponse:
    network = get_network_for(request.user, pk)
    form, period = _period(request)
    if period is None:
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    with use_replica():
        figures = cached_network_figures(network, period)
    figure = next((f for f in figures if f.key == key), None)
    if figure is None:
        raise Http404
    with transaction.atomic():
        body = figure_export_csv(
            figure=figure,
            period=period,
            scope=network,
            acting_user=request.user,
            ip=client_ip(request),
        )
    return _csv_response(body, f"{key}-{period.label}.csv")


@login_required
def network_export_all(request: HttpRequest, pk) -> HttpResponse:
    """Every chart of the period, one CSV each in a ZIP (as the charts' own downloads)."""
    network = get_network_for(request.user, pk)
    form, period = _period(request)
    if period is None:
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    with use_replica():
        figures = cached_network_figures(network, period)
    with transaction.atomic():
        body = figures_export_zip(
            figures=figures,
            period=period,
            scope=network,
            acting_user=request.user,
            ip=client_ip(request),
        )
    response = HttpResponse(body, content_type="application/zip")
    filename = f"network-figures-{period.label}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def organisation_export(request: HttpRequest, key: str) -> HttpResponse:
    """One chart of the organisation's own dashboard as CSV, audited."""
    if request.user.organisation_id is None:
        raise Http404
    with use_replica():
        caseload = org_figures.caseload(request.user.organisation)
    figure = next((f for f in caseload if f.key == key), None)
    if figure is None:
        raise Http404
    today = timezone.localdate()
    with transaction.atomic():
        body = figure_export_csv(
            figure=figure,
            period=None,
            as_of=today,
            scope=request.user.organisation,
            acting_user=request.user,
            ip=client_ip(request),
        )
    return _csv_response(body, f"{key}-{today}.csv")


@login_required
def organisation(request: HttpRequest) -> HttpResponse:
    """The organisation's own overview: caseload, what is due this week, open alerts."""
    if request.user.organisation_id is None:
        raise Http404
    context = org_figures.overview(request.user)
    context["caseload"] = [(f, chart(f)) for f in context["caseload"]]
    return render(request, "dashboards/organisation.html", context)
