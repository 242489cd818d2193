"""Relocation API under /api/v1/: the same services and scoping as the pages, one module per
sub-domain (requests, visa, shelter, grants; referral: what the referral viewsets share).

- ``relocation-requests``: list/create/retrieve, ``POST .../transition/`` (409 + ``allowed``).
- ``relocation-visas``: list (``?side=queue`` for the mission's queue), create, retrieve,
  ``decide``, ``withdraw``.
- ``relocation-stays``: list, create, retrieve, ``answer``, ``confirm``, ``hosting``,
  ``complete``, ``withdraw``.
- ``relocation-grants``: list, create, retrieve, ``decide``, ``disburse``.

Another organisation's object is a 404; bad input a 400 naming the field. A read-only role's
write is refused before the view runs (``hrdcase.api.RolePermission``: 403).
"""
