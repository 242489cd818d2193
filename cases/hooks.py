"""Every registration of ``cases``, made once by ``register()``, which ``CasesConfig.ready``
calls; nothing in ``cases`` registers as a side effect of an import:

- what it connects to in the app below it (``accounts``): when an organisation is
  deactivated or leaves a protection network, the shares that rested on it end (DESIGN.md,
  "When access ends"); and when a share ends, the break-glass opening made through it ends;
- the case page's sections and its own panels in them (``cases.registries.panels``: each
  section is one loop over its panels), its own parts of the case timeline, of the parts a
  case may have, and of the retention purge.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, ProtectionNetwork
from accounts.signals import organisation_deactivated
from cases.models import (
    BreakGlassAccess,
    CaseShare,
    Consent,
    Incident,
    Proceeding,
    RiskAssessment,
    Task,
)
from cases.registries.panels import BELOW_TIMELINE, OVERVIEW, register_panel, register_section
from cases.registries.parts import register_part
from cases.registries.purgers import register_purger
from cases.registries.timeline import register as register_timeline
from cases.selectors.break_glass import OPENINGS
from cases.selectors.consent import CONSENTS
from cases.selectors.court import PROCEEDINGS
from cases.selectors.incident import INCIDENTS, sees_incidents
from cases.selectors.risk import RISK_TREND
from cases.selectors.sharing import SHARES
from cases.selectors.task import TASKS
from cases.services import break_glass as break_glass_services
from cases.services import case as case_services
from cases.services import consent as consent_services
from cases.services import court as court_services
from cases.services import incident as incident_services
from cases.services import risk as risk_services
from cases.services import sharing as sharing_services
from cases.services import task as task_services
from cases.signals import share_ended
from cases.views import break_glass as break_glass_views
from cases.views import case as case_views
from cases.views import consent as consent_views
from cases.views import court as court_views
from cases.views import detention as detention_views
from cases.views import incident as incident_views
from cases.views import retention as retention_views
from cases.views import risk as risk_views
from cases.views import sharing as sharing_views
from cases.views import task as task_views
from hrdcase.navigation import register_nav_item


def _on_organisation_deactivated(sender, *, organisation, acting_user=None, **kwargs) -> None:
    sharing_services.shares_end_for_deactivated(organisation=organisation)


def _on_network_members_changed(sender, *, instance, action, reverse, pk_set, **kwargs) -> None:
    """Members removed from a network (the admin's member list, or ``organisation.networks``):
    the shares only that network's consent covered are suspended."""
    if action != "post_remove" or not pk_set:
        return
    if reverse:  # organisation.networks.remove(network, ...)
        pairs = [(network, instance) for network in ProtectionNetwork.objects.filter(pk__in=pk_set)]
    else:  # network.members.remove(organisation, ...)
        pairs = [(instance, member) for member in Organisation.objects.filter(pk__in=pk_set)]
    for network, member in pairs:
        sharing_services.shares_suspend_after_network_left(network=network, organisation=member)


def _on_network_members_cleared(sender, *, instance, action, reverse, **kwargs) -> None:
    """``clear()`` names no members after the fact: take them before, suspend after."""
    if action == "pre_clear":
        related = instance.networks.all() if reverse else instance.members.all()
        instance._members_before_clear = set(related.values_list("pk", flat=True))
    elif action == "post_clear":
        pk_set = getattr(instance, "_members_before_clear", set())
        _on_network_members_changed(
            sender, instance=instance, action="post_remove", reverse=reverse, pk_set=pk_set
        )


def _register_sections() -> None:
    """The case page's sections, in the sub-navigation's order. A section a viewer may see
    nothing of is hidden from it (and 404): the risk and the full file's incidents and
    court to a feedback partner, the relocation to who may not refer."""
    register_section(OVERVIEW, gettext_lazy("Overview"), order=0)
    register_section("logbook", gettext_lazy("Logbook"), order=10)
    register_section("actions", gettext_lazy("Actions"), order=20)
    register_section("risk", gettext_lazy("Risk"), order=30, when=_sees_risk)
    register_section(
        "incidents", gettext_lazy("Incidents and court"), order=40, when=sees_incidents
    )
    register_section("relocation", gettext_lazy("Relocation"), order=50, when=_may_refer)
    register_section("sharing", gettext_lazy("Sharing and consent"), order=60)


def _sees_risk(access) -> bool:
    return access.sees_risk


def _may_refer(access) -> bool:
    return access.has("add_case_referral")


def _register_panels() -> None:
    """The case page's panels of ``cases``, by section (``cases.registries.panels`` says
    which orders the other apps take: alerts' urgent panel at 5 and logbooks' quick log at
    10 on top of Overview, relocation at 120 in Relocation). Panels of the same order are
    drawn by name: break-glass then retention."""
    panels = (
        # Overview: what is urgent, who the defender is, what to do next
        ("cases.identity", "cases/_identity_panel.html", case_views.identity_panel, 20, OVERVIEW),
        (
            "cases.partner_share",
            "cases/_partner_share_panel.html",
            sharing_views.partner_share_panel,
            12,
            OVERVIEW,
        ),
        (
            "cases.break_glass",
            "cases/break_glass/_panel.html",
            break_glass_views.break_glass_panel,
            14,
            OVERVIEW,
        ),
        (
            "cases.retention",
            "cases/retention/_panel.html",
            retention_views.retention_panel,
            14,
            OVERVIEW,
        ),
        ("cases.facts", "cases/_facts_panel.html", case_views.facts_panel, 18, OVERVIEW),
        ("cases.tasks", "cases/tasks/_panel.html", task_views.tasks_panel, 30, OVERVIEW),
        # Logbook: every provider's events
        (
            "cases.timeline",
            "cases/_timeline_panel.html",
            case_views.timeline_panel,
            BELOW_TIMELINE,
            "logbook",
        ),
        ("cases.risk", "cases/risk/_panel.html", risk_views.risk_panel, 9, "risk"),
        (
            "cases.incidents",
            "cases/incidents/_panel.html",
            incident_views.incidents_panel,
            9,
            "incidents",
        ),
        (
            "cases.proceedings",
            "cases/court/_panel.html",
            court_views.proceedings_panel,
            10,
            "incidents",
        ),
        # Sharing and consent: the owner's consents and shares, another organisation
        # following the defender, who viewed the case, the defender's other cases
        ("cases.sharing", "cases/_sharing_panel.html", sharing_views.sharing_panel, 200, "sharing"),
        (
            "cases.duplicate_hint",
            "cases/_duplicate_hint_panel.html",
            sharing_views.duplicate_hint_panel,
            205,
            "sharing",
        ),
        (
            "cases.access_log",
            "cases/_access_log_panel.html",
            sharing_views.access_log_panel,
            210,
            "sharing",
        ),
        (
            "cases.other_cases",
            "cases/_other_cases_panel.html",
            case_views.other_cases_panel,
            220,
            "sharing",
        ),
    )
    for name, template, context, order, section in panels:
        register_panel(name, template, context, order=order, section=section)


def _register_timeline() -> None:
    # In this order: events of the same moment are listed as their providers come.
    register_timeline("cases.assessments", risk_views.assessment_timeline)
    register_timeline("cases.incidents", incident_views.incident_timeline)
    register_timeline("cases.detentions", detention_views.detention_timeline)
    register_timeline("cases.proceedings", court_views.proceedings_timeline)
    register_timeline("cases.consents", consent_views.consent_timeline)
    register_timeline("cases.shares", sharing_views.share_timeline)
    register_timeline("cases.break_glass", break_glass_views.break_glass_timeline)


def _register_parts() -> None:
    register_part(RISK_TREND, RiskAssessment)
    register_part(INCIDENTS, Incident)
    register_part(CONSENTS, Consent)
    register_part(SHARES, CaseShare)
    register_part(OPENINGS, BreakGlassAccess)
    register_part(TASKS, Task)
    register_part(PROCEEDINGS, Proceeding)


def _register_purgers() -> None:
    # In this order: the purge runs them as they were registered (the audit event lists them).
    register_purger("cases.assessments", risk_services.assessments_purge)
    register_purger("cases.incidents", incident_services.incidents_purge)
    register_purger("cases.proceedings", court_services.proceedings_purge)
    register_purger("cases.defender", case_services.defender_purge)
    register_purger("cases.case", case_services.case_narratives_purge)
    register_purger("cases.consents", consent_services.consents_purge)
    register_purger("cases.coordination", sharing_services.coordination_purge)
    register_purger("cases.shares", sharing_services.shares_purge)
    register_purger("cases.break_glass", break_glass_services.break_glass_purge)
    register_purger("cases.tasks", task_services.tasks_purge)


def _on_share_ended(sender, *, share, acting_user=None, **kwargs) -> None:
    break_glass_services.break_glass_end_with_share(share=share, acting_user=acting_user)


def _connect_signals() -> None:
    organisation_deactivated.connect(
        _on_organisation_deactivated, dispatch_uid="cases.organisation_deactivated"
    )
    through = ProtectionNetwork.members.through
    m2m_changed.connect(_on_network_members_changed, sender=through, dispatch_uid="cases.left")
    m2m_changed.connect(_on_network_members_cleared, sender=through, dispatch_uid="cases.cleared")
    share_ended.connect(_on_share_ended, dispatch_uid="cases.share_ended")


def _member(user) -> bool:
    return user.organisation_id is not None


def register() -> None:
    _connect_signals()
    # Tasks: the organisation's list (Home shows the user's own slice of it).
    register_nav_item("cases:tasks", gettext_lazy("Tasks"), order=12, when=_member)
    _register_sections()
    _register_panels()
    _register_timeline()
    _register_parts()
    _register_purgers()
