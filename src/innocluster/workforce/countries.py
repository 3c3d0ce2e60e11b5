"""Citizenship as an ISO 3166-1 alpha-2 code, checked against babel's territory list (already a
dependency for money display): two-letter territories less the codes ISO 3166-1 does not assign
(EU, UN, the private-use and exceptionally reserved ones). Kazakhstan is not a foreign country."""

from functools import cache

from babel import Locale
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Two-letter territories babel knows that are not assigned ISO 3166-1 codes: unions and
# organisations, private use, and the exceptionally reserved codes (Ascension, Clipperton, ...).
NOT_ISO = frozenset(
    {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)
KAZAKHSTAN = "KZ"


@cache
def iso_codes() -> frozenset[str]:
    territories = Locale("en").territories
    return frozenset(
        code for code in territories if len(code) == 2 and code.isalpha() and code not in NOT_ISO
    )


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in the reader's language (kk, ru, en), the code when unknown."""
    language = (language or get_language() or "en").split("-")[0]
    try:
        return Locale.parse(language).territories.get(code, code)
    except (ValueError, TypeError):
        return code


def validate_citizenship(value: str) -> None:
    code = (value or "").strip().upper()
    if code not in iso_codes():
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 country code (two letters, such as DE)."),
            code="invalid_country",
            params={"value": value},
        )
    if code == KAZAKHSTAN:
        raise ValidationError(_("A citizen of Kazakhstan is not a foreign specialist."), code="not_foreign")
