"""The Fund's development strategy and its key performance indicators (KPIs).

A :class:`Strategy` covers a span of years. Its content lives in numbered
:class:`StrategyVersion` rows: a version is drafted (goals, KPIs, targets per year), approved by
the Board of Trustees on a decision record (``core.decisions.Decision``), and superseded when the
next version is approved, so the targets the Fund is measured against on a day are always those
of one approved version, with the Board's decision as their basis. An approved or superseded
version is history: only a draft takes goals, KPIs and targets (``services.strategy``).

A :class:`Kpi` reads its actual value from a platform metric (``metric``, a ``Metric`` code an
app declares in its manifest, ``<app>.<name>``) or, when blank, from values entered by hand
(:class:`KpiManualValue`, kept as a history: the latest entry for a year counts).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innocluster.core.policy.models import localized


def _text(row, field: str, language: str) -> str:
    return localized(
        getattr(row, f"{field}_en"),
        {"kk": getattr(row, f"{field}_kk"), "ru": getattr(row, f"{field}_ru")},
        language,
    )


class Strategy(models.Model):
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-first_year", "-id"]
        verbose_name = _("development strategy")
        verbose_name_plural = _("development strategies")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="governance_strategy_years_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.title_en} {self.first_year}–{self.last_year}"

    def title(self, language: str) -> str:
        return _text(self, "title", language)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    SUPERSEDED = "superseded", _("superseded")


class StrategyVersion(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="versions", verbose_name=_("development strategy")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    # The Board of Trustees' decision that approved the version: the basis of its targets.
    decision = models.ForeignKey(
        "decisions.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decision of the Board of Trustees"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["strategy", "-number"]
        verbose_name = _("strategy version")
        verbose_name_plural = _("strategy versions")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="governance_strategy_version_once"),
            # One approved version per strategy at a time; one draft at a time.
            models.UniqueConstraint(
                fields=["strategy"],
                condition=Q(status="approved"),
                name="governance_strategy_one_approved",
            ),
            models.UniqueConstraint(
                fields=["strategy"], condition=Q(status="draft"), name="governance_strategy_one_draft"
            ),
            # An approved (or once approved) version carries its decision and date.
            models.CheckConstraint(
                condition=Q(status="draft") | Q(decision__isnull=False, approved_on__isnull=False),
                name="governance_strategy_approved_has_decision",
            ),
        ]

    def __str__(self):
        return f"{self.strategy} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Goal(models.Model):
    version = models.ForeignKey(
        StrategyVersion, on_delete=models.CASCADE, related_name="goals", verbose_name=_("strategy version")
    )
    position = models.PositiveSmallIntegerField(_("No."))
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="governance_goal_position_once"),
        ]

    def __str__(self):
        return f"{self.position}. {self.title_en}"

    def title(self, language: str) -> str:
        return _text(self, "title", language)


class KpiUnit(models.TextChoices):
    COUNT = "count", pgettext_lazy("unit of a figure", "number")
    RATIO = "ratio", _("share (per cent)")
    KZT = "KZT", _("tenge")


class Kpi(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("goal"))
    position = models.PositiveSmallIntegerField(_("No."))
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    metric = models.CharField(
        _("metric"),
        max_length=100,
        blank=True,
        help_text=_("The code of a platform metric (app.name); blank for a value entered by hand."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=KpiUnit.choices)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)

    class Meta:
        ordering = ["goal", "position"]
        verbose_name = _("key performance indicator")
        verbose_name_plural = _("key performance indicators")
        constraints = [
            models.UniqueConstraint(fields=["goal", "position"], name="governance_kpi_position_once"),
        ]

    def __str__(self):
        return f"{self.goal.position}.{self.position} {self.title_en}"

    def title(self, language: str) -> str:
        return _text(self, "title", language)

    @property
    def manual(self) -> bool:
        return not self.metric


# Targets and values: counts, shares (0 to 1) and tenge alike, to four places (a share of 0.8525).
VALUE = {"max_digits": 20, "decimal_places": 4}


class KpiTarget(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets", verbose_name=_("KPI"))
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), **VALUE)

    class Meta:
        ordering = ["kpi", "year"]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "year"], name="governance_kpi_target_once"),
        ]

    def __str__(self):
        return f"{self.kpi} {self.year}: {self.value}"


class KpiManualValue(models.Model):
    """An actual value entered by hand for a KPI without a metric; entries are never changed, a
    later entry for the same year replaces the earlier one on the dashboard."""

    kpi = models.ForeignKey(
        Kpi, on_delete=models.CASCADE, related_name="manual_values", verbose_name=_("KPI")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), **VALUE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    source = models.TextField(_("source"), help_text=_("Where the figure comes from."))

    class Meta:
        ordering = ["kpi", "year", "entered_at", "id"]
        verbose_name = _("KPI value entered by hand")
        verbose_name_plural = _("KPI values entered by hand")

    def __str__(self):
        return f"{self.kpi} {self.year}: {self.value}"
