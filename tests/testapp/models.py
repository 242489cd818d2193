"""Models that exercise hrdcase primitives in tests."""
