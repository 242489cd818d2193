"""Writes to the case file, one module per part. Import from the module:
``from cases.services.case import case_register``."""
