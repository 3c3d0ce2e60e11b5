"""Budgets per budget line, year and source of funds; commitments that reserve them.

``Budget`` keeps three running figures, changed only by the commands in the same transaction as
the postings and commitments that move them: ``amount`` (the sum of its revisions), ``committed``
(reserved and not yet spent) and ``spent`` (the net of its journal lines). The database refuses
``amount − committed − spent < 0`` (a check constraint), so two commitments racing for the last
tenge cannot both land whatever the code does."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from innocluster.finance.models.accounts import FundSource
from innocluster.parties.models import name_in_reader_language

# Amounts are whole tiyn, so "at least x − half a tiyn" is "at least x" on PostgreSQL's exact
# numerics; on SQLite, which adds decimals as binary floating point, it absorbs the rounding of
# the sum (3663.37 + 2.67 may come out a hair above 3666.04).
HALF_TIYN = Value(Decimal("0.005"))


class BudgetLine(models.Model):
    """A programme or a cost centre of the Fund, with the expense account its spending posts to."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("programme")
        COST_CENTRE = "cost_centre", _("cost centre")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    expense_account = models.ForeignKey(
        "finance.Account", on_delete=models.PROTECT, related_name="+", verbose_name=_("expense account")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return name_in_reader_language(self)


class Budget(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source of funds"), max_length=20, choices=FundSource.choices)
    amount = models.DecimalField(_("budget"), max_digits=18, decimal_places=2, default=0)
    committed = models.DecimalField(_("committed"), max_digits=18, decimal_places=2, default=0)
    spent = models.DecimalField(_("spent"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        ordering = ["year", "line__code", "source"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["line", "year", "source"], name="finance_budget_unique"),
            models.CheckConstraint(
                condition=Q(amount__gte=F("committed") + F("spent") - HALF_TIYN),
                name="finance_budget_available_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(committed__gte=-HALF_TIYN), name="finance_budget_committed_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(source__in=FundSource.values), name="finance_budget_source_known"
            ),
        ]

    def __str__(self):
        return f"{self.line.code} {self.year} ({self.get_source_display()})"

    @property
    def available(self):
        return self.amount - self.committed - self.spent


class BudgetRevision(models.Model):
    """One change of a budget's amount (the first sets it): amounts are added, never overwritten."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="revisions")
    change = models.DecimalField(_("change"), max_digits=18, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=500)
    decision_reference = models.CharField(_("decision"), max_length=100, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("budget revision")
        verbose_name_plural = _("budget revisions")

    def __str__(self):
        return f"{self.budget}: {self.change:+}"


class Commitment(models.Model):
    """Funds of a budget reserved for one purpose (a grant award, a contract); disbursements consume
    it, a release gives back what will not be spent."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="commitments")
    reference = models.CharField(_("reference"), max_length=100, db_index=True)
    description = models.CharField(_("description"), max_length=500)
    party = models.ForeignKey(
        "parties.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    released = models.DecimalField(_("released"), max_digits=18, decimal_places=2, default=0)
    disbursed = models.DecimalField(_("disbursed"), max_digits=18, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    source_type = models.CharField(_("source document type"), max_length=100, blank=True)
    source_id = models.CharField(_("source document"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_commitment_positive"),
            models.CheckConstraint(
                condition=Q(released__gte=-HALF_TIYN, disbursed__gte=-HALF_TIYN)
                & Q(amount__gte=F("released") + F("disbursed") - HALF_TIYN),
                name="finance_commitment_not_overdrawn",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def outstanding(self):
        return self.amount - self.released - self.disbursed


class CommitmentEvent(models.Model):
    """What happened to a commitment, in order: reserved, released, disbursed (with the entry)."""

    class Kind(models.TextChoices):
        RESERVE = "reserve", _("reserved")
        RELEASE = "release", _("released")
        DISBURSE = "disburse", _("disbursed")
        REVERSE = "reverse", _("disbursement reversed")

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    entry = models.ForeignKey(
        "finance.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.commitment}: {self.get_kind_display()} {self.amount}"
