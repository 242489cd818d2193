"""The initial lookup rows (vocabulary of ../domain reports). Loaded by a data migration;
platform staff extend them in the admin. Labels are marked with ``gettext_noop`` so that
makemessages collects them: the stored value stays English and pages translate it when shown."""

from django.utils.translation import gettext_noop

AREAS_OF_WORK = [
    ("journalist", gettext_noop("Journalist or media worker")),
    ("lawyer", gettext_noop("Lawyer or legal defender")),
    ("environment_land", gettext_noop("Environmental and land rights")),
    ("indigenous", gettext_noop("Indigenous peoples' rights")),
    ("lgbtiq", gettext_noop("LGBTIQ+ rights")),
    ("women_hrd", gettext_noop("Women human rights defender")),
    ("trade_union", gettext_noop("Trade unionist or labour rights")),
    ("anti_corruption", gettext_noop("Anti-corruption")),
    ("religious_freedom", gettext_noop("Freedom of religion or belief")),
    ("political", gettext_noop("Political participation and democracy")),
    ("victims_rights", gettext_noop("Victims' rights and transitional justice")),
    ("health", gettext_noop("Right to health, sexual and reproductive rights")),
    ("digital_rights", gettext_noop("Digital rights")),
    ("artist", gettext_noop("Artist or cultural worker")),
    ("student", gettext_noop("Student or academic")),
]

THREAT_TYPES = [
    ("threats", gettext_noop("Threats and intimidation")),
    ("physical_attack", gettext_noop("Physical attack")),
    ("detention", gettext_noop("Arbitrary detention")),
    ("judicial", gettext_noop("Judicial harassment / SLAPP")),
    ("surveillance", gettext_noop("Surveillance / spyware")),
    ("smear", gettext_noop("Smear campaign / stigmatisation")),
    ("travel_ban", gettext_noop("Travel ban or document confiscation")),
    ("asset_freeze", gettext_noop("Asset freeze")),
    ("family_reprisal", gettext_noop("Reprisal against family")),
    ("transnational", gettext_noop("Transnational repression")),
    ("killing_attempt", gettext_noop("Attempted killing")),
    ("eviction", gettext_noop("Forced eviction")),
]
