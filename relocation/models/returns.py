"""The return plan: what is set up on the case when the defender's stay ends or the
defender's return home is recorded (issue 20, item 5).

One plan per relocation request (``request`` is one-to-one: the plan is created once, by
whichever trigger comes first). It belongs to the requesting organisation (``organisation``),
like the request, and records what was set up: the check-in schedule of the first weeks
(alerts' check-ins, on the case's owner), the risk review due date and the follow-up task."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import TenantModel
from relocation.models.requests import RelocationRequest

#: check-ins every this many hours for the first weeks after the return.
RETURN_CHECK_IN_HOURS = 72
#: for this many weeks after the return.
RETURN_CHECK_IN_WEEKS = 6
#: the risk review is due this many days after the return.
RETURN_RISK_REVIEW_DAYS = 14
#: the follow-up task is due this many days after the return.
RETURN_FOLLOW_UP_DAYS = 7
#: a granted visa's validity is reminded this many days before it lapses.
VISA_VALIDITY_REMINDER_DAYS = 30


class ReturnPlan(TenantModel):
    """What was set up on the case after the defender's stay or return."""

    class Trigger(models.TextChoices):
        STAY_ENDED = "stay_ended", _("The stay ended")
        DEPARTURE = "departure", _("Departure recorded")
        RETURN = "return", _("Return home recorded")

    request = models.OneToOneField(
        RelocationRequest, on_delete=models.CASCADE, related_name="return_plan", editable=False
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", editable=False
    )
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices, editable=False)
    returned_on = models.DateField(_("returned on"), editable=False)
    check_ins_until = models.DateField(_("check-ins until"), null=True, blank=True, editable=False)
    check_in_hours = models.PositiveSmallIntegerField(
        _("check-in every (hours)"), null=True, blank=True, editable=False
    )
    risk_review_due = models.DateField(_("risk review due"), editable=False)
    follow_up_due = models.DateField(_("follow-up due"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-returned_on", "-created_at"]
        indexes = [
            models.Index(fields=["case", "risk_review_due"], name="return_plan_case_review"),
        ]

    def __str__(self) -> str:
        return f"return plan {self.request_id}"
