"""The public register's search form, shared by the page, the exports and the API."""

import time

from django import forms
from django.db.models.signals import post_delete, post_save
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from innocluster.core.widgets import PlainSelect, PlainTextInput
from innocluster.parties import selectors as parties
from innocluster.parties.models import Region
from innocluster.registry.models import Participant, ParticipantCategory
from innocluster.registry.selectors.register import RegisterFilter

SORT_CHOICES = [
    ("number", _("Number, ascending")),
    ("-number", _("Number, descending")),
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("registered_on", _("Registered, oldest first")),
    ("-registered_on", _("Registered, newest first")),
]


# The options of the category and region selects, built once per language and reused: they are
# reference data, and building them (a query and a model per option) for every page cost more than
# the page's own queries. A save or delete of a category or region in this process drops them at
# once; other processes (web workers, a management command) rebuild theirs within
# REFERENCE_TTL seconds. Only the options shown are cached: a submitted value is still checked
# against the database by the field.
REFERENCE_TTL = 60.0
_options: dict[tuple, tuple[float, list]] = {}


def _reference_changed(**kwargs) -> None:
    _options.clear()


for _model in (ParticipantCategory, Region):
    post_save.connect(_reference_changed, sender=_model, dispatch_uid=f"register-options-{_model.__name__}")
    post_delete.connect(
        _reference_changed, sender=_model, dispatch_uid=f"register-options-{_model.__name__}-del"
    )


class _CachedOptions(BaseChoiceIterator):
    """A model choice field's options as plain ``(code, label)`` pairs, from the cache above."""

    def __init__(self, name: str, field: forms.ModelChoiceField):
        self.name, self.field = name, field

    def __iter__(self):
        key = (self.name, get_language())
        now = time.monotonic()
        cached = _options.get(key)
        if cached is None or now - cached[0] > REFERENCE_TTL:
            choices = [(str(value), label) for value, label in self.field.choices]
            cached = _options[key] = (now, choices)
        return iter(cached[1])


class RegisterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or BIN"),
        required=False,
        max_length=300,
        widget=PlainTextInput(attrs={"type": "search"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ParticipantCategory.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any category"),
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Participant.Status.choices],
        widget=PlainSelect,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=parties.regions(),
        to_field_name="kato",
        required=False,
        empty_label=_("Any region"),
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=PlainSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category", "region"):
            self.fields[name].widget.choices = _CachedOptions(name, self.fields[name])

    def filters(self) -> RegisterFilter:
        """The valid part of what was asked: a bad field is reported and ignored, not fatal."""
        if not self.is_bound:
            return RegisterFilter()
        self.is_valid()
        return RegisterFilter.from_mapping(self.cleaned_data)
