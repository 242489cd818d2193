"""Forms of the logbooks pages, one module per sub-domain (``entries``, ``attachments``,
``actions``, ``export``): they check shape; the services check the rules."""
