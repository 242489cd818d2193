"""Search pages (issue 23, item 3): the header's search box, saved filters of the case list
and its CSV export. Thin: access check -> selector/service -> template."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import User
from cases.forms.case import CaseFilterForm
from cases.selectors.case import CaseFilters, case_list_for
from cases.selectors.search import cases_by_reference_or_pseudonym, saved_filters_of
from cases.services import search as services
from hrdcase.audit import client_ip
from hrdcase.tenancy import get_object_for, member_in_force

#: the longest search the header box takes (a legal name, a reference).
SEARCH_MAX_LENGTH = 200


def _require_member(request: HttpRequest) -> None:
    if not member_in_force(request.user):
        raise Http404


@login_required
@never_cache
def case_search(request: HttpRequest) -> HttpResponse:
    """The header box: cases by reference or pseudonym, and by a defender's exact legal
    name (audited, among the cases whose identity the user may see).

    Searched by POST only: a legal name in a query string would be written to the web
    server's access log and the browser's history (a seized laptop). A GET shows the box;
    the results are never cached."""
    _require_member(request)
    user = cast(User, request.user)  # login_required
    term = " ".join(request.POST.get("q", "").split()) if request.method == "POST" else ""
    context: dict = {"term": term, "by_reference": [], "by_name": []}
    if not term:
        return render(request, "cases/search.html", context)
    if len(term) > SEARCH_MAX_LENGTH or "\x00" in term:
        context["error"] = _("Type at most %(max)s characters.") % {"max": SEARCH_MAX_LENGTH}
        context["term"] = ""
        return render(request, "cases/search.html", context, status=400)
    context["by_reference"] = cases_by_reference_or_pseudonym(user, term)
    context["by_name"] = services.legal_name_search(user=user, term=term, ip=client_ip(request))
    return render(request, "cases/search.html", context)


def query_of(form: CaseFilterForm) -> tuple[str, dict]:
    """A bound filter form's values: the query string to save or export (no page, no
    unknown parameter) and the values, or ("", {}) if the form is not valid."""
    if not form.is_bound or not form.is_valid():
        return "", {}
    values = {name: value for name, value in form.cleaned_data.items() if value}
    return urlencode(sorted(values.items())), values


def filters_query(data: QueryDict, organisation) -> tuple[str, dict]:
    return query_of(CaseFilterForm(data, organisation=organisation))


@login_required
@require_POST
def saved_filter_create(request: HttpRequest) -> HttpResponse:
    _require_member(request)
    user = cast(User, request.user)  # login_required
    query, _values = filters_query(QueryDict(request.POST.get("query", "")), user.organisation)
    try:
        saved = services.saved_filter_create(
            user=user, name=request.POST.get("name", ""), query=query
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{_list_url()}?{query}" if query else _list_url())
    messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
    return redirect(f"{_list_url()}?{saved.query}")


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, pk) -> HttpResponse:
    _require_member(request)
    user = cast(User, request.user)  # login_required
    saved = get_object_for(user, saved_filters_of(user), pk)
    services.saved_filter_delete(saved=saved, user=user)
    messages.success(request, _("Filter “%(name)s” deleted.") % {"name": saved.name})
    return redirect(_list_url())


@login_required
def case_list_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered, as CSV: redacted, at most 5,000 cases, audited."""
    _require_member(request)
    user = cast(User, request.user)  # login_required
    query, values = filters_query(request.GET, user.organisation)
    if request.GET and not query and any(request.GET.values()):
        return HttpResponse(
            _("These filters are not valid: open the list and choose them again."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filters = CaseFilters(**{name: value or "" for name, value in values.items()})
    body = services.case_list_export(
        user=user,
        cases=case_list_for(user, filters),
        filters={name: str(value) for name, value in values.items()},
        ip=client_ip(request),
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"cases-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _list_url() -> str:
    return reverse("cases:list")
