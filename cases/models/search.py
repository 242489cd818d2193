"""A user's saved filters of the case list (issue 23, item 3): a name and the list's query
string, the user's own (colleagues keep theirs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrdcase.tenancy import TenantModel
from hrdcase.text import validate_single_line

#: saved filters per user, at most.
SAVED_FILTERS_MAX = 20


SAVED_FILTER_NAME_MAX_LENGTH = 80


class SavedCaseFilter(TenantModel):
    """``query``: the case list's parameters as the filter form cleaned them (no page, no
    unknown parameter), so opening it gives the same list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    name = models.CharField(
        _("name"), max_length=SAVED_FILTER_NAME_MAX_LENGTH, validators=[validate_single_line]
    )
    query = models.CharField(max_length=500, editable=False)

    class Meta:
        ordering = ["name", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name
