"""The journal: monthly periods, entries and their lines.

Posted entries and their lines are immutable in the database itself (triggers installed by the
migration ``0002_ledger_protection``; see ``finance/protection.py``), not only through the ORM:
a correction is a new entry that reverses the original and names it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innocluster.finance.models.accounts import FundSource


class Period(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["year", "month"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="finance_period_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="finance_period_month"),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class JournalEntry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("being written")
        PENDING = "pending", _("awaiting approval")
        POSTED = "posted", _("posted")
        REJECTED = "rejected", _("rejected")

    class Kind(models.TextChoices):
        SYSTEM = "system", _("posted by a module")
        MANUAL = "manual", _("manual entry")
        REVERSAL = "reversal", _("reversal")

    date = models.DateField(_("date"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="entries")
    reference = models.CharField(_("reference"), max_length=100, blank=True, db_index=True)
    description = models.CharField(_("description"), max_length=500)
    # The document the entry comes from, as "<app>.<model>" and its id (a bank line, an obligation).
    source_type = models.CharField(_("source document type"), max_length=100, blank=True)
    source_id = models.CharField(_("source document"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SYSTEM)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    reversal_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [models.Index(fields=["source_type", "source_id"], name="finance_entry_source")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="posted", posted_at__isnull=False) | ~Q(status="posted"),
                name="finance_entry_posted_has_time",
            )
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return entry_number(self.date, self.pk)


def entry_number(date, pk: int | None) -> str:
    """An entry's number as people quote it: ``JE-<year>-<id, 7 digits>``."""
    return f"JE-{date.year}-{pk:07d}" if pk else "JE-new"


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    # The entry's date, kept on the line so an account's ledger and a trial balance at a date read
    # the lines alone, through one index.
    date = models.DateField(_("date"))
    account = models.ForeignKey("finance.Account", on_delete=models.PROTECT, related_name="lines")
    debit = models.DecimalField(_("debit"), max_digits=18, decimal_places=2, default=0)
    credit = models.DecimalField(_("credit"), max_digits=18, decimal_places=2, default=0)
    party = models.ForeignKey(
        "parties.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget = models.ForeignKey(
        "finance.Budget", null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    commitment = models.ForeignKey(
        "finance.Commitment", null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    fund_source = models.CharField(
        _("source of funds"), max_length=20, choices=FundSource.choices, blank=True
    )
    memo = models.CharField(_("memo"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        indexes = [
            models.Index(fields=["account", "date", "id"], name="finance_line_account_date"),
            models.Index(fields=["party", "account"], name="finance_line_party"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0)),
                name="finance_line_one_side_positive",
            )
        ]

    def __str__(self):
        return f"{self.entry}: {self.account.code} {self.debit or -self.credit}"

    @property
    def amount(self):
        return self.debit or self.credit

    @property
    def side(self) -> str:
        return "debit" if self.debit else "credit"
