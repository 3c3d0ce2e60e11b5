"""The public register's search form, shared by the page, the exports and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.core.widgets import PlainSelect, PlainTextInput
from innocluster.parties import selectors as parties
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

    def filters(self) -> RegisterFilter:
        """The valid part of what was asked: a bad field is reported and ignored, not fatal."""
        if not self.is_bound:
            return RegisterFilter()
        self.is_valid()
        return RegisterFilter.from_mapping(self.cleaned_data)
