from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import Decision, Outcome, Status, body_choices


class DecisionForm(forms.ModelForm):
    """Entering a decision: the same checks and messages as :func:`services.record_decision`."""

    class Meta:
        model = Decision
        fields = [
            "body", "body_name", "number", "decided_on", "basis", "outcome", "summary",
            "meeting_reference", "decided_by", "corrects",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        problems = services.validate_decision(
            body=data.get("body") or "",
            number=data.get("number") or "",
            decided_on=data.get("decided_on"),
            basis=data.get("basis") or "",
            outcome=data.get("outcome") or "",
            corrects=data.get("corrects"),
        )
        for field, messages in problems.items():
            if field not in self.errors:  # the field's own error ("required") already says it
                for message in messages:
                    self.add_error(field, message)
        return data

    def validate_unique(self):
        """The service checks uniqueness with a message naming the number; the model's generic
        constraint message would only repeat it without a field."""


# --- the staff pages ----------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets people choose several files (Django refuses ``multiple`` otherwise)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files, cleaned one by one; the cleaned value is a list (empty when none)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, (list, tuple)):
            files = [single_file_clean(item, initial) for item in data]
        else:
            files = [single_file_clean(data, initial)]
        return [f for f in files if f]


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class DecisionEntryForm(DecisionForm):
    """The staff page's form: the admin's fields plus the signed documents, uploaded together."""

    documents = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("The signed decision and its annexes. You may choose several files."),
    )

    class Meta(DecisionForm.Meta):
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "basis": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"decided_by": _PersonChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].queryset = selectors.possible_deciders()
        self.fields["corrects"].queryset = selectors.correctable_decisions()


class DocumentForm(forms.Form):
    """Attaching one more document to a recorded decision."""

    file = forms.FileField(label=_("Document"), help_text=_("A signed scan or file of the decision."))


class TransitionForm(forms.Form):
    """The reason a transition asks for; the workflow itself refuses a blank one when required."""

    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _any(choices):
    if callable(choices):
        return lambda: [("", _("Any")), *choices()]
    return [("", _("Any")), *choices]


class DecisionFilterForm(forms.Form):
    body = forms.ChoiceField(label=_("Deciding body"), required=False, choices=_any(body_choices))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=_any(Outcome.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_any(Status.choices))
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(
        label=_("Text"), required=False, help_text=_("Number, summary or name of the body.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _any([(y, str(y)) for y in selectors.decision_years()])
