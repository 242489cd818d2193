"""API representations of the relocation app, one module per sub-domain (requests, visa,
shelter, grants; referral: what the referrals share). Each addressee serializer carries what
its decision needs, only: the pseudonym, never the case's identity, summary, risk or logbook."""
