"""Forms of the relocation pages, one module per sub-domain (requests, visa, shelter,
capacity, grants, settings; referral: what the referral pages share). They validate input;
the views hand it to the services."""
