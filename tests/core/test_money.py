from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from innocluster.core.money import amount_in_words, format_kzt, to_tiyn


def test_rounding_is_half_up_once_not_bankers():
    assert to_tiyn("2.345") == Decimal("2.35")
    assert to_tiyn("2.335") == Decimal("2.34")  # half-even would give 2.34 too; the next one differs
    assert to_tiyn("0.125") == Decimal("0.13")  # round(0.125, 2) would give 0.12
    assert to_tiyn("-0.125") == Decimal("-0.13")
    assert to_tiyn(5) == Decimal("5.00")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_tiyn(0.1)


@given(st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4))
def test_rounding_moves_at_most_half_a_tiyn(value):
    assert abs(to_tiyn(value) - value) <= Decimal("0.005")
    assert to_tiyn(to_tiyn(value)) == to_tiyn(value)


def test_display_per_language():
    assert format_kzt(Decimal("1234567.891"), "kk") == "1\xa0234\xa0567,89\xa0₸"
    assert format_kzt(Decimal("1234567.89"), "ru") == "1\xa0234\xa0567,89\xa0₸"
    assert format_kzt(Decimal("1234567.89"), "en") == "1,234,567.89\xa0₸"


def test_amounts_in_words():
    assert amount_in_words(Decimal("1234567.89"), "ru") == (
        "один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь тенге 89 тиын"
    )
    assert amount_in_words(Decimal("1234567.89"), "kk") == (
        "бір миллион екі жүз отыз төрт мың бес жүз алпыс жеті теңге 89 тиын"
    )
    assert amount_in_words(Decimal("100"), "en") == "one hundred tenge 00 tiyn"


def test_template_filter_follows_the_active_language():
    template = Template("{% load money %}{{ amount|kzt }}")
    with translation.override("kk"):
        assert template.render(Context({"amount": Decimal("1500")})) == "1\xa0500,00\xa0₸"
    with translation.override("en"):
        assert template.render(Context({"amount": Decimal("1500")})) == "1,500.00\xa0₸"
    assert template.render(Context({"amount": None})) == ""
