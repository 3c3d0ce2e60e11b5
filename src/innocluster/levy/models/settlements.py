"""How obligations are settled: payments to the Fund (bank lines matched to them), direct R&D
spending approved with its evidence, and credits carried forward from an excess. A credit is an
overpayment the Fund owes back (money on account ``overpayments``) or R&D spending above an
obligation (no money: it only counts against later obligations); either expires after
``levy.carry_forward_years``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from innocluster.core.files import GeneratedName


class Settlement(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = "payment", _("payment")
        RND = "rnd", _("direct R&D spending")
        CREDIT = "credit", _("credit carried forward")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")

    obligation = models.ForeignKey("levy.Obligation", on_delete=models.PROTECT, related_name="settlements")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    # For an R&D spending above what was owed, the part applied; the rest became a credit.
    applied = models.DecimalField(_("applied to the obligation"), max_digits=18, decimal_places=2, default=0)
    description = models.CharField(_("description"), max_length=500, blank=True)
    statement_line = models.ForeignKey(
        "finance.StatementLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    match = models.ForeignKey(
        "finance.Match", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        "finance.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit = models.ForeignKey(
        "levy.Credit", null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    evidence = models.FileField(
        _("evidence"), upload_to=GeneratedName("levy-rnd"), max_length=300, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("evidence file type"), max_length=100, blank=True)
    evidence_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    second_approved_at = models.DateTimeField(_("second approval at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["obligation", "id"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="levy_settlement_positive"),
            models.CheckConstraint(
                condition=Q(applied__gte=0) & Q(applied__lte=F("amount")),
                name="levy_settlement_applied_range",
            ),
        ]
        indexes = [models.Index(fields=["obligation", "status"], name="levy_settlement_status")]

    def __str__(self):
        return f"{self.obligation.reference} {self.get_kind_display()} {self.amount}"


class Credit(models.Model):
    class Kind(models.TextChoices):
        OVERPAYMENT = "overpayment", _("overpayment owed")
        RND_EXCESS = "rnd_excess", _("R&D spending above the obligation")

    holder = models.ForeignKey(
        "parties.Organisation",
        on_delete=models.PROTECT,
        related_name="levy_credits",
        verbose_name=_("subsoil user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source_year = models.PositiveSmallIntegerField(_("arose on the obligation year"))
    source = models.ForeignKey(
        "levy.Obligation", null=True, blank=True, on_delete=models.PROTECT, related_name="credits_arising"
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    used = models.DecimalField(_("applied"), max_digits=18, decimal_places=2, default=0)
    refunded = models.DecimalField(_("refunded"), max_digits=18, decimal_places=2, default=0)
    expired = models.DecimalField(_("expired"), max_digits=18, decimal_places=2, default=0)
    # None: usable without a time limit (the regime's levy.carry_forward_years is null, no cap).
    expires_on = models.DateField(_("usable until"), null=True, blank=True)
    statement_line = models.ForeignKey(
        "finance.StatementLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The bank match that brought the money (an overpayment), if any; undoing it cancels the credit.
    match = models.ForeignKey(
        "finance.Match", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        "finance.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["holder", models.F("expires_on").asc(nulls_last=True), "id"]
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="levy_credit_positive"),
            models.CheckConstraint(
                condition=Q(used__gte=0)
                & Q(refunded__gte=0)
                & Q(expired__gte=0)
                & Q(amount__gte=F("used") + F("refunded") + F("expired")),
                name="levy_credit_not_overdrawn",
            ),
        ]

    def __str__(self):
        return f"{self.holder.bin} {self.get_kind_display()} {self.amount}"

    @property
    def remaining(self):
        return self.amount - self.used - self.refunded - self.expired
