"""The forms of the strategy's editing pages. They only read what a person typed: every rule (a
draft only, a year of the strategy, a metric an installed module offers, a share from 0 to 1) is
checked by ``services.strategy``, whose refusals come back beside the fields they name. Years and
values are read as typed (a year outside the strategy, ``0,85``) so that the service says why."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.governance.models import KpiUnit


class TitlesForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)


class StrategyForm(TitlesForm):
    first_year = forms.IntegerField(label=_("First year"))
    last_year = forms.IntegerField(label=_("Last year"))


class GoalForm(TitlesForm):
    pass


class _Choosing(forms.Form):
    """A form choosing one of the version's rows (``rows``: value → object) in its first field."""

    choice_field = ""

    def __init__(self, *args, rows=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = {str(row.pk): row for row in rows}
        labels = labels or {}
        self.fields[self.choice_field].choices = [
            (pk, labels.get(row.pk, str(row))) for pk, row in self.rows.items()
        ]

    def _chosen(self):
        return self.rows[self.cleaned_data[self.choice_field]]


def _years(form, years) -> None:
    form.fields["year"].widget.choices = [(year, year) for year in years]


class KpiForm(_Choosing):
    choice_field = "goal"

    goal = forms.ChoiceField(label=_("Goal"))
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    metric = forms.ChoiceField(
        label=_("Measured by"),
        required=False,
        help_text=_("A figure an installed module offers, or values entered by hand."),
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        required=False,
        help_text=_("A KPI read from a metric takes the metric's unit; one entered by hand needs its own."),
    )
    higher_is_better = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)

    def __init__(self, *args, metrics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", _("entered by hand")), *metrics]
        self.fields["unit"].choices = [("", _("— the metric's unit —")), *KpiUnit.choices]

    def clean_goal(self):
        return self._chosen()


class TargetForm(_Choosing):
    choice_field = "kpi"

    kpi = forms.ChoiceField(label=_("KPI"))
    year = forms.IntegerField(label=_("Year"), widget=forms.Select)
    value = forms.CharField(
        label=_("Target"),
        max_length=40,
        help_text=_("A number; a share as a fraction from 0 to 1 (0.85 for 85%)."),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        _years(self, years)

    def clean_kpi(self):
        return self._chosen()


class ManualValueForm(_Choosing):
    choice_field = "kpi"

    kpi = forms.ChoiceField(label=_("KPI entered by hand"))
    year = forms.IntegerField(label=_("Year"), widget=forms.Select)
    value = forms.CharField(
        label=_("Actual value"),
        max_length=40,
        help_text=_("A number; a share as a fraction from 0 to 1 (0.85 for 85%)."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the figure comes from: a report, a letter, a count."),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        _years(self, years)

    def clean_kpi(self):
        return self._chosen()
