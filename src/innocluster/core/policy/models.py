"""A regime is a complete rule set; within it every parameter value is dated and referenced."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def localized(english: str, translations: dict[str, str], language: str) -> str:
    """The text in ``language`` when it has been written, else the English original."""
    return translations.get((language or "en").split("-")[0]) or english


class Regime(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    legal_basis_ru = models.CharField(_("legal basis (Russian)"), max_length=300, blank=True)
    legal_basis_kk = models.CharField(_("legal basis (Kazakh)"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regime")
        verbose_name_plural = _("regimes")

    def __str__(self):
        return self.code

    def localized_name(self, language: str) -> str:
        return getattr(self, f"name_{language}", "") or self.name_en


SOURCES = [("law", _("law")), ("src", _("official source")), ("design", _("design decision"))]


class Kind(models.TextChoices):
    DECIMAL = "decimal", _("decimal fraction")
    AMOUNT = "amount", _("amount in tenge")
    FRACTION = "fraction", _("exact fraction (e.g. 2/3)")
    BOOLEAN = "boolean", _("yes / no")
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    YEARS = "years", _("years")
    INTEGER = "integer", _("whole number")
    MONTH_DAY = "month_day", _("day of the year (MM-DD)")
    LIST = "list", _("list")
    TEXT = "text", _("text")
    CONDITIONS = "conditions", _("conditions (attribute, operator, value, reference)")


class ParameterValue(models.Model):
    """One value of one key in one regime, in force from ``valid_from`` until the next value.

    Rows are never edited: a change in the law is a new row with a later ``valid_from``. ``value``
    is JSON; ``null`` is an explicit "none" (e.g. no penalty), which is not the same as having no
    value in force at all.
    """

    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="values")
    key = models.CharField(_("key"), max_length=100, db_index=True)
    valid_from = models.DateField(_("in force from"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.JSONField(_("value"), null=True, blank=True)
    reference = models.CharField(_("legal reference"), max_length=500)
    reference_ru = models.CharField(_("legal reference (Russian)"), max_length=500, blank=True)
    reference_kk = models.CharField(_("legal reference (Kazakh)"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=SOURCES, default="src")
    note = models.TextField(_("note"), blank=True)
    note_ru = models.TextField(_("note (Russian)"), blank=True)
    note_kk = models.TextField(_("note (Kazakh)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["regime__code", "key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "key", "valid_from"], name="policy_value_unique_start")
        ]
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")

    def __str__(self):
        return f"{self.regime.code}:{self.key}@{self.valid_from}"

    def localized_reference(self, language: str) -> str:
        return localized(self.reference, {"ru": self.reference_ru, "kk": self.reference_kk}, language)


class RegimePeriod(models.Model):
    """From ``starts_on`` until the next period's start, ``regime`` governs every rule read for a
    date in that span: the deployment's timeline of regimes.

    ``starts_on`` is the day a law came into force (not the day it was adopted), with the provision
    that says so as ``reference``. Past and current periods are history and never change; an
    administrator schedules a future one (and may cancel it before it starts).
    """

    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="periods")
    starts_on = models.DateField(_("in force from"), unique=True)
    reference = models.CharField(_("legal reference"), max_length=500)
    reference_ru = models.CharField(_("legal reference (Russian)"), max_length=500, blank=True)
    reference_kk = models.CharField(_("legal reference (Kazakh)"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=SOURCES, default="src")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("regime period")
        verbose_name_plural = _("timeline of regimes")

    def __str__(self):
        return f"{self.regime.code} from {self.starts_on.isoformat()}"

    def localized_reference(self, language: str) -> str:
        return localized(self.reference, {"ru": self.reference_ru, "kk": self.reference_kk}, language)
