"""Figures as people read them: tenge (``kzt``) and fractions shown as percentages (``percent``)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import formats, translation

from innocluster.core.money import format_kzt

register = template.Library()

# Kazakh and Russian write a (non-breaking) space before the sign; English does not.
_PERCENT_SPACED = ("kk", "ru")


@register.filter
def kzt(amount):
    """``{{ amount|kzt }}`` → ``1 234 567,89 ₸`` in the reader's language; empty for None."""
    return "" if amount is None or amount == "" else format_kzt(amount)


def percent_number(fraction) -> Decimal | None:
    """A fraction as a number of per cent (``0.0100`` → ``1.00``), for spreadsheets whose header
    says "%"; None stays None. Exact: Decimal arithmetic, never a float."""
    if fraction is None or fraction == "":
        return None
    if isinstance(fraction, float):
        raise TypeError("a rate or share must be a Decimal, int or str, never a float")
    return Decimal(str(fraction)) * 100


def format_percent(fraction, places: int | None = None, language: str | None = None) -> str:
    """A fraction (a rate ``0.0100``, a share ``0.600000``) as a percentage in ``language`` (the
    active one by default), with Django's number formats: ``1 %``, ``60 %``, ``33,3333 %`` in kk
    and ru (decimal comma, a non-breaking space before the sign), ``1%`` in en. ``places``: exactly
    that many decimals, rounded half-up (``1,00 %``); None: as many as the value needs. Empty for
    None or an empty string."""
    number = percent_number(fraction)
    if number is None:
        return ""
    if places is None:
        number = number.normalize()
        places = max(-number.as_tuple().exponent, 0)
    else:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    lang = (language or translation.get_language() or "kk").split("-")[0]
    with translation.override(lang):
        text = formats.number_format(number, places, use_l10n=True, force_grouping=True)
    return f"{text}\xa0%" if lang in _PERCENT_SPACED else f"{text}%"


@register.filter
def percent(fraction, places=None):
    """``{{ obligation.rate|percent }}`` → ``1 %``; ``{{ rate|percent:2 }}`` → ``1,00 %``;
    ``{{ holder.share|percent }}`` → ``60 %``. The value is a fraction of one (as stored); empty
    for None or for a value that is not a number."""
    try:
        return format_percent(fraction, None if places in (None, "") else int(places))
    except (InvalidOperation, TypeError, ValueError):
        return ""
