"""The centre's streets (issue 19.3): read from GUS's official register TERYT ULIC or entered by
hand, and the parts of them each region (RPŚ) serves – a whole street, or its odd or even numbers,
or a range of numbers where a street is split between regions. Intake routes a report by them
(``streets.selectors.region_for_address``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mopr.text import fold

# The kinds of street TERYT names in CECHA; a typed address may begin with them or their long forms
# ("ul. Szeroka", "ulica Szeroka", "Szeroka" are one street).
CECHY = {
    "ul": "ulica", "al": "aleja", "pl": "plac", "os": "osiedle", "rondo": "rondo", "skwer": "skwer",
    "park": "park", "rynek": "rynek", "szosa": "szosa", "droga": "droga", "bulw": "bulwar",
    "wyb": "wybrzeże", "ogród": "ogród", "wyspa": "wyspa", "inne": "inne",
}  # fmt: skip


def _folded(text: str) -> str:
    """Folded, a dot followed by a space ("ul.Szeroka" = "ul. Szeroka")."""
    return " ".join(fold(text).replace(".", ". ").split())


_KINDS = {fold(k) for k in CECHY} | {fold(v) for v in CECHY.values()} | {"aleje"}


def street_keys(typed: str) -> list[str]:
    """What a typed street may be, folded, the likelier first: as typed, then without a leading
    kind of street ("ul. Mikołaja Kopernika" → "ul. mikolaja kopernika", "mikolaja kopernika").
    As typed first: TERYT spells some kinds into the name itself ("ul. Szosa Chełmińska")."""
    words = _folded(typed).split()
    keys = [" ".join(words)] if words else []
    if len(words) > 1 and words[0].rstrip(".") in _KINDS:
        keys.append(" ".join(words[1:]))
    return keys


class Street(models.Model):
    """A street of the centre's municipality. From TERYT ULIC it carries the register's codes (a
    street is the pair SYM – the locality – and SYM_UL); one entered by hand has none."""

    institution = models.ForeignKey("mopr.Institution", on_delete=models.PROTECT, related_name="streets")
    woj = models.CharField(_("województwo (WOJ)"), max_length=2, blank=True)
    pow = models.CharField(_("powiat (POW)"), max_length=2, blank=True)
    gmi = models.CharField(_("gmina (GMI)"), max_length=2, blank=True)
    rodz_gmi = models.CharField(_("rodzaj gminy (RODZ_GMI)"), max_length=1, blank=True)
    sym = models.CharField(_("miejscowość (SYM)"), max_length=7, blank=True)
    sym_ul = models.CharField(_("ulica (SYM_UL)"), max_length=5, blank=True)
    cecha = models.CharField(_("cecha"), max_length=10, blank=True, help_text=_("ul., al., pl., …"))
    nazwa_1 = models.CharField(_("nazwa"), max_length=100)
    nazwa_2 = models.CharField(_("pierwsza część nazwy"), max_length=100, blank=True, help_text=_("Np. „Mikołaja”."))
    # The register's date (STAN_NA) of the file that last set this name.
    stan_na = models.DateField(_("stan na"), null=True, blank=True)
    # Gone from the newest file while a region still names it: kept (and shown) until the ranges go.
    in_teryt = models.BooleanField(_("w aktualnym TERYT"), default=True)
    # Folded: nazwa_1 alone ("kopernika") and the whole name ("mikolaja kopernika").
    key = models.CharField(max_length=100, editable=False, db_index=True)
    full_key = models.CharField(max_length=201, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ulica")
        verbose_name_plural = _("ulice")
        ordering = ["key", "full_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "sym", "sym_ul"], condition=~Q(sym_ul=""), name="street_teryt_unique"
            ),
            models.UniqueConstraint(
                fields=["institution", "full_key"], condition=Q(sym_ul=""), name="street_by_hand_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.set_keys()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """As GUS prints it: CECHA NAZWA_2 NAZWA_1 ("ul. Mikołaja Kopernika")."""
        return " ".join(part for part in (self.cecha, self.nazwa_2, self.nazwa_1) if part)

    @property
    def by_hand(self) -> bool:
        return not self.sym_ul

    def set_keys(self) -> None:
        self.key = _folded(self.nazwa_1)[:100]
        self.full_key = _folded(f"{self.nazwa_2} {self.nazwa_1}")[:201]


class StreetRange(models.Model):
    """The part of a street a region serves: the whole street, its odd or even numbers, or numbers
    from – to (either end open). Two ranges of one street never share a number (``streets.services``
    checks under the street's lock; the database holds the whole-street cases)."""

    class Parity(models.TextChoices):
        ALL = "all", _("wszystkie numery")
        ODD = "odd", _("numery nieparzyste")
        EVEN = "even", _("numery parzyste")

    region = models.ForeignKey("mopr.Region", on_delete=models.PROTECT, related_name="street_ranges")
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="ranges")
    parity = models.CharField(_("numery"), max_length=4, choices=Parity.choices, default=Parity.ALL)
    number_from = models.PositiveIntegerField(_("od numeru"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("do numeru"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zakres ulicy rejonu")
        verbose_name_plural = _("zakresy ulic rejonów")
        ordering = ["street__key", "number_from", "parity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_from__isnull=True) | Q(number_to__isnull=True) | Q(number_from__lte=F("number_to")),
                name="street_range_from_to",
            ),
            models.CheckConstraint(
                condition=Q(number_from__isnull=True) | Q(number_from__gte=1), name="street_range_from_positive"
            ),
            # The whole street once; and all its odd (or even) numbers once.
            models.UniqueConstraint(
                fields=["street"],
                condition=Q(parity="all", number_from__isnull=True, number_to__isnull=True),
                name="street_range_whole_once",
            ),
            models.UniqueConstraint(
                fields=["street", "parity"],
                condition=Q(number_from__isnull=True, number_to__isnull=True),
                name="street_range_parity_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street.display_name}: {self.numbers_label}"

    @property
    def whole(self) -> bool:
        return self.parity == self.Parity.ALL and self.number_from is None and self.number_to is None

    @property
    def numbers_label(self) -> str:
        """ "cała ulica", "numery nieparzyste 1–99", "od 50"."""
        if self.whole:
            return str(_("cała ulica"))
        parts = [] if self.parity == self.Parity.ALL else [str(self.get_parity_display())]
        if self.number_from is not None and self.number_to is not None:
            parts.append(f"{self.number_from}–{self.number_to}")
        elif self.number_from is not None:
            parts.append(str(_("od %(n)s")) % {"n": self.number_from})
        elif self.number_to is not None:
            parts.append(str(_("do %(n)s")) % {"n": self.number_to})
        return " ".join(parts) or str(_("cała ulica"))

    def covers(self, number: int | None) -> bool:
        """Whether this range decides a house ``number`` (None: no number was given, which only a
        range of the whole street decides)."""
        if number is None:
            return self.whole
        if self.parity == self.Parity.ODD and number % 2 == 0:
            return False
        if self.parity == self.Parity.EVEN and number % 2 == 1:
            return False
        low = self.number_from if self.number_from is not None else 1
        return low <= number and (self.number_to is None or number <= self.number_to)

    def overlaps(self, other: StreetRange) -> bool:
        """Whether some house number belongs to both (the numbers start at 1)."""
        low = max(self.number_from or 1, other.number_from or 1)
        ends = [n for n in (self.number_to, other.number_to) if n is not None]
        high = min(ends) if ends else None
        if high is not None and low > high:
            return False
        parities = {self.parity, other.parity} - {self.Parity.ALL}
        if not parities:
            return True
        if len(parities) == 2:  # odd and even
            return False
        wanted = 1 if parities == {self.Parity.ODD} else 0
        first = low if low % 2 == wanted else low + 1
        return high is None or first <= high


class StreetSource(models.Model):
    """Where the centre's streets come from: the municipality's TERYT code (WOJ+POW+GMI+RODZ_GMI,
    e.g. Toruń 0463011), remembered from the last import, and that import's date."""

    institution = models.OneToOneField("mopr.Institution", on_delete=models.PROTECT, related_name="street_source")
    gmina_code = models.CharField(_("kod gminy TERYT"), max_length=7, blank=True)
    stan_na = models.DateField(_("stan rejestru na"), null=True, blank=True)
    imported_at = models.DateTimeField(_("ostatni import"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("źródło ulic ośrodka")
        verbose_name_plural = _("źródła ulic ośrodków")

    def __str__(self) -> str:
        return self.gmina_code
