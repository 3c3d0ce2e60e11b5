"""Forms of the levy pages. They collect what is typed; the levy's services decide (a negative
amount, a future year, someone who does not represent a holder) and their refusals are shown
beside the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.levy.models import Contract
from innocluster.parties.models import Region

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; none is fine unless ``required``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


# --- lists (GET filters) -------------------------------------------------------------------------


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Obligation year"), min_value=2014, max_value=2100, required=False)


class SubsoilUserFilterForm(forms.Form):
    q = forms.CharField(label=_("BIN or name"), required=False, max_length=100)


class ContractFilterForm(forms.Form):
    q = forms.CharField(label=_("Contract number"), required=False, max_length=100)
    mineral = forms.CharField(label=_("Mineral"), required=False, max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All regions")
    )
    stage = forms.ChoiceField(label=_("Stage of the contract"), required=False)
    basis = forms.ChoiceField(label=_("Basis"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("kato")
        self.fields["region"].label_from_instance = lambda r: f"{r.kato} · {r.name}"
        self.fields["stage"].choices = [("", _("Any stage")), *Contract.Stage.choices]
        self.fields["basis"].choices = [("", _("Any basis")), *Contract.Basis.choices]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


# --- files ---------------------------------------------------------------------------------------


class ContractsFileForm(forms.Form):
    file = forms.FileField(
        label=_("Contracts file (CSV or XLSX)"),
        help_text=_(
            "One row per holder: contract_number; contract_date; mineral; region_kato; stage; basis; "
            "production_start_year; holder_bin; holder_name_ru; holder_name_kk; holder_legal_form; "
            "holder_oked; share. The share is a fraction of one, as the contract states it: 0.6 for 60 %, "
            "1 for a sole holder; a contract's shares add up to 1."
        ),
    )


class RatesFileForm(forms.Form):
    file = forms.FileField(
        label=_("Rates file"),
        help_text=_("CSV date;currency;rate, or the National Bank's XML file of daily rates."),
    )


class RateForm(forms.Form):
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, min_length=3)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    rate = forms.CharField(label=_("Tenge per unit"), max_length=30)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


# --- declarations --------------------------------------------------------------------------------


class HolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.bin} · {obj.name}"


class DeclarationForm(forms.Form):
    """The base of a contract for a base year. ``holders``: who it may be filed for (a
    representative: the holders it represents; an officer: every holder)."""

    year = forms.IntegerField(
        label=_("Base year"),
        help_text=_(
            "The year whose income or extraction costs are declared; the obligation is for the next year."
        ),
    )
    amount = forms.CharField(label=_("Base amount"), max_length=30)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="KZT",
        help_text=_(
            "KZT, or the ISO code of the currency the amount is in (converted at the National Bank rate)."
        ),
    )
    rate_date = forms.DateField(
        label=_("Date of the National Bank rate"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Only for an amount in another currency."),
    )
    on_behalf_of = HolderChoiceField(label=_("Declared for"), queryset=None, empty_label=None)
    documents = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_(
            "Financial statements or other evidence of the base: PDF, images, XLSX or DOCX, up to 20 MB each."
        ),
    )

    def __init__(self, *args, holders, amend=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].queryset = holders
        if amend:
            del self.fields["year"]
            self.fields["reason"] = forms.CharField(label=_("Reason for the amendment"), max_length=500)


# --- the assessment ------------------------------------------------------------------------------


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label=_("Obligation year"), min_value=2014, max_value=2100)


# --- settlement ----------------------------------------------------------------------------------


class RndForm(forms.Form):
    amount = forms.CharField(label=_("Amount spent on R&D"), max_length=30)
    description = forms.CharField(
        label=_("What it financed"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Evidence"), help_text=_("PDF, images, XLSX or DOCX, up to 20 MB."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ObligationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} · {obj.contract.number} · {obj.year}"


class ApplyCreditForm(forms.Form):
    obligation = ObligationChoiceField(label=_("Obligation"), queryset=None, empty_label=None)
    amount = forms.CharField(
        label=_("Amount"),
        max_length=30,
        required=False,
        help_text=_("Empty: as much as the credit and the obligation allow."),
    )

    def __init__(self, *args, obligations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = obligations


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.booked_on:%d.%m.%Y} · {obj.amount} · {obj.counterparty_name} · {obj.purpose[:60]}"


class RefundForm(forms.Form):
    line = LineChoiceField(
        label=_("Outgoing bank line of the refund"),
        queryset=None,
        empty_label=_("— choose the payment —"),
        help_text=_(
            "The Fund's payment back to the company, from an imported bank statement, not yet matched."
        ),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
