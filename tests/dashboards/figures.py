"""Every figure of a network's dashboard, in the page's order, computed without the cache
(the page reads them through ``dashboards.caching``: today's open cases, then the period's)."""

from __future__ import annotations

from dashboards.figures import Figure
from dashboards.network import network_members, open_case_figures, period_figures
from dashboards.periods import Period


def network_figures(network, period: Period) -> list[Figure]:
    members = network_members(network)
    return open_case_figures(members) + period_figures(members, period)
