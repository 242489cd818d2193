"""Incidents that happened to the defender (an arbitrary detention has its record and plan
in ``cases.models.detention``).

Incidents and detention are part of the *full file*: the owner organisation and partners
holding a ``full`` share see them; a ``feedback`` partner does not (it sees pseudonym,
status and shared entries only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.case import NARRATIVE_MAX_LENGTH
from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantModel


class Incident(TenantModel):
    """Something done to the defender (or their family, organisation, community)."""

    class Type(models.TextChoices):
        THREAT = "threat", _("Threat")
        PHYSICAL_ATTACK = "physical_attack", _("Physical attack")
        ARBITRARY_DETENTION = "arbitrary_detention", _("Arbitrary detention")
        JUDICIAL_HARASSMENT = "judicial_harassment", _("Judicial harassment / SLAPP")
        SURVEILLANCE = "surveillance", _("Surveillance / spyware")
        SMEAR_CAMPAIGN = "smear_campaign", _("Smear campaign")
        TRAVEL_BAN = "travel_ban", _("Travel ban or document confiscation")
        ASSET_FREEZE = "asset_freeze", _("Asset freeze")
        FAMILY_REPRISAL = "family_reprisal", _("Reprisal against family")
        TRANSNATIONAL_REPRESSION = "transnational_repression", _("Transnational repression")

    class Perpetrator(models.TextChoices):
        STATE = "state", _("State")
        NON_STATE_ARMED_GROUP = "non_state_armed_group", _("Non-state armed group")
        COMPANY = "company", _("Company")
        UNKNOWN = "unknown", _("Unknown")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="incidents", verbose_name=_("case")
    )
    occurred_on = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    perpetrator = models.CharField(_("perpetrator"), max_length=30, choices=Perpetrator.choices)
    place = EncryptedTextField(_("place"), blank=True, max_length=300)
    description = EncryptedTextField(_("description"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["case", "-occurred_on"], name="incident_case_date")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.occurred_on:%Y-%m-%d})"

    @property
    def is_detention(self) -> bool:
        return self.type == self.Type.ARBITRARY_DETENTION
