"""Alerts API under /api/v1/, one module per sub-domain (``alerts``, ``notifications``,
``policy``):

- ``GET  alerts/``                   alerts visible to the user (open first; ``?status=``)
- ``POST alerts/``                   raise one: ``{case, kind, severity, message}``
- ``GET  alerts/<id>/``              one alert, with its (decrypted) message
- ``POST alerts/<id>/acknowledge/``  stop the escalation (409 if already acknowledged)
- ``POST alerts/<id>/resolve/``      ``{note}``; owner organisation's writers (409 if resolved)
- ``GET  notifications/``            the user's own notifications (``?unread=1``)
- ``POST notifications/<id>/read/``  mark one read
- ``POST notifications/read-all/``   mark all read
- ``GET  escalation-steps/``          the organisation's escalation policy, in order
- ``POST escalation-steps/``          add a step ``{after_minutes, target, role, network}`` (admins)
- ``DELETE escalation-steps/<id>/``   remove a step (admins)
- ``POST escalation-steps/reset/``    back to the default steps (admins)

Alerts are visible to the owner organisation and ``full`` partners; anyone else gets 404.
Viewers read; writes need an officer or administrator (403).
"""
