from django import template

from innocluster.core.money import format_kzt

register = template.Library()


@register.filter
def kzt(amount):
    """``{{ amount|kzt }}`` → ``1 234 567,89 ₸`` in the reader's language; empty for None."""
    return "" if amount is None or amount == "" else format_kzt(amount)
