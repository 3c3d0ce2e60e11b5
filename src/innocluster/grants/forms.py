"""The forms of the programme and call pages. They only read what a person typed: the services
check every rule again and their refusals come back beside the fields they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.core.calendar import ALMATY
from innocluster.finance.models import FundSource
from innocluster.grants.models import Programme

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AlmatyDateTimeField(forms.DateTimeField):
    """A local day and time typed on the page, read as Almaty time whatever the server's zone."""

    widget = DATETIME_INPUT
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def to_python(self, value):
        from django.utils import timezone

        found = super().to_python(value)
        if found is None:
            return None
        naive = timezone.make_naive(found) if timezone.is_aware(found) else found
        return naive.replace(tzinfo=ALMATY)

    def prepare_value(self, value):
        from django.utils import timezone

        if hasattr(value, "tzinfo") and value is not None and timezone.is_aware(value):
            return value.astimezone(ALMATY).replace(tzinfo=None)
        return value


class ProgrammeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    kind = forms.ChoiceField(label=_("Kind of programme"), choices=Programme.Kind.choices)
    fund_source = forms.ChoiceField(label=_("Source of funds"), choices=FundSource.choices)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea, required=False)
    description_kk = forms.CharField(label=_("Description (Kazakh)"), widget=forms.Textarea, required=False)
    description_ru = forms.CharField(label=_("Description (Russian)"), widget=forms.Textarea, required=False)


class CallForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    summary_en = forms.CharField(label=_("Summary (English)"), widget=forms.Textarea, required=False)
    summary_kk = forms.CharField(label=_("Summary (Kazakh)"), widget=forms.Textarea, required=False)
    summary_ru = forms.CharField(label=_("Summary (Russian)"), widget=forms.Textarea, required=False)
    opens_at = AlmatyDateTimeField(label=_("Opens at (Astana time)"), required=False)
    closes_at = AlmatyDateTimeField(label=_("Closes at (Astana time)"), required=False)
    year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    budget = forms.DecimalField(
        label=_("Budget of the call, tenge"), max_digits=18, decimal_places=2, min_value=0
    )
    max_amount = forms.DecimalField(
        label=_("Largest amount of one award, tenge"), max_digits=18, decimal_places=2, min_value=0
    )
    max_months = forms.IntegerField(label=_("Longest project, months"), min_value=1, max_value=120)
    cofinancing_share = forms.DecimalField(
        label=_("Minimum co-financing share"),
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
        help_text=_("The share of the project's cost the applicant brings, from 0 to 1 (0.2 for 20%)."),
    )
    eligible_categories = forms.MultipleChoiceField(
        label=_("Participant categories that may apply"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, categories=(), with_code=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_categories"].choices = [(c.code, c.name) for c in categories]
        if not with_code:
            del self.fields["code"]


class DocumentForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=50)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


class CriterionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=50)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    description = forms.CharField(label=_("What the experts look at"), widget=forms.Textarea, required=False)
    weight = forms.DecimalField(label=_("Weight, %"), max_digits=5, decimal_places=2, min_value=0)
    scale_max = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=100)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)
