"""API tokens: a secret shown once, stored only as its SHA-256 hash, always with an expiry.

Tokens are created only from a signed-in browser session that satisfied the user's two-factor rule
(see :func:`innocluster.api.services.issue_token`), so a request carrying a token counts as
two-factor-satisfied. ``two_factor`` records whether the issuing session used a second factor: a
token issued to a participant (who needs none) stops working if the person later gets a role that
requires one.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innocluster.apikit.authentication import hash_secret

__all__ = ["PREFIX_LENGTH", "APIToken", "hash_secret"]

PREFIX_LENGTH = 8


class APIToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. 'reporting script'.")
    )
    key_hash = models.CharField(_("secret hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    two_factor = models.BooleanField(_("issued after two-factor sign-in"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()
