"""Money in KZT: Decimal with two places (tiyn), rounded half-up once, shown the way each language
writes it ("1 234 567,89 ₸"), and in words for notices and agreements.

Python's ``round`` rounds half to even and floats cannot hold tiyn exactly, so both are refused.
"""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, format_decimal
from django.db.models import Sum
from django.utils import translation
from num2words import num2words

TIYN = Decimal("0.01")
_BABEL_LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en_US"}
_NUM2WORDS = {"kk": "kz", "ru": "ru", "en": "en"}
_UNITS = {"kk": ("теңге", "тиын"), "ru": ("тенге", "тиын"), "en": ("tenge", "tiyn")}


def to_tiyn(value: Decimal | int | str) -> Decimal:
    """The amount rounded half-up to the tiyn. Floats are refused: they cannot hold money exactly."""
    if isinstance(value, float):
        raise TypeError("money must be a Decimal, int or str, never a float")
    return Decimal(value).quantize(TIYN, rounding=ROUND_HALF_UP)


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or "kk").split("-")[0]
    return code if code in _BABEL_LOCALES else "en"


def format_kzt(amount: Decimal | int | str, language: str | None = None) -> str:
    """``1 234 567,89 ₸`` in kk and ru, ``1,234,567.89 ₸`` in en."""
    lang = _language(language)
    value = to_tiyn(amount)
    if lang == "en":
        return f"{format_decimal(value, format='#,##0.00', locale='en_US')}\xa0₸"
    return format_currency(value, "KZT", locale=_BABEL_LOCALES[lang])


def amount_in_words(amount: Decimal | int | str, language: str | None = None) -> str:
    """ "бір миллион ... теңге 89 тиын": the whole tenge in words, tiyn in figures, as payment
    documents write them."""
    lang = _language(language)
    value = to_tiyn(amount)
    sign = "минус " if value < 0 and lang != "en" else ("minus " if value < 0 else "")
    value = abs(value)
    tenge = int(value)
    tiyn = int((value - tenge) * 100)
    words = num2words(tenge, lang=_NUM2WORDS[lang])
    unit, minor = _UNITS[lang]
    return f"{sign}{words} {unit} {tiyn:02d} {minor}"


class MoneySum(Sum):
    """``SUM`` of a money column (or expression), exact on both engines. SQLite keeps decimals as
    binary floats and adds them as floats: over many lines at trillions of tenge the total drifts
    by a tiyn or two. There it adds whole tiyn as integers (exact), then scales back; PostgreSQL's
    ``numeric`` sums are exact already. Exact up to 10 trillion tenge, the 15 significant digits
    Django reads back from SQLite."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(
            compiler,
            connection,
            template="%(function)s(%(distinct)sCAST(ROUND((%(expressions)s) * 100) AS INTEGER)%(order_by)s)%(filter)s",
            **extra_context,
        )
        return f"({sql}) / 100.0", params
