"""Forms of the workforce pages. They only collect input: the services decide, and their refusals
are put beside these forms' fields by the views."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from innocluster.core import forms as shared
from innocluster.core.widgets import DATE_INPUT
from innocluster.workforce.countries import KAZAKHSTAN, country_name, iso_codes
from innocluster.workforce.models import EngagementRequest, Specialist
from innocluster.workforce.services.requests import FIELDS as REQUEST_FIELDS
from innocluster.workforce.services.specialists import FIELDS as SPECIALIST_FIELDS

S = EngagementRequest.Status


def country_choices() -> list[tuple[str, str]]:
    """Every foreign country by its name in the reader's language, alphabetically."""
    rows = [(code, country_name(code)) for code in iso_codes() if code != KAZAKHSTAN]
    return [("", "—"), *sorted(rows, key=lambda row: row[1].casefold())]


class SpecialistForm(forms.ModelForm):
    """Who the employer attracts, as in the passport. ``employers``: the organisations the user
    files for (a choice only when there are several, and only for a new specialist)."""

    employer = forms.ModelChoiceField(label=_("Employer"), queryset=None, required=True)

    class Meta:
        model = Specialist
        fields = list(SPECIALIST_FIELDS)
        widgets = {
            "date_of_birth": DATE_INPUT,
            "passport_expiry": DATE_INPUT,
            "education": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "surname_latin": _("Capital Latin letters, exactly as in the passport's machine-readable zone."),
            "passport_number": _("Capital Latin letters and digits, without spaces."),
        }

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["citizenship"] = forms.ChoiceField(
            label=capfirst(Specialist._meta.get_field("citizenship").verbose_name), choices=country_choices()
        )
        if self.instance.pk or employers is None or employers.count() <= 1:
            del self.fields["employer"]
        else:
            self.fields["employer"].queryset = employers
        # The model's validators run in the service (it cleans the whole row again); the form
        # must not stop on the employer it does not carry.
        for name in ("date_of_birth", "passport_expiry"):
            self.fields[name].widget = DATE_INPUT

    def _post_clean(self):
        # The service validates the model (with the employer it knows): no half-built instance here.
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in SPECIALIST_FIELDS}


class RequestForm(forms.ModelForm):
    """Step 1 of a request: the position and the contract."""

    class Meta:
        model = EngagementRequest
        fields = list(REQUEST_FIELDS)
        widgets = {
            "contract_start": DATE_INPUT,
            "contract_end": DATE_INPUT,
            "justification": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "occupation_code": _("The national classifier of occupations: 2512 or 2512-1-002."),
            "justification": _("Why the position needs this foreign specialist."),
        }

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REQUEST_FIELDS}


class UploadForm(forms.Form):
    """One document of a required kind (a new file of a kind already there is its next version)."""

    kind = forms.CharField(widget=forms.HiddenInput, max_length=50)
    file = forms.FileField(label=_("File"))


class ResubmitForm(forms.Form):
    """The employer's answer to each comment of the last return (one field per comment)."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"response_{item.pk}"] = forms.CharField(
                label=f"{item.item}: {item.text}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def responses(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"response_{item.pk}", "") for item in self.items}


# --- the HR officer's actions ------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(S.choices)
        self.fields["status"].choices = [("", _("All but drafts"))] + [
            (s, capfirst(labels[s])) for s in S.values if s != S.DRAFT
        ]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return self.cleaned_data


class ActionForm(forms.Form):
    """An action with nothing to fill in (check, approve): only the button."""

    def inputs(self) -> dict:
        return {}


class ReturnItemForm(shared.ReturnItemForm):
    missing_text = _("Write what the employer should change about this item.")


class ReturnForm(shared.ReturnForm):
    """A return for revision of a foreign specialist request."""

    item_form = ReturnItemForm
    extra = 3


class RefuseForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds of the refusal"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, prefix="refuse", **kwargs)

    def inputs(self) -> dict:
        return {"grounds": self.cleaned_data["grounds"]}


class ActivateForm(forms.Form):
    visa_valid_until = forms.DateField(label=_("Visa valid until"), required=False, widget=DATE_INPUT)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, prefix="activate", **kwargs)

    def inputs(self) -> dict:
        return {"visa_valid_until": self.cleaned_data["visa_valid_until"]}


class ExtendForm(forms.Form):
    new_contract_end = forms.DateField(label=_("New contract end"), widget=DATE_INPUT)
    visa_valid_until = forms.DateField(
        label=_("Visa valid until"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("When the visa was renewed."),
    )
    reason = forms.CharField(label=_("Reason of the extension"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, prefix="extend", **kwargs)

    def inputs(self) -> dict:
        return dict(self.cleaned_data)


class EndForm(forms.Form):
    end_reason = forms.ChoiceField(
        label=_("Why the engagement ends"),
        choices=EngagementRequest.EndReason.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “other”."),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, prefix="end", **kwargs)

    def inputs(self) -> dict:
        return dict(self.cleaned_data)


# The form that reads each transition's inputs on the staff page.
STAFF_FORMS = {
    "check": ActionForm,
    "approve": ActionForm,
    "return_for_revision": ReturnForm,
    "refuse": RefuseForm,
    "activate": ActivateForm,
    "extend": ExtendForm,
    "end": EndForm,
}
