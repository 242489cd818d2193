"""Logbooks REST API under /api/v1/ (router basenames prefixed ``logbook-``), one module per
sub-domain (``entries``, ``attachments``, ``actions``, ``inbox``; the nested case routes'
common ground in ``case_routes``):

- ``cases/<case>/entries/``: the case's current entries the user may see; POST logs one.
- ``entries/<id>/``: one entry (any version); ``correct/`` POSTs a new version;
  ``attachments/`` lists (GET) or uploads (POST, multipart ``file``) its documents.
- ``attachments/<id>/`` metadata, ``download/`` the decrypted bytes (audited).
- ``cases/<case>/actions/``: every organisation's actions on the case; POST records one.
- ``actions/``: joint actions the user's organisation takes part in; ``actions/<id>/``
  one action, with ``transition/``, ``invite/``, ``answer/``.
- ``inbox/``: shared entries of other organisations, with ``is_unread``; ``read-all/``.

Everything goes through the ``visible_to`` rules: another organisation's object is a 404.
"""
