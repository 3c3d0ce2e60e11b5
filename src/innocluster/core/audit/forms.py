from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


class EventSearchForm(forms.Form):
    q = forms.CharField(label=_("Text"), required=False)
    action = forms.CharField(label=_("Action"), required=False, help_text=_("e.g. policy.value"))
    actor = forms.CharField(label=_("Who"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("Choose a date between 2000 and 2999."))
        return data
