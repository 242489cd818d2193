"""Reads of the logbooks app, one module per sub-domain (``entries``, ``attachments``,
``actions``, ``inbox``), all built on the ``visible_to`` rules of ``logbooks.models``."""
