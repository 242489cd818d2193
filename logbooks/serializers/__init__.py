"""REST shapes of the logbooks API, one module per sub-domain (``entries``, ``attachments``,
``actions``, ``inbox``). Input serializers check shape; the services check rules."""
