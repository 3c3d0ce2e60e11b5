"""Forms of the finance pages. They only collect input: the finance commands decide, and their
refusals are shown beside the form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.core.widgets import DATE_INPUT
from innocluster.finance.models import Account, StatementLine
from innocluster.finance.selectors.banking import QueueFilter, bank_accounts
from innocluster.parties import selectors as parties

FORMATS = [
    ("auto", _("Recognise automatically")),
    ("mt940", "MT940"),
    ("camt053", "ISO 20022 camt.053"),
    ("1c", _("1C ClientBankExchange")),
    ("csv", _("CSV (semicolon-separated)")),
]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Statement file"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="auto")
    dry_run = forms.BooleanField(
        label=_("Only check the file and count its lines (write nothing)"), required=False
    )


class QueueFilterForm(forms.Form):
    # Unfiltered, the queue shows what waits (and the select says so); "Any" shows every line.
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *StatementLine.Status.choices],
        initial=StatementLine.Status.UNMATCHED,
    )
    account = forms.TypedChoiceField(label=_("Bank account"), required=False, coerce=int, empty_value=None)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("Receipts and payments")), ("in", _("Receipts")), ("out", _("Payments"))],
    )
    since = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    until = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    q = forms.CharField(label=_("Payer, purpose, BIN or reference"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("All accounts"))] + [
            (a.pk, f"{a.iban} · {a.name}") for a in bank_accounts()
        ]

    def filters(self) -> QueueFilter:
        if not self.is_bound:
            return QueueFilter()
        if not self.is_valid():
            return QueueFilter()
        data = self.cleaned_data
        return QueueFilter(
            status=data["status"],
            account=data["account"],
            direction=data["direction"],
            since=data["since"],
            until=data["until"],
            q=data["q"],
        )


def postable_accounts():
    return Account.objects.filter(postable=True).exclude(bank_account__isnull=False).order_by("code")


class PartForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), empty_label=_("— choose an account —")
    )
    party = forms.CharField(label=_("Organisation's BIN"), required=False, max_length=12)
    amount = forms.DecimalField(
        label=_("Amount, ₸"), max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )
    memo = forms.CharField(label=_("Memo"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = postable_accounts()
        self.fields["account"].label_from_instance = lambda a: f"{a.code} {a.name}"

    def clean_party(self):
        bin_ = (self.cleaned_data.get("party") or "").strip()
        if not bin_:
            return None
        found = parties.organisation_by_bin(bin_)
        if found is None:
            raise forms.ValidationError(_("No organisation with BIN %(bin)s is known."), params={"bin": bin_})
        return found

    def clean(self):
        data = super().clean()
        account = data.get("account")
        if account is not None and account.requires_party and not data.get("party"):
            self.add_error(
                "party",
                _("Account %(code)s is kept per organisation: give the BIN.") % {"code": account.code},
            )
        return data


class BasePartFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data for form in self.forms):
            raise forms.ValidationError(_("Give at least one account and amount."))


PartFormSet = forms.formset_factory(PartForm, formset=BasePartFormSet, extra=2, max_num=10, validate_max=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class BulkForm(forms.Form):
    lines = forms.TypedMultipleChoiceField(label=_("Lines"), coerce=int, choices=())
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("suspense", _("Send to unidentified receipts")), ("auto", _("Run the matchers again"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, line_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(pk, pk) for pk in line_ids]

    def clean(self):
        data = super().clean()
        if data.get("action") == "suspense" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why these receipts cannot be identified."))
        return data


class EntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    description = forms.CharField(label=_("Description"), max_length=500)
    reference = forms.CharField(label=_("Reference (document number)"), max_length=100, required=False)


class LegForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Account"), queryset=Account.objects.none(), empty_label=_("— choose an account —")
    )
    debit = forms.DecimalField(
        label=_("Debit, ₸"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    credit = forms.DecimalField(
        label=_("Credit, ₸"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    party = forms.CharField(label=_("Organisation's BIN"), required=False, max_length=12)
    memo = forms.CharField(label=_("Memo"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(postable=True).order_by("code")
        self.fields["account"].label_from_instance = lambda a: f"{a.code} {a.name}"

    clean_party = PartForm.clean_party

    def clean(self):
        data = super().clean()
        if bool(data.get("debit")) == bool(data.get("credit")):
            raise forms.ValidationError(_("Give either a debit or a credit."))
        return data


LegFormSet = forms.formset_factory(
    LegForm, formset=BasePartFormSet, extra=2, min_num=2, max_num=20, validate_max=True
)


class MonthForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    month = forms.IntegerField(min_value=1, max_value=12)
    reason = forms.CharField(max_length=500, required=False)
