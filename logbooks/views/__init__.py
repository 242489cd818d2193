"""Logbook and diplomatic-action pages, one module per sub-domain (``entries``,
``attachments``, ``actions``, ``inbox``, ``export``). Thin: open the case or the object
through its ``visible_to`` rule (404 for anything else), check the right
(``logbooks.access``), call a selector or a service, render."""

#: rows per page of the logbook, the actions and the inbox.
PAGE_SIZE = 50
