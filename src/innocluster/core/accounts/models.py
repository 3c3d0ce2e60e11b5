from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """A person's consent to personal-data processing, with the exact text they agreed to."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=100)
    text = models.TextField(_("text agreed to"))
    language = models.CharField(_("language"), max_length=10)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.user} — {self.purpose}"
