"""Subsoil-use contracts and who holds them. A subsoil user is an organisation of ``parties``
flagged ``subsoil_user``; a joint contract has several holders whose shares sum to 1."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Contract(models.Model):
    class Stage(models.TextChoices):
        EXPLORATION = "exploration", _("exploration")
        PRODUCTION = "production", _("production")

    class Basis(models.TextChoices):
        # Which basis applies is an attribute of the contract, not of the cluster regime (DOMAIN.md).
        INCOME = "income", _("previous year's aggregate income from contract activities")
        EXTRACTION_COSTS = "extraction_costs", _("previous year's extraction costs (2018 Subsoil Code)")

    number = models.CharField(_("contract number"), max_length=100, unique=True)
    date = models.DateField(_("contract date"))
    mineral = models.CharField(_("mineral"), max_length=200)
    region = models.ForeignKey(
        "parties.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region (KATO)")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    basis = models.CharField(_("basis of the obligation"), max_length=20, choices=Basis.choices)
    production_start_year = models.PositiveSmallIntegerField(
        _("production start year"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("subsoil use contract")
        verbose_name_plural = _("subsoil use contracts")

    def __str__(self):
        return self.number


class ContractHolder(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="holders")
    organisation = models.ForeignKey(
        "parties.Organisation",
        on_delete=models.PROTECT,
        related_name="subsoil_contracts",
        verbose_name=_("subsoil user"),
    )
    share = models.DecimalField(_("share"), max_digits=7, decimal_places=6, default=Decimal("1"))

    class Meta:
        ordering = ["contract", "-share", "organisation__bin"]
        verbose_name = _("contract holder")
        verbose_name_plural = _("contract holders")
        constraints = [
            models.UniqueConstraint(fields=["contract", "organisation"], name="levy_holder_once"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="levy_holder_share_range"
            ),
        ]

    def __str__(self):
        return f"{self.contract.number}: {self.organisation.bin} ({self.share})"
