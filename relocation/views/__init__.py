"""Relocation pages, one module per sub-domain (requests, visa, shelter, capacity, grants,
settings; referral: what the referral pages share). Thin: scoped lookup -> service/selector ->
template.

Every object page loads through a scoped selector and ``get_object_for``: another
organisation's object (or one that does not exist) is a 404. The addressee of a referral
(mission, city, grantor) sees the referral page only, never the case."""
