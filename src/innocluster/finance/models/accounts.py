"""The chart of accounts: data (``finance/data/chart_of_accounts.yaml``), not code.

Code looks accounts up by their ``key`` (``levy_receivable``, ``suspense``…), never by a literal
code, so a Fund that renumbers its chart changes the data only."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from innocluster.parties.models import name_in_reader_language


class AccountType(models.TextChoices):
    ASSET = "asset", _("asset")
    LIABILITY = "liability", _("liability")
    NET_ASSETS = "net_assets", _("net assets")
    INCOME = "income", _("income")
    EXPENSE = "expense", _("expense")
    MEMO = "memo", _("cost accounting")


class Side(models.TextChoices):
    DEBIT = "debit", _("debit")
    CREDIT = "credit", _("credit")


class FundSource(models.TextChoices):
    """Where the Fund's money comes from; restricted money is spent only on what it was given for."""

    LEVY = "levy", _("subsoil users' levy")
    STATE_BUDGET = "state_budget", _("state budget")
    DONATIONS = "donations", _("donations")
    OWN_INCOME = "own_income", _("own income")


class Account(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    key = models.SlugField(_("key"), max_length=60, unique=True, null=True, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    type = models.CharField(_("type"), max_length=12, choices=AccountType.choices)
    normal_side = models.CharField(_("normal side"), max_length=6, choices=Side.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    postable = models.BooleanField(_("takes postings"), default=True)
    requires_party = models.BooleanField(_("kept per party (sub-ledger)"), default=False)
    fund_source = models.CharField(
        _("source of funds"), max_length=20, choices=FundSource.choices, blank=True
    )
    reference = models.CharField(_("reference"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=AccountType.values), name="finance_account_type_known"
            ),
            models.CheckConstraint(
                condition=models.Q(normal_side__in=Side.values), name="finance_account_side_known"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return name_in_reader_language(self)
