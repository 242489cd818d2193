"""Alert pages, one module per sub-domain (``alerts``: raise, the alert with its history,
acknowledge and resolve, the organisation's alerts; ``notifications``: the notification
centre and the menu badge; ``policy``: the escalation policy; ``checkins``: the check-ins of
a case). Thin: access check -> service/selector -> template."""

#: rows per page of the alert list and the notification centre.
PAGE_SIZE = 50
