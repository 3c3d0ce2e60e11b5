"""The application's project step: period, measures, budget lines and priority activities. The
forms check the shape of what is typed; ``services.project`` checks the rules (measures inside the
period, budget years) and its refusals are shown beside the row and field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.core.widgets import DATE_INPUT
from innocluster.parties import selectors as parties


class ActivitiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.oked} — {obj.name}"


class ProjectForm(forms.Form):
    """Step 3: the project (Law 207-V art. 1: measures carried out within a defined period), with
    a formset of its measures and one of its budget lines. A draft may be saved incomplete; the
    review step lists what is still missing. The rules (dates within the period, amounts) are the
    service's, and its refusals land beside the row and field they name."""

    project_title = forms.CharField(
        label=_("Project title"),
        required=False,
        max_length=300,
        help_text=_("A short name of the project, as it should appear in the agreement."),
    )
    project_summary = forms.CharField(
        label=_("Project summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In plain words: what you are building, for whom, and by when. At least 50 characters."),
        error_messages={"required": _("Describe the project.")},
    )
    project_starts_on = forms.DateField(
        label=_("Project start"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("The day the first measure starts."),
    )
    project_ends_on = forms.DateField(
        label=_("Project end"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("The day the last measure ends."),
    )
    priority_activities = ActivitiesField(
        label=_("Priority activities (OKED)"),
        required=False,
        queryset=parties.activities(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The kinds of activity the project carries out. The participation agreement binds the participant to them."
        ),
    )

    ROW_FIELDS = {
        "measures": ("title", "starts_on", "ends_on", "expected_result"),
        "budget": ("item", "year", "amount"),
    }

    def __init__(self, data=None, *, application=None, **kwargs):
        if application is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "project_title": application.project_title,
                "project_summary": application.project_summary,
                "project_starts_on": application.project_starts_on,
                "project_ends_on": application.project_ends_on,
                "priority_activities": list(application.priority_activities.values_list("pk", flat=True)),
            }
        super().__init__(data, **kwargs)
        measures = [
            {name: getattr(m, name) for name in self.ROW_FIELDS["measures"]}
            for m in (application.measures.all() if application is not None else [])
        ]
        lines = [
            {name: getattr(b, name) for name in self.ROW_FIELDS["budget"]}
            for b in (application.budget_lines.order_by("position") if application is not None else [])
        ]
        # A post without a formset's management form (a client that sends the summary only)
        # leaves those rows as they are.
        self.measures = MeasureFormSet(
            _if_posted(data, "measures"), prefix="measures", initial=measures or None
        )
        self.budget = BudgetFormSet(_if_posted(data, "budget"), prefix="budget", initial=lines or None)
        # The formset's forms behind each row given to the service, by the row's index.
        self._rows: dict[str, list] = {"measures": [], "budget": []}

    def is_valid(self) -> bool:
        return all([super().is_valid(), *(f.is_valid() for f in (self.measures, self.budget) if f.is_bound)])

    def _rows_of(self, name: str, formset) -> list[dict]:
        rows, forms_ = [], []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not any(data.get(f) not in (None, "") for f in self.ROW_FIELDS[name]):
                continue
            rows.append({f: data.get(f) for f in self.ROW_FIELDS[name]})
            forms_.append(form)
        self._rows[name] = forms_
        return rows

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "project_title": data["project_title"],
            "project_summary": data["project_summary"],
            "project_starts_on": data["project_starts_on"],
            "project_ends_on": data["project_ends_on"],
            "priority_activities": list(data["priority_activities"]),
        }
        for name, formset in (("measures", self.measures), ("budget", self.budget)):
            if formset.is_bound:
                fields[name] = self._rows_of(name, formset)
        return fields

    def apply_errors(self, error) -> None:
        """A service's refusal beside what it names: ``measures.<i>.<field>`` on that row of the
        formset, a project field on the field, the rest at the top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            name, _dot, rest = key.partition(".")
            if name in self._rows and rest:
                index, _dot, field = rest.partition(".")
                forms_ = self._rows[name]
                if index.isdigit() and int(index) < len(forms_) and field in forms_[int(index)].fields:
                    forms_[int(index)].add_error(field, errors)
                    continue
            self.add_error(key if key in self.fields else None, errors)

    @property
    def row_errors(self) -> bool:
        return any(f.errors for f in (*self.measures.forms, *self.budget.forms))


def _if_posted(data, prefix: str):
    return data if data is not None and f"{prefix}-TOTAL_FORMS" in data else None


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Measure"), required=False, max_length=300)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("End"), required=False, widget=DATE_INPUT)
    expected_result = forms.CharField(
        label=_("Expected result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BudgetLineForm(forms.Form):
    """A budget line's shape only: the service refuses a negative amount, more than two decimal
    places or a year outside the period, naming the line."""

    item = forms.CharField(label=_("Budget item"), required=False, max_length=300)
    year = forms.IntegerField(label=_("Year"), required=False)
    amount = forms.DecimalField(
        label=_("Amount, KZT"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )


MeasureFormSet = forms.formset_factory(MeasureForm, extra=2, can_delete=True, max_num=50, validate_max=True)
BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=3, can_delete=True, max_num=50, validate_max=True)
