"""Defenders and their cases, with the object permissions that sharing grants."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Q
from django.db.models.sql.where import WhereNode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_countries.fields import CountryField
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from hrdcase.fields import EncryptedTextField
from hrdcase.tenancy import TenantManager, TenantModel, TenantQuerySet, member_in_force
from hrdcase.text import validate_single_line

if TYPE_CHECKING:
    from accounts.models import User

# Longest free text accepted in an encrypted narrative field (a summary, a description):
# generous for prose, small enough that nobody stores a document in a text column.
NARRATIVE_MAX_LENGTH = 20_000
# Case.risk_override_reason is a TextField: its max_length binds forms, not the database.
OVERRIDE_REASON_MAX_LENGTH = 2000


#: the largest collective (a community, a union, a movement) a count may name: above is a typo.
MEMBER_COUNT_MAX = 1_000_000


class AreaOfWork(models.Model):
    """What the defender defends: journalist, lawyer, land rights, ... (a lookup table, so
    dashboards can group by it and the list can grow without a migration)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=100)

    class Meta:
        ordering = ["label"]
        verbose_name = _("area of work")
        verbose_name_plural = _("areas of work")

    def __str__(self) -> str:
        return str(_(self.label))


class ThreatType(models.Model):
    """Kinds of threat a case is about (judicial harassment, surveillance, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=100)

    class Meta:
        ordering = ["label"]
        verbose_name = _("threat type")
        verbose_name_plural = _("threat types")

    def __str__(self) -> str:
        return str(_(self.label))


# The initial lookup rows (vocabulary of ../domain reports), loaded by migration 0002; platform
# staff extend them in the admin. Labels are marked with ``gettext_noop`` so that makemessages
# collects them: the stored value stays English and pages translate it when shown.
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


class Defender(TenantModel):
    """A human rights defender: a person or a collective. Identity is encrypted; lists,
    notifications and partners without identity access use the case's pseudonym."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COLLECTIVE = "collective", _("Collective (community, organisation)")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        NON_BINARY = "non_binary", _("Non-binary")
        OTHER = "other", _("Other")
        UNDISCLOSED = "undisclosed", _("Prefers not to say")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    legal_name = EncryptedTextField(
        _("legal name"), max_length=300, validators=[validate_single_line]
    )
    other_names = EncryptedTextField(
        _("other names"),
        blank=True,
        max_length=1000,
        validators=[validate_single_line],
        help_text=_("Aliases, spellings, names used in the community."),
    )
    contact_channels = EncryptedTextField(
        _("contact channels"),
        blank=True,
        max_length=2000,
        help_text=_("How to reach the defender safely, e.g. the secure messenger they agreed to."),
    )
    location = EncryptedTextField(_("location"), blank=True, max_length=1000)
    notes = EncryptedTextField(_("notes"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    member_count = models.PositiveIntegerField(
        _("number of members"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MEMBER_COUNT_MAX)],
        help_text=_("For a collective."),
    )
    areas_of_work = models.ManyToManyField(AreaOfWork, blank=True, verbose_name=_("areas of work"))
    country = CountryField(_("country of activity"))
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    # Keyed, truncated HMAC of the normalised legal name within the country: lets hrdcase
    # say "another organisation perhaps follows this defender" without revealing who.
    name_index = models.CharField(max_length=16, db_index=True, editable=False)

    class Meta:
        verbose_name = _("defender")
        verbose_name_plural = _("defenders")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


RISK_ORDER = {"": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class ClosingReason(models.TextChoices):
    RISK_REDUCED = "risk_reduced", _("Risk reduced")
    RELOCATED = "relocated", _("Defender relocated")
    RELEASED = "released", _("Released from detention")
    REFERRED = "referred", _("Referred to another organisation")
    NO_CONTACT = "no_contact", _("Contact lost")
    DEFENDER_REQUEST = "defender_request", _("At the defender's request")
    DECEASED = "deceased", _("Defender deceased")
    OTHER = "other", _("Other")


class CaseQuerySet(TenantQuerySet):
    #: while nothing narrows ``visible_to(user)`` (no filter, no slice): its id union, so
    #: ``count()`` (every list's paginator) counts the ids alone instead of probing each
    #: case row (7 ms -> 1 ms for 2,000 cases). Own and shared ids never overlap: a case is
    #: never shared with its owner (cases.services.sharing.case_share refuses it).
    _count_ids: models.QuerySet | None = None
    #: while nothing narrows ``visible_to(user)``: its two halves (own cases, shared cases) as
    #: case querysets, so a slice (a list's page) reads only the first rows of each half
    #: (``_first_of_each_half``).
    _halves: tuple[models.QuerySet, models.QuerySet] | None = None

    #: set by ``with_listed_threats``: fetched cases get ``listed_threats``.
    _lists_threats: bool = False

    def _clone(self) -> Self:
        clone = super()._clone()
        clone._count_ids = self._count_ids
        clone._halves = self._halves
        clone._lists_threats = self._lists_threats
        return clone

    def with_listed_threats(self) -> Self:
        """Each fetched case carries its threat types as ``listed_threats`` (by label), read
        for the whole page in one query like a prefetch. Django's many-to-many prefetch
        built a queryset, a join and a model per pair: ~3 ms of a 50-case page for ~50
        pairs; this reads (case, code, label) rows and makes one model per threat type."""
        clone = self._chain()
        clone._lists_threats = True
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        cache = self._result_cache
        # model rows only (not values()), fetched now (not from the cache)
        if fresh and self._lists_threats and cache and isinstance(cache[0], Case):
            _attach_listed_threats(cache)

    def __getitem__(self, k):
        if isinstance(k, slice) and k.stop is not None and self._pages_by_halves():
            return self._first_of_each_half(k.stop)[k]
        return super().__getitem__(k)

    def _pages_by_halves(self) -> bool:
        """Whether a page may be read from the first rows of each half: PostgreSQL (SQLite
        cannot order or limit part of a compound query), the visible set as ``visible_to``
        made it, ordered by fields."""
        return (
            self._halves is not None
            and self._result_cache is None
            and self._counts_as_visible_ids()
            and bool(self.query.order_by)
            and all(isinstance(field, str) for field in self.query.order_by)
            and connections[self.db].features.supports_slicing_ordering_in_compound
        )

    def _first_of_each_half(self, stop: int) -> Self:
        """The same cases in the same order, for the first ``stop`` rows: those rows are among
        the first ``stop`` of one half or the other, so each half is sorted and cut before the
        union. The list read every visible case (2,000 for a busy officer) to keep 50: ~10 ms
        against ~5 (issue 24). ``pk`` last: ties fall the same way inside and outside."""
        assert self._halves is not None  # _pages_by_halves checked it
        order = [*self.query.order_by]
        order += [] if "pk" in order else ["pk"]
        own, shared = (half.order_by(*order).values("pk")[:stop] for half in self._halves)
        first = self._chain()
        first._halves = first._count_ids = None
        first.query.where = WhereNode()
        first.query.add_q(Q(pk__in=own.union(shared, all=True)))
        return first.order_by(*order)

    def count(self) -> int:
        if self._result_cache is None and self._counts_as_visible_ids():
            self._check_scope()
            return self._count_ids.count()
        return super().count()

    def _counts_as_visible_ids(self) -> bool:
        """True while the query still returns one row per visible case: ``visible_to``'s one
        condition, no slice, no grouping or DISTINCT (``values(...).annotate(...)`` counts
        groups), not emptied, not combined."""
        query = self.query
        return (
            self._count_ids is not None
            and len(query.where.children) == 1
            and not query.is_sliced
            and query.group_by is None
            and not query.distinct
            and not query.combinator
            and not query.is_empty()
        )

    def visible_to(
        self, user: User, *, where: Q | None = None, codename: str = "view_case"
    ) -> Self:
        """The one visibility rule: cases the user's organisation owns, and cases whose page
        a live share lets it open (``view_case`` granted to the organisation's group; a
        ``relocation`` share does not grant it). Lists, counts, search and side panels start
        here; the single-object helper (``cases.access.get_case_for``) applies the same rule
        to the one row it reads, and tests hold the two equal (tests/cases/test_case_list.py).

        ``where`` narrows the set inside each half of the id union (``ids_granted``), so
        each half reads its own index and only matching cases are fetched (the filtered case
        list: every visible case was probed for the filter before). ``codename``: a part
        every returned case must grant the user (``view_case_risk`` to filter by risk)."""
        if not member_in_force(user):
            return self.none()._mark_scoped()
        # built once for the id union and its two halves (each build costs ~0.4 ms)
        shared_ids = self.shared_ids(user, codename)
        ids = self.ids_granted(user, codename, where=where, shared_ids=shared_ids)
        visible = self.filter(pk__in=ids)._mark_scoped()
        if not self.query.where:  # nothing narrowed the set before: the union is its count
            visible._count_ids = ids
            visible._halves = self._halves_granted(user, shared_ids, where=where)
        return visible

    def _halves_granted(
        self, user: User, shared_ids: models.QuerySet, *, where: Q | None
    ) -> tuple[models.QuerySet, models.QuerySet]:
        """``ids_granted``'s two halves as case querysets (to sort and cut each)."""
        base = self.model._base_manager
        own = base.filter(organisation_id=user.organisation_id)
        shared = base.filter(pk__in=shared_ids)
        if where is not None:
            own, shared = own.filter(where), shared.filter(where)
        return own, shared

    def visible_ids(self, user: User) -> models.QuerySet:
        """The ids of the cases ``visible_to(user)``, as a subquery for other apps' rules
        (``case_id__in=Case.objects.visible_ids(user)``): the same set, without a second
        pass over the case table. Only for an authenticated, active member (``visible_to``
        checks that first)."""
        return self.ids_granted(user, "view_case")

    def ids_granted(
        self,
        user: User,
        codename: str,
        *,
        where: Q | None = None,
        shared_ids: models.QuerySet | None = None,
    ) -> models.QuerySet:
        """The ids of the cases whose part ``codename`` the user's organisation may see: its
        own cases (owners see every part) UNION ALL the cases a share granted it that part
        (``view_case``: the case itself; ``view_case_identity``: the full file, alerts...).
        The two never overlap: a case is never shared with its owner.

        One set of ids from two indexed lookups (own cases by organisation, shared ones by
        the partner group's direct-FK permission rows), not "owner OR EXISTS(...)" row by
        row: at 100,000 cases PostgreSQL costed the OR form so high that it JIT-compiled
        every list query (~0.6 s) and expected half the table (docs/performance.md)."""
        base = self.model._base_manager
        own = base.filter(organisation_id=user.organisation_id).order_by().values("pk")
        shared = self.shared_ids(user, codename) if shared_ids is None else shared_ids
        if where is not None:  # only the matching cases of each half
            own = own.filter(where)
            shared = base.filter(where, pk__in=shared).order_by().values("pk")
        return own.union(shared, all=True)

    def shared_ids(self, user: User, codename: str) -> models.QuerySet:
        """The partner half of ``ids_granted``: ids of other organisations' cases whose part
        ``codename`` a share granted the user's organisation (its group's direct-FK
        permission rows). For rows that carry the owner themselves (alerts), which find
        their own half by their ``organisation`` index."""
        from cases.models.sharing import CaseShare

        # A share past its expiry opens nothing, even before the beat sweep removes its
        # permission rows (DESIGN.md, "When access ends"): the partner's lapsed shares are
        # few (a minute's worth at most), so excluding them costs one small index read.
        lapsed = (
            CaseShare.objects.unscoped()
            .lapsed()
            .filter(partner_id=user.organisation_id)
            .values("case_id")
        )
        return (
            CaseGroupObjectPermission.objects.filter(
                group_id=user.organisation.group_id, permission__codename=codename
            )
            .exclude(content_object_id__in=lapsed)
            .order_by()
            .values("content_object_id")
        )


def _attach_listed_threats(cases: list[Case]) -> None:
    rows = (
        Case.threat_types.through.objects.filter(case_id__in=[case.pk for case in cases])
        .order_by("threattype__label", "threattype_id")
        .values_list("case_id", "threattype_id", "threattype__code", "threattype__label")
    )
    types: dict[int, ThreatType] = {}
    by_case: dict = {}
    for case_id, type_id, code, label in rows:
        threat = types.get(type_id)
        if threat is None:
            threat = types[type_id] = ThreatType(id=type_id, code=code, label=label)
        by_case.setdefault(case_id, []).append(threat)
    for case in cases:
        case.listed_threats = by_case.get(case.pk, [])


#: what the case list's search and sort read of a case (the covering indexes below).
CASE_LIST_COLUMNS = ["reference", "pseudonym", "opened_on", "created_at", "updated_at"]


class Case(TenantModel):
    """A protection case of one defender, owned by one organisation."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MONITORING = "monitoring", _("Monitoring")
        CLOSED = "closed", _("Closed")

    defender = models.ForeignKey(
        Defender, on_delete=models.PROTECT, related_name="cases", verbose_name=_("defender")
    )
    reference = models.CharField(_("reference"), max_length=40, editable=False)
    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=80,
        # It goes into e-mail subjects and lists: one line, nothing invisible (hrdcase.text).
        validators=[validate_single_line],
        help_text=_(
            "Shown in lists, notifications and to partners without identity access. "
            "Never the real name."
        ),
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead officer"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    closing_reason = models.CharField(
        _("closing reason"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The level in force: the latest assessment's, unless an officer overrode it (with a reason).
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    risk_assessed_level = models.CharField(
        max_length=10, choices=RiskLevel.choices, blank=True, editable=False
    )
    # The latest assessment's next review date, kept beside its level (cases.services.case
    # .case_set_risk): Home, the dashboard and the reminders find the cases due for review by
    # an index, not by reading every case's latest assessment.
    risk_review_on = models.DateField(_("next risk review"), null=True, blank=True, editable=False)
    risk_override_reason = models.TextField(
        _("reason for overriding the assessed risk"),
        blank=True,
        max_length=OVERRIDE_REASON_MAX_LENGTH,
    )
    threat_types = models.ManyToManyField(ThreatType, blank=True, verbose_name=_("threat types"))
    summary = EncryptedTextField(_("summary"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    purged_at = models.DateTimeField(_("purged"), null=True, blank=True, editable=False)

    objects = TenantManager.from_queryset(CaseQuerySet)()

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="case_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False, closing_reason__gt="")
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="case_closed_has_date_and_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "status", "-opened_on"], name="case_org_status_opened"
            ),
            # Read from the index alone (docs/performance.md, round 3): an organisation's own
            # case ids (``visible_ids``, under every visibility rule) and the network
            # dashboard's open cases by member, status and risk, with their defender.
            models.Index(
                fields=["organisation", "status", "risk_level", "defender", "id"],
                name="case_org_cover",
            ),
            # Cases opened per month in a period (dashboards).
            models.Index(fields=["organisation", "opened_on"], name="case_org_opened"),
            # The case list's search (a reference or pseudonym typed in) and its sort, read
            # from the index alone: every case of the organisation (own half) or every case
            # shared with it (the shared half, by id) without a visit to the table. The
            # search went from ~10 ms of SQL to ~5 at scale 1.0 (docs/performance.md,
            # session 10). PostgreSQL only: SQLite has no INCLUDE and gets plain indexes.
            models.Index(
                fields=["organisation"],
                include=[*CASE_LIST_COLUMNS, "id"],
                name="case_org_list_cover",
            ),
            models.Index(fields=["id"], include=CASE_LIST_COLUMNS, name="case_id_list_cover"),
            # The organisation's cases due for a risk review (Home, the dashboard).
            models.Index(fields=["organisation", "risk_review_on"], name="case_org_review"),
        ]
        # Granted per case to a partner organisation's group by its share level.
        permissions = [
            ("view_case_identity", _("Can see the defender's identity")),
            ("view_case_risk", _("Can see risk assessments")),
            ("add_shared_entry", _("Can add entries shared with the owner")),
            ("add_case_referral", _("Can add relocation referrals")),
            ("view_case_referrals", _("Can see referrals addressed to the organisation")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.pseudonym}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def risk_overridden(self) -> bool:
        return bool(self.risk_override_reason)


class CaseUserObjectPermission(UserObjectPermissionBase):
    """guardian's direct foreign-key table: "who may do what with this case" is an indexed
    join, not a generic-FK text match."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
        indexes = [
            models.Index(
                fields=["content_object", "group", "permission"], name="case_group_perm_lookup"
            ),
        ]


class CaseCounter(models.Model):
    """The last case number an organisation used in a year (references like NLD-2026-0042)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}: {self.last}"
