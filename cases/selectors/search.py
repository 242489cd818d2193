"""Reads of search (issue 23, item 3): the header box's matches, a user's saved filters.

A defender's legal name is found through the blind index, and only among the cases whose
identity the user may see (owner, ``full`` partners): a feedback partner who typed a name and
got a pseudonym back would learn who the pseudonym is. The index is truncated on purpose
(unrelated names collide: hrdcase.crypto.blind_index), so every candidate's decrypted name is
compared with what was typed before it is shown: exact, as the normalised name."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db.models import Q, QuerySet
from django_countries import countries

from cases.access import NEED_IDENTITY
from cases.models import Case, SavedCaseFilter
from cases.selectors.case import CaseFilters, case_list_for
from hrdcase import crypto

if TYPE_CHECKING:
    from accounts.models import Organisation, User

#: matches shown per kind (reference or pseudonym; legal name) in the header's search.
SEARCH_LIMIT = 25


def cases_by_reference_or_pseudonym(user: User, term: str) -> list[Case]:
    return list(case_list_for(user, CaseFilters(q=term))[:SEARCH_LIMIT])


def cases_by_legal_name(user: User, term: str) -> list[Case]:
    """Cases whose defender's legal name is ``term`` (normalised: case, accents, word order
    and punctuation do not matter), among those whose identity the user may see. One query
    for the candidates (the index under each country's scope), then each one's name
    decrypted and compared."""
    wanted = crypto.normalise_name(term)
    if not wanted:
        return []
    scopes = ["", *(code for code, _name in countries)]
    indexes = {crypto.blind_index(term, scope=scope) for scope in scopes}
    candidates = (
        Case.objects.visible_to(
            user, where=Q(defender__name_index__in=indexes), codename=NEED_IDENTITY
        )
        .select_related("defender")
        .order_by("-opened_on", "-created_at")[: SEARCH_LIMIT * 4]
    )
    return [
        case for case in candidates if crypto.normalise_name(case.defender.legal_name) == wanted
    ][:SEARCH_LIMIT]


def saved_filters_of(user: User) -> QuerySet[SavedCaseFilter]:
    # callers ask member_in_force first: the user has an organisation.
    return SavedCaseFilter.objects.owned_by(cast("Organisation", user.organisation)).filter(
        user=user
    )
