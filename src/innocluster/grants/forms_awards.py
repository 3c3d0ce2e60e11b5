"""The staff forms of the award pages (``views_awards``): the decision on an application, paying
a tranche, proposing and refusing an amendment, and the enforcement measures, which may cite the
Fund executive's decision record."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AwardForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount awarded, KZT"), max_digits=18, decimal_places=2)
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=50)
    decided_on = forms.DateField(label=gettext_lazy("Decision date"), widget=DATE_INPUT)
    basis = forms.CharField(label=gettext_lazy("Basis"), widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=50)
    decided_on = forms.DateField(label=gettext_lazy("Decision date"), widget=DATE_INPUT)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PayForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Payment date"), widget=DATE_INPUT)


class AmendmentForm(forms.Form):
    ends_on = forms.DateField(label=gettext_lazy("Project end"), widget=DATE_INPUT, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, milestones=(), tranche_amounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        tranche_amounts = tranche_amounts or {}
        self.positions = []
        for milestone in milestones:
            position = milestone.position
            self.positions.append(position)
            self.fields[f"due_{position}"] = forms.DateField(
                label=_("Milestone %(position)s: due") % {"position": position},
                widget=DATE_INPUT,
                required=False,
                initial=milestone.due_on,
            )
            self.fields[f"amount_{position}"] = forms.DecimalField(
                label=_("Milestone %(position)s: amount, KZT") % {"position": position},
                max_digits=18,
                decimal_places=2,
                required=False,
                initial=tranche_amounts.get(position),
            )

    def milestones(self) -> dict:
        found = {}
        for position in self.positions:
            due, amount = (
                self.cleaned_data.get(f"due_{position}"),
                self.cleaned_data.get(f"amount_{position}"),
            )
            values = {}
            if due is not None:
                values["due_on"] = due
            if amount is not None:
                values["amount"] = amount
            if values:
                found[position] = values
        return found


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class EnforcementForm(ReasonForm):
    """A suspension, resumption or termination: the reason and, optionally, the Fund executive's
    decision record it carries out (only those ``selectors.enforcement_decisions`` offers)."""

    decision = forms.TypedChoiceField(
        label=gettext_lazy("Decision record"),
        help_text=gettext_lazy("The Fund executive's decision ordering the measure, once recorded."),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {d.pk: d for d in decisions}
        self.fields["decision"].choices = [("", "—")] + [
            (d.pk, f"№ {d.number}, {d.decided_on:%d.%m.%Y}" + (f" — {d.summary[:80]}" if d.summary else ""))
            for d in decisions
        ]

    def clean_decision(self):
        pk = self.cleaned_data.get("decision")
        return self.options.get(pk) if pk is not None else None


class ClawbackForm(EnforcementForm):
    amount = forms.DecimalField(label=gettext_lazy("Amount to return, KZT"), max_digits=18, decimal_places=2)
    field_order = ["amount", "reason", "decision"]
