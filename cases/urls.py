from django.urls import path

from cases.views import break_glass as break_glass_views
from cases.views import case as case_views
from cases.views import consent as consent_views
from cases.views import court as court_views
from cases.views import detention as detention_views
from cases.views import incident as incident_views
from cases.views import retention as retention_views
from cases.views import risk as risk_views
from cases.views import search as search_views
from cases.views import sharing as sharing_views
from cases.views import task as task_views

app_name = "cases"

urlpatterns = [
    path("", case_views.case_list, name="list"),
    path("search/", search_views.case_search, name="search"),
    path("export.csv", search_views.case_list_export, name="list_export"),
    path("filters/", search_views.saved_filter_create, name="filter_save"),
    path("filters/<uuid:pk>/delete/", search_views.saved_filter_delete, name="filter_delete"),
    path("new/", case_views.case_create, name="create"),
    path("<uuid:pk>/", case_views.case_detail, name="detail"),
    # the case page's other sections (cases.registries.panels): Logbook, Risk, Sharing...
    path("<uuid:pk>/s/<slug:section>/", case_views.case_section, name="section"),
    path("<uuid:pk>/not-shared/", case_views.case_not_shared, name="not_shared"),
    path("<uuid:pk>/identity/", case_views.case_identity, name="identity"),
    path("<uuid:pk>/edit/", case_views.case_edit, name="edit"),
    path("<uuid:pk>/defender/", case_views.defender_edit, name="defender_edit"),
    path("<uuid:pk>/close/", case_views.case_close, name="close"),
    path("<uuid:pk>/consents/", consent_views.case_consents, name="consents"),
    path(
        "<uuid:pk>/consents/<uuid:consent_pk>/revoke/",
        consent_views.consent_revoke,
        name="consent_revoke",
    ),
    path("<uuid:pk>/shares/", sharing_views.case_shares, name="shares"),
    path(
        "<uuid:pk>/shares/<uuid:share_pk>/revoke/", sharing_views.share_revoke, name="share_revoke"
    ),
    path("<uuid:pk>/coordinate/", sharing_views.case_coordinate, name="coordinate"),
    path("coordination/", sharing_views.coordination_inbox, name="coordination_inbox"),
    path(
        "coordination/<uuid:request_pk>/",
        sharing_views.coordination_answer,
        name="coordination_answer",
    ),
    path("duplicate-hints/", sharing_views.duplicate_hints, name="duplicate_hints"),
    # a partner accepts, declines or leaves a share made to its organisation
    path("shares/<uuid:share_pk>/<slug:step>/", sharing_views.share_answer, name="share_answer"),
    # Parts of the case file add their routes below, one block per module.
    # break-glass (cases/views/break_glass.py)
    path("<uuid:pk>/break-glass/", break_glass_views.break_glass, name="break_glass"),
    path(
        "<uuid:pk>/break-glass/<uuid:access_pk>/end/",
        break_glass_views.break_glass_end_view,
        name="break_glass_end",
    ),
    # retention (cases/views/retention.py)
    path("retention/", retention_views.retention_policy, name="retention"),
    # Incidents, detention and benchmark plans (cases/views/incident.py, detention.py).
    path("<uuid:pk>/incidents/new/", incident_views.incident_create, name="incident_create"),
    path(
        "<uuid:pk>/incidents/<uuid:incident_pk>/",
        incident_views.incident_detail,
        name="incident_detail",
    ),
    path(
        "<uuid:pk>/incidents/<uuid:incident_pk>/detention/",
        detention_views.detention_page,
        name="detention",
    ),
    path(
        "<uuid:pk>/incidents/<uuid:incident_pk>/detention/hearings/",
        detention_views.hearing_add,
        name="hearing_add",
    ),
    path(
        "<uuid:pk>/milestones/<uuid:milestone_pk>/done/",
        detention_views.milestone_done,
        name="milestone_done",
    ),
    path("benchmarks/", detention_views.benchmark_rules, name="benchmark_rules"),
    path(
        "benchmarks/<uuid:rule_pk>/",
        detention_views.benchmark_rule_edit,
        name="benchmark_rule_edit",
    ),
    # court proceedings, hearings and observers (cases/views/court.py)
    path("<uuid:pk>/proceedings/new/", court_views.proceeding_create, name="proceeding_create"),
    path(
        "<uuid:pk>/proceedings/<uuid:proceeding_pk>/",
        court_views.proceeding_page,
        name="proceeding",
    ),
    path(
        "<uuid:pk>/proceedings/<uuid:proceeding_pk>/hearings/",
        court_views.hearing_schedule,
        name="hearing_schedule",
    ),
    path(
        "<uuid:pk>/hearings/<uuid:hearing_pk>/observers/",
        court_views.observer_plan,
        name="observer_plan",
    ),
    path(
        "<uuid:pk>/observers/<uuid:observer_pk>/",
        court_views.observer_record,
        name="observer_record",
    ),
    # risk assessments (cases/views/risk.py)
    path("<uuid:pk>/risk/", risk_views.risk_list, name="risk_list"),
    path("<uuid:pk>/risk/new/", risk_views.risk_create, name="risk_create"),
    path("<uuid:pk>/risk/override/", risk_views.risk_override, name="risk_override"),
    path("<uuid:pk>/risk/<uuid:assessment_pk>/", risk_views.risk_detail, name="risk_detail"),
    # tasks (cases/views/task.py)
    path("tasks/", task_views.task_list, name="tasks"),
    path("tasks/new/", task_views.task_create, name="task_create"),
    path("<uuid:pk>/tasks/new/", task_views.task_create, name="case_task_create"),
    path("tasks/<uuid:task_pk>/", task_views.task_detail, name="task_detail"),
    path("tasks/<uuid:task_pk>/<slug:step>/", task_views.task_step, name="task_step"),
]
