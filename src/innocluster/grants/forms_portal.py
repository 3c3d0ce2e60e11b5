"""The forms of the participant's project applications. They only read what a person typed; the
services check every rule again and their refusals come back beside the fields they name. Rows
(milestones, budget items, team, indicators) are formsets: a blank row is added after each save,
and a row is removed by ticking its box."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.grants.models import BudgetItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 18, "decimal_places": 2, "min_value": 0}


class StartForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    project = forms.ChoiceField(label=_("Existing project"), required=False)
    title = forms.CharField(label=_("Or a new project's title"), max_length=300, required=False)

    def __init__(self, *args, organisations=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["project"].choices = [("", "—")] + [
            (p.pk, f"{p.title} ({p.organisation.name})") for p in projects
        ]

    def clean(self):
        data = super().clean()
        if not data.get("project") and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the project a title or choose one of your projects."))
        return data


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=300)
    summary = forms.CharField(label=_("Summary of the project"), widget=forms.Textarea, required=False)
    starts_on = forms.DateField(label=_("Start of the project"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("End of the project"), widget=DATE, required=False)
    requested_amount = forms.DecimalField(label=_("Amount requested, tenge"), required=False, **MONEY)
    cofinancing_amount = forms.DecimalField(label=_("Co-financing, tenge"), required=False, **MONEY)
    cofinancing_source = forms.CharField(
        label=_("Source of the co-financing"), max_length=300, required=False
    )
    expected_results = forms.CharField(label=_("Expected results"), widget=forms.Textarea, required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=300)
    starts_on = forms.DateField(label=_("Start date"), widget=DATE)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    deliverable = forms.CharField(label=_("Deliverable"), max_length=2000, required=False)
    amount = forms.DecimalField(label=_("Amount, tenge"), **MONEY)


class BudgetItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Item of expenditure"), choices=BudgetItem.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    requested = forms.DecimalField(label=_("Requested, tenge"), **MONEY)
    cofinanced = forms.DecimalField(label=_("Co-financed, tenge"), required=False, **MONEY)


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role in the project"), max_length=200)
    qualification = forms.CharField(label=_("Qualification"), max_length=300, required=False)
    share = forms.DecimalField(
        label=_("Share of working time"), max_digits=5, decimal_places=4, min_value=0, max_value=1, initial=1
    )


class KpiForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=50)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=18, decimal_places=2, required=False)
    target = forms.DecimalField(label=_("Target"), max_digits=18, decimal_places=2)
    year = forms.IntegerField(label=_("Target year"), min_value=2000, max_value=2100)


def rows(form_class):
    return forms.formset_factory(form_class, extra=1, can_delete=True)


MilestoneFormSet = rows(MilestoneForm)
BudgetFormSet = rows(BudgetItemForm)
TeamFormSet = rows(TeamMemberForm)
KpiFormSet = rows(KpiForm)


def kept(formset) -> list[dict]:
    """The rows of a valid formset that were filled and not ticked for removal: the rows saved
    before (kept even when unchanged, since a step's save replaces all its rows) and the new
    rows filled in."""
    saved = formset.initial_form_count()
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for index, form in enumerate(formset.forms)
        if (index < saved or form.has_changed()) and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class NoteForm(forms.Form):
    research_state = forms.CharField(label=_("State of the research"), widget=forms.Textarea, required=False)
    industrial_readiness = forms.CharField(
        label=_("Readiness for industrial use"), widget=forms.Textarea, required=False
    )
    prototype = forms.CharField(label=_("Prototype"), widget=forms.Textarea, required=False)
    novelty = forms.CharField(
        label=_("Novelty against world analogues"), widget=forms.Textarea, required=False
    )
    patent_search = forms.CharField(label=_("Patent search"), widget=forms.Textarea, required=False)
    ip_owner = forms.CharField(label=_("Owner of the intellectual property"), max_length=300, required=False)


class FileForm(forms.Form):
    code = forms.SlugField(max_length=50, widget=forms.HiddenInput)
    file = forms.FileField(label=_("File"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)
