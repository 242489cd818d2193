"""Scoped reads of the relocation app, one module per sub-domain (requests, visa, shelter,
capacity, grants, settings; referral: what the three referrals share). Import from the
module: ``from relocation.selectors.visa import visa_queue_for``."""
