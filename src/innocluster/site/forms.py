"""The regime comparison's question: two regimes, a date, and optionally one subject."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.core.policy.models import Regime


class CompareForm(forms.Form):
    first = forms.ChoiceField(label=_("Regime"))
    second = forms.ChoiceField(label=_("Compared with"))
    on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))
    differing_only = forms.BooleanField(label=_("Only the rules that differ"), required=False)
    what_if = forms.ChoiceField(label=_("Outcome for"), required=False)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=100)

    def __init__(self, *args, what_ifs: dict, **kwargs):
        super().__init__(*args, **kwargs)
        regimes = [(r.code, r.localized_name(_language())) for r in Regime.objects.order_by("code")]
        self.fields["first"].choices = regimes
        self.fields["second"].choices = regimes
        self.fields["what_if"].choices = [("", _("no subject: rules only"))] + [
            (name, f"{entry.label} ({entry.prompt})") for name, entry in what_ifs.items()
        ]
        self.what_ifs = what_ifs

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", _("Choose another regime to compare with."))
        if data.get("what_if") and not (data.get("subject") or "").strip():
            self.add_error(
                "subject",
                _("Name the subject: %(prompt)s.") % {"prompt": self.what_ifs[data["what_if"]].prompt},
            )
        return data


def _language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "en").split("-")[0]
