from dashboards.suppression import SUPPRESSED, suppress, suppress_measure


def test_it_shows_a_count_of_three_as_less_than_five():
    cells, _total = suppress([("Colombia", 12), ("Peru", 3), ("Ecuador", 9)])
    assert [c.shown for c in cells][1] == SUPPRESSED


def test_it_hides_a_second_cell_so_the_total_cannot_give_the_first_back():
    cells, total = suppress([("Colombia", 12), ("Peru", 3), ("Ecuador", 9)])
    shown = {c.label: c.shown for c in cells}
    assert shown == {"Colombia": "12", "Peru": SUPPRESSED, "Ecuador": SUPPRESSED}
    assert total == "24"


def test_it_hides_the_total_when_no_other_cell_can_be_hidden():
    cells, total = suppress([("Colombia", 0), ("Peru", 3)])
    assert [c.shown for c in cells] == ["0", SUPPRESSED]
    assert total == SUPPRESSED


def test_it_leaves_two_suppressed_cells_and_the_total_alone():
    cells, total = suppress([("A", 2), ("B", 4), ("C", 30)])
    assert [c.shown for c in cells] == [SUPPRESSED, SUPPRESSED, "30"]
    assert total == "36"


def test_it_shows_zeros_and_large_counts():
    cells, total = suppress([("A", 0), ("B", 5), ("C", 6)])
    assert [c.shown for c in cells] == ["0", "5", "6"]
    assert total == "11"


def test_it_hides_a_median_computed_from_fewer_than_five_events():
    assert suppress_measure(42.0, basis=4, unit=" min") == SUPPRESSED
    assert suppress_measure(42.0, basis=5, unit=" min") == "42 min"
    assert suppress_measure(None, basis=0) == "—"
