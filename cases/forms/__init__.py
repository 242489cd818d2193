"""Forms of the case file, one module per part (the same names as ``cases/models/``): they
validate input and the views hand it to the services."""
