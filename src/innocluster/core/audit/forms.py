from django import forms
from django.utils.translation import gettext_lazy as _


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
