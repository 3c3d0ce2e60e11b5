"""Forms of the register's staff pages. They only collect input: the services decide (and their
refusals are put beside these forms' fields by the views)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from innocluster.core import forms as shared
from innocluster.registry.models import Application
from innocluster.registry.selectors.staff import (
    ASSIGNEE_ME,
    ASSIGNEE_NOBODY,
    STAGES,
    QueueFilter,
    assignable_users,
    commission_applications,
    decision_by_number,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

SORT_CHOICES = [
    ("due", _("Due date, soonest first")),
    ("-due", _("Due date, latest first")),
    ("submitted", _("Submitted, oldest first")),
    ("-submitted", _("Submitted, newest first")),
    ("number", _("Number, ascending")),
    ("-number", _("Number, descending")),
]


class QueueFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    assignee = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), (ASSIGNEE_ME, _("Me")), (ASSIGNEE_NOBODY, _("Nobody"))],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(
        label=_("Name, BIN or number"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Application.Status.choices)
        # No draft: it is the applicant's until submitted (asked for, it is reported and ignored).
        self.fields["stage"].choices = [
            ("", _("All but drafts")),
            *[(s, capfirst(labels[s])) for s in STAGES],
        ]

    def filters(self) -> QueueFilter:
        """The valid part of what was asked: a bad field is reported and ignored."""
        if not self.is_bound:
            return QueueFilter()
        self.is_valid()
        return QueueFilter.from_mapping(self.cleaned_data)


# --- actions on one application -------------------------------------------------------------------


class TransitionInputs:
    """How a page's form hands its inputs to the workflow's dispatcher: the transition(s) the form
    performs for the URL's ``action`` and the inputs by the command's names."""

    def transitions(self, action: str) -> tuple[str, ...]:
        """The transitions this form may lead to (the user needs the right to each)."""
        return (action,)

    def transition(self, action: str) -> str:
        """The transition to perform, once the form is valid."""
        return action

    def inputs(self) -> dict:
        return {}


class ActionForm(TransitionInputs, forms.Form):
    """An action with nothing to fill in (accept, issue the certificate): only the button."""


class ReturnItemForm(shared.ReturnItemForm):
    missing_text = _("Write what the applicant should change about this item.")


class ReturnForm(shared.ReturnForm, TransitionInputs):
    """A return for revision of an application."""

    item_form = ReturnItemForm
    extra = 4


class CommissionDecisionFields(forms.Form):
    """What the commission's decision record says (``commission.decide_batch``)."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    number = forms.CharField(label=_("Decision number"), max_length=50)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_INPUT)
    basis = forms.CharField(
        label=_("Legal basis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The article of the law or the rules the decision rests on."),
    )
    meeting_reference = forms.CharField(
        label=_("Meeting reference"),
        required=False,
        max_length=200,
        help_text=_("The minutes of the commission's meeting, e.g. “Minutes No. 4 of 10 April”."),
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection: the applicant reads them."),
    )

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            self.fields["outcome"].choices = [c for c in self.fields["outcome"].choices if c[0] in outcomes]

    def decision_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "approve": data["outcome"] == "approve",
            "number": data["number"],
            "decided_on": data["decided_on"],
            "basis": data["basis"],
            "meeting_reference": data["meeting_reference"],
            "reason": data["reason"],
        }


class DecideForm(TransitionInputs, CommissionDecisionFields):
    """One application's decision, from its page: the ``approve`` or ``reject`` transition, on the
    decision record the form describes."""

    def __init__(self, *args, prefix="decide", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)

    def transitions(self, action: str) -> tuple[str, ...]:
        return ("approve", "reject")

    def transition(self, action: str) -> str:
        return self.cleaned_data["outcome"]

    def inputs(self) -> dict:
        inputs = self.decision_kwargs()
        del inputs["approve"]
        return inputs


class ApplicationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        member = obj.organisation or obj.individual
        return _("No. %(number)s — %(member)s") % {"number": obj.pk, "member": member or "—"}


class BatchDecisionForm(CommissionDecisionFields):
    """One decision for several applications with the commission."""

    field_order = ["applications"]

    applications = ApplicationChoiceField(
        label=_("Applications"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one application.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = commission_applications()


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class AssignForm(forms.Form):
    assignee = _PersonChoiceField(
        label=_("Assign to"),
        queryset=None,
        required=False,
        empty_label=_("Nobody (release)"),
    )

    def __init__(self, *args, prefix="assign", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["assignee"].queryset = assignable_users()


# --- register entries ------------------------------------------------------------------------------


class GroundsForm(TransitionInputs, forms.Form):
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(
        label=_("Effective on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave blank for today."),
    )

    def inputs(self) -> dict:
        return {"grounds": self.cleaned_data["grounds"], "on": self.cleaned_data["on"]}


class SuspendForm(GroundsForm):
    def __init__(self, *args, prefix="suspend", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)


class ReinstateForm(GroundsForm):
    def __init__(self, *args, prefix="reinstate", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)


class ExcludeForm(GroundsForm):
    """An exclusion cites a recorded decision, found by its number (and date if the number is
    used more than once)."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=50)
    decision_date = forms.DateField(
        label=_("Decision date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Needed only when several decisions have this number."),
    )

    def __init__(self, *args, prefix="exclude", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.decision = None

    def clean(self):
        data = super().clean()
        number = data.get("decision_number")
        if number:
            found = decision_by_number(number, data.get("decision_date"))
            if not found:
                self.add_error("decision_number", _("No decision is recorded under this number."))
            elif len(found) > 1:
                self.add_error(
                    "decision_date", _("Several decisions have this number: give the decision date.")
                )
            else:
                self.decision = found[0]
        return data

    def inputs(self) -> dict:
        return {**super().inputs(), "decision": self.decision}
