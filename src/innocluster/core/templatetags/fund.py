"""The Fund's name in its mails, from settings (``INNOCLUSTER_FUND_NAME``), so a deployment
signs its mails with its own name."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def fund_name(language: str) -> str:
    """The Fund's name in ``language`` (kk, ru, en); Russian when that language has none."""
    names = settings.INNOCLUSTER_FUND_NAME
    return names.get(language) or names.get("ru", "")
