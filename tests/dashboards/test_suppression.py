"""The suppression rules on their own: a member's values, a year's tree, what is shown."""

from dashboards.periods import MONTH, QUARTER, YEAR
from dashboards.suppression import (
    Published,
    protect_breakdown,
    protect_year,
    published_rate,
    suppress_measure,
    suppressed,
    total,
)


def _shown(cells: dict) -> dict:
    return {key: count.shown for key, count in cells.items()}


def test_it_hides_a_count_of_three_and_the_next_smallest_beside_it():
    """The member's total (its open cases) is shown elsewhere: with only Peru hidden,
    total minus the others would give Peru back."""
    cells = protect_breakdown({"CO": 12, "PE": 3, "EC": 9})
    assert _shown(cells) == {"CO": "12", "PE": "≥ 1", "EC": "≥ 1"}


def test_it_hides_nothing_more_when_two_are_already_hidden():
    assert _shown(protect_breakdown({"A": 2, "B": 4, "C": 30})) == {
        "A": "≥ 1",
        "B": "≥ 1",
        "C": "30",
    }


def test_it_shows_zeros_and_counts_of_five_and_more():
    assert _shown(protect_breakdown({"A": 0, "B": 5, "C": 6})) == {"A": "0", "B": "5", "C": "6"}


def test_a_sum_shows_its_published_part_and_at_least_one_per_hidden_value():
    cells = [Published(7), Published.of(3, hidden=True), Published.of(9, hidden=True)]
    assert total(cells).shown == "≥ 9"
    assert total([Published(7), Published(0)]).shown == "7"


def test_a_year_hides_a_lone_small_month_with_another_month_of_its_quarter():
    # January 6, February 7, March 3: March alone hidden would be Q1 - January - February.
    tree = protect_year([6, 7, 3] + [0] * 9)
    assert tree[(MONTH, 3)].shown == "≥ 1"
    assert tree[(MONTH, 1)].shown == "≥ 1"  # the smaller of the other two
    assert tree[(MONTH, 2)].shown == "7"
    assert tree[(QUARTER, 1)].shown == "16"
    assert tree[(YEAR, 0)].shown == "16"


def test_a_year_hides_its_total_when_a_small_quarter_has_no_other_to_hide_with():
    # Only April has anything: April = Q2 = the year; all three are hidden.
    tree = protect_year([0, 0, 0, 4] + [0] * 8)
    assert {node for node, count in tree.items() if not count.exact} == {
        (MONTH, 4),
        (QUARTER, 2),
        (YEAR, 0),
    }


def test_a_year_protects_guest_days_by_the_stays_they_rest_on():
    """Ninety guest-days of one stay are hidden however many days they are."""
    months = [0, 0, 31, 30, 29] + [0] * 7
    one_stay = {node: 1 for node in protect_year(months)}
    one_stay.update({(MONTH, m): 0 for m in (1, 2, 6, 7, 8, 9, 10, 11, 12)})
    one_stay.update({(QUARTER, 3): 0, (QUARTER, 4): 0})
    tree = protect_year(months, one_stay)
    assert all(not tree[node].exact for node in tree if one_stay[node])


def test_it_hides_a_median_computed_from_fewer_than_five_events():
    assert suppress_measure(42.0, basis=4, unit=" min") == suppressed()
    assert suppress_measure(42.0, basis=5, unit=" min") == "42 min"
    assert suppress_measure(None, basis=0) == "—"


def test_a_rate_is_computed_from_published_counts_only():
    assert published_rate(Published(6), Published(11)) == "55 %"
    # 10 of 13 within the deadline, the 3 late ones hidden: "77 %" would give the 3 back.
    assert (
        published_rate(Published(10), Published(10) + Published.of(3, hidden=True))
        == "hidden (fewer than 5)"
    )
    assert published_rate(Published(0), Published(0)) == "—"
