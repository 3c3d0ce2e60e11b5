from django.db import models
from django.utils.translation import gettext_lazy as _

from innocluster.parties.models import Localized


class DocumentKind(Localized):
    """A kind of document a request carries (passport copy, diploma, CV ...). Which kinds the
    simplified procedure requires is the policy key ``workforce.documents.required``."""

    code = models.SlugField(_("code"), max_length=50, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialist document kind")
        verbose_name_plural = _("specialist document kinds")
