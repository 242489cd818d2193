"""HTML views of the case file, one module per part."""
