"""Writes of the logbooks app, one module per sub-domain (the same names as its selectors,
views, API, forms, serializers and tests): ``entries`` and their corrections,
``attachments``, ``actions`` (diplomatic actions and joint-action invitations), ``inbox``
(partners' entries read), ``benchmarks`` (what an entry or an action marks done) and
``retention`` (the purge of a case).

Every function validates first and raises ``ValidationError({field: message})`` before it
writes anything, so a refused request leaves no row behind (and runs in one transaction).
Each checks the acting user's right itself (``logbooks.access``), whatever the caller did.
"""
