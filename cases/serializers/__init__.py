"""API shapes of the case file, one module per part (the same names as ``cases/models/``)."""
