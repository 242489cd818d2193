"""Reads of the case file, one module per part (the same names as ``cases/models/`` and
``cases/services/``). Import from the module: ``from cases.selectors.case import
case_list_for``."""
