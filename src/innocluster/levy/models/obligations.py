"""Obligations: what one holder of one contract owes for one year, and the journal entries that
put it (and each later change of it) in the ledger."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Obligation(models.Model):
    """Holder ``holder`` of ``contract`` owes ``amount`` for year ``year`` (base of ``year − 1``).

    ``base`` and ``rate`` are the contract's; ``amount`` is the holder's part of the contract's
    amount (split by ``share``). ``posted`` is what the ledger holds as receivable for it (the sum
    of its postings): a re-assessment posts ``amount − posted`` as an adjusting entry."""

    contract = models.ForeignKey("levy.Contract", on_delete=models.PROTECT, related_name="obligations")
    holder = models.ForeignKey(
        "parties.Organisation",
        on_delete=models.PROTECT,
        related_name="levy_obligations",
        verbose_name=_("subsoil user"),
    )
    year = models.PositiveSmallIntegerField(_("obligation year"))
    share = models.DecimalField(_("share"), max_digits=7, decimal_places=6)
    base = models.DecimalField(_("base, tenge"), max_digits=18, decimal_places=2)
    rate = models.DecimalField(_("rate"), max_digits=9, decimal_places=6)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    posted = models.DecimalField(_("in the ledger"), max_digits=18, decimal_places=2, default=0)
    # Settled above a lowered amount and moved out to a credit (the receivable debited back).
    released = models.DecimalField(_("moved to credits"), max_digits=18, decimal_places=2, default=0)
    reference = models.CharField(_("payment reference"), max_length=20, unique=True)
    due_date = models.DateField(_("due date"))
    declaration = models.ForeignKey(
        "levy.Declaration",
        on_delete=models.PROTECT,
        related_name="obligations",
        verbose_name=_("declaration"),
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["year", "reference"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [
            models.UniqueConstraint(fields=["contract", "holder", "year"], name="levy_obligation_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="levy_obligation_not_negative"),
        ]
        indexes = [models.Index(fields=["holder", "year"], name="levy_obligation_holder")]

    def __str__(self):
        return self.reference


class ObligationPosting(models.Model):
    """One journal entry of an obligation: the assessment, or an adjustment (the difference when a
    declaration was amended or the figures changed). ``amount`` is signed: negative lowers it."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("assessment")
        ADJUSTMENT = "adjustment", _("adjustment")

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="postings")
    entry = models.OneToOneField("finance.JournalEntry", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["obligation", "id"]
        verbose_name = _("obligation posting")
        verbose_name_plural = _("obligation postings")

    def __str__(self):
        return f"{self.obligation.reference} {self.amount:+}"
