"""Declarations of the base: per contract and base year, versioned. An amendment is a new version;
the old one stays (``current`` off). One current declaration per contract-year, held by the
database (a partial unique constraint)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innocluster.core.files import GeneratedName


class Declaration(models.Model):
    contract = models.ForeignKey("levy.Contract", on_delete=models.PROTECT, related_name="declarations")
    year = models.PositiveSmallIntegerField(_("base year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    current = models.BooleanField(_("current"), default=True)
    base_amount = models.DecimalField(_("base, tenge"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency declared"), max_length=3, default="KZT")
    original_amount = models.DecimalField(_("amount declared"), max_digits=18, decimal_places=2)
    rate_date = models.DateField(_("exchange rate date"), null=True, blank=True)
    rate_used = models.DecimalField(
        _("exchange rate"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    on_behalf_of = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("declared for")
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    reason = models.CharField(_("reason for the amendment"), max_length=500, blank=True)

    class Meta:
        ordering = ["contract", "year", "-version"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.UniqueConstraint(fields=["contract", "year", "version"], name="levy_declaration_version"),
            models.UniqueConstraint(
                fields=["contract", "year"], condition=Q(current=True), name="levy_declaration_one_current"
            ),
            models.CheckConstraint(
                condition=Q(base_amount__gte=0), name="levy_declaration_base_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.contract.number} {self.year} v{self.version}"

    @property
    def obligation_year(self) -> int:
        return self.year + 1


class DeclarationDocument(models.Model):
    """A file behind a declaration (financial statements, an auditor's report), checked by content
    like every upload; a new version of the declaration carries its own."""

    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(_("file"), upload_to=GeneratedName("levy"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["declaration", "id"]
        verbose_name = _("declaration document")
        verbose_name_plural = _("declaration documents")

    def __str__(self):
        return self.original_name
