"""The widgets that skip the template engine write exactly what Django's templates write."""

import pytest
from django import forms

from innocluster.core.widgets import PlainSelect, PlainTextInput

CHOICES = [
    ("", "Any"),
    ("a", 'Alpha & "Co" <b>'),
    ("Group", [("g1", "One"), ("g2", "Two")]),
    (3, "Three"),
]


@pytest.mark.parametrize("value", [None, "", "a", "g2", "3", ["a"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_x"}, {"id": "id_x", "aria-invalid": "true", "required": True, "hidden": False}]
)
def test_plain_select_renders_as_django_select(value, attrs):
    fast = PlainSelect(choices=CHOICES).render("x", value, attrs)
    slow = forms.Select(choices=CHOICES).render("x", value, attrs)
    assert fast == slow


@pytest.mark.parametrize("value", [None, "", "плюс & <минус>", 'a"b'])
def test_plain_text_input_renders_as_django_text_input(value):
    attrs = {"id": "id_q", "type": "search", "maxlength": "300"}
    fast = PlainTextInput(attrs={"type": "search"}).render("q", value, attrs)
    slow = forms.TextInput(attrs={"type": "search"}).render("q", value, attrs)
    assert fast == slow
