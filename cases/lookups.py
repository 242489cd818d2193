"""The initial lookup rows (vocabulary of ../domain reports). Loaded by a data migration;
platform staff extend them in the admin."""

AREAS_OF_WORK = [
    ("journalist", "Journalist or media worker"),
    ("lawyer", "Lawyer or legal defender"),
    ("environment_land", "Environmental and land rights"),
    ("indigenous", "Indigenous peoples' rights"),
    ("lgbtiq", "LGBTIQ+ rights"),
    ("women_hrd", "Women human rights defender"),
    ("trade_union", "Trade unionist or labour rights"),
    ("anti_corruption", "Anti-corruption"),
    ("religious_freedom", "Freedom of religion or belief"),
    ("political", "Political participation and democracy"),
    ("victims_rights", "Victims' rights and transitional justice"),
    ("health", "Right to health, sexual and reproductive rights"),
    ("digital_rights", "Digital rights"),
    ("artist", "Artist or cultural worker"),
    ("student", "Student or academic"),
]

THREAT_TYPES = [
    ("threats", "Threats and intimidation"),
    ("physical_attack", "Physical attack"),
    ("detention", "Arbitrary detention"),
    ("judicial", "Judicial harassment / SLAPP"),
    ("surveillance", "Surveillance / spyware"),
    ("smear", "Smear campaign / stigmatisation"),
    ("travel_ban", "Travel ban or document confiscation"),
    ("asset_freeze", "Asset freeze"),
    ("family_reprisal", "Reprisal against family"),
    ("transnational", "Transnational repression"),
    ("killing_attempt", "Attempted killing"),
    ("eviction", "Forced eviction"),
]
