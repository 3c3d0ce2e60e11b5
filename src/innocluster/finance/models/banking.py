"""The Fund's bank accounts, imported statements and their lines, and how each line was matched.

A line is matched at most once at a time: ``Match`` has a unique constraint on the line among the
matches not undone, so two officers (or a matcher and an officer) cannot both match it. Undoing a
match reverses its journal entry and keeps the row, with who undid it and when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innocluster.finance.importers.base import place
from innocluster.finance.models.accounts import FundSource


class BankAccount(models.Model):
    iban = models.CharField(_("IBAN"), max_length=34, unique=True)
    bic = models.CharField(_("BIC"), max_length=11)
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3, default="KZT")
    ledger_account = models.OneToOneField(
        "finance.Account",
        on_delete=models.PROTECT,
        related_name="bank_account",
        verbose_name=_("ledger account"),
    )
    # An account held for one source of funds (a target-financing account) pays only that
    # source's spending; blank: any.
    fund_source = models.CharField(
        _("source of funds"), max_length=20, choices=FundSource.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["iban"]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self):
        return f"{self.iban} {self.name}"


class StatementImport(models.Model):
    """One uploaded file and what its import did (the same file again adds nothing)."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    format = models.CharField(_("format"), max_length=10)
    statements = models.PositiveIntegerField(_("statements"), default=0)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    new_lines = models.PositiveIntegerField(_("new lines"), default=0)
    known_lines = models.PositiveIntegerField(_("already imported"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")

    def __str__(self):
        return f"{self.file_name} ({self.at:%Y-%m-%d %H:%M})" if self.at else self.file_name

    @property
    def unmatched(self) -> int:
        return self.new_lines - self.matched


class BankStatement(models.Model):
    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="statements")
    number = models.CharField(_("number"), max_length=100, blank=True)
    opening_date = models.DateField(_("from"))
    closing_date = models.DateField(_("to"))
    opening_balance = models.DecimalField(_("opening balance"), max_digits=18, decimal_places=2)
    closing_balance = models.DecimalField(_("closing balance"), max_digits=18, decimal_places=2)
    imported = models.ForeignKey(StatementImport, on_delete=models.PROTECT, related_name="statement_rows")

    class Meta:
        ordering = ["bank_account", "closing_date", "id"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        constraints = [
            models.UniqueConstraint(
                fields=["bank_account", "number", "opening_date", "closing_date"],
                name="finance_statement_unique",
            )
        ]

    def __str__(self):
        return f"{self.bank_account.iban} {self.opening_date}–{self.closing_date}"


class StatementLine(models.Model):
    class Status(models.TextChoices):
        UNMATCHED = "unmatched", _("not matched")
        MATCHED = "matched", _("matched")
        SUSPENSE = "suspense", _("unidentified (suspense)")

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="lines")
    key = models.CharField(_("import key"), max_length=200)
    booked_on = models.DateField(_("booked on"))
    value_on = models.DateField(_("value date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    counterparty_name = models.CharField(_("counterparty"), max_length=300, blank=True)
    counterparty_id = models.CharField(_("counterparty BIN/IIN"), max_length=12, blank=True, db_index=True)
    counterparty_iban = models.CharField(_("counterparty IBAN"), max_length=34, blank=True)
    counterparty_bic = models.CharField(_("counterparty BIC"), max_length=11, blank=True)
    purpose = models.TextField(_("purpose of payment"), blank=True)
    knp = models.CharField(_("payment purpose code (KNP)"), max_length=3, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    is_reversal = models.BooleanField(_("reversal by the bank"), default=False)
    raw = models.JSONField(_("as in the file"), default=dict)
    location = models.CharField(_("place in the file"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNMATCHED)

    class Meta:
        ordering = ["booked_on", "id"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        indexes = [models.Index(fields=["status", "booked_on"], name="finance_line_queue")]
        constraints = [
            models.UniqueConstraint(fields=["bank_account", "key"], name="finance_statement_line_key"),
            models.CheckConstraint(condition=~Q(amount=0), name="finance_statement_line_not_zero"),
        ]

    def __str__(self):
        return f"{self.booked_on} {self.amount} {self.counterparty_name}"

    @property
    def place(self) -> str:
        """Where the line was in its file, in the reader's language ("строка 20")."""
        return place(self.location)

    @property
    def incoming(self) -> bool:
        return self.amount > 0


class Match(models.Model):
    """How one statement line was accounted for: matched to one or several targets (a split), or
    sent to unidentified receipts with a reason. Its entry moves the money in the ledger."""

    class Kind(models.TextChoices):
        MATCHED = "matched", _("matched")
        SUSPENSE = "suspense", _("unidentified (suspense)")

    line = models.ForeignKey(StatementLine, on_delete=models.PROTECT, related_name="matches")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    matcher = models.CharField(_("matched by"), max_length=60)  # a matcher's code, or "manual"
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    entry = models.OneToOneField("finance.JournalEntry", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undo_reason = models.CharField(_("why undone"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=Q(undone_at__isnull=True), name="finance_line_matched_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.line}"


class MatchPart(models.Model):
    """One target of a match: the account (with its party) the line's money goes to, and what for
    (a domain object, e.g. a levy obligation, as type and id)."""

    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="parts")
    account = models.ForeignKey("finance.Account", on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(
        "parties.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    target_type = models.CharField(_("for (type)"), max_length=100, blank=True)
    target_id = models.CharField(_("for"), max_length=64, blank=True)
    memo = models.CharField(_("memo"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="finance_match_part_positive")]

    def __str__(self):
        return f"{self.account.code} {self.amount}"
