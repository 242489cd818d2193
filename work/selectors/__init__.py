"""Reads of the work app, one module per sub-domain: ``home`` (the work queue's sources),
``calendar`` (the dated events of the calendar and its feed) and ``feed`` (a feed by its
token). Import from the module: ``from work.selectors.home import work_queue``."""
