from tests.logbooks.factories import case  # noqa: F401  (fixture)
