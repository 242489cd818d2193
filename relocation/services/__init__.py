"""Writes of the relocation app, one module per sub-domain (requests, visa, shelter,
capacity, grants, settings; referral: the life cycle the three referrals share; access: the
checks every write repeats). Views and serializers validate input and call these. Import
from the module: ``from relocation.services.visa import visa_decide``.

Rules:
- Bad input raises ``ValidationError({field: message})`` before anything is written.
- A step the object's state does not allow raises ``StateConflict`` with the allowed ones.
- A user of the wrong side (the addressee trying the requester's step, or the reverse)
  raises ``PermissionDenied``: both sides can see the object, so a 403 leaks nothing.
- Every decision, transition and identity reveal is audited; every accept, waitlist,
  decline, decision and cancellation notifies the other side (``alerts.services.notify``).
"""
