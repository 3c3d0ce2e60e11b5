"""The National Bank's official exchange rates (tenge per one unit of a currency), entered by hand
or imported from its daily file: a declaration in another currency is converted at the rate of a
date it states."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    currency = models.CharField(_("currency (ISO 4217)"), max_length=3)
    date = models.DateField(_("date"))
    rate = models.DecimalField(_("tenge per unit"), max_digits=18, decimal_places=6)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="levy_rate_once_a_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="levy_rate_positive"),
        ]

    def __str__(self):
        return f"{self.currency} {self.date}: {self.rate}"
