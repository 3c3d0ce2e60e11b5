"""Admin views of the Fund's money: every record is read-only here (money is posted and reversed
through the finance commands, never edited), except that a bank account can be added — through
the same command as ``innocluster bank accounts add``."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from innocluster.core.errors import DomainError
from innocluster.core.readonly_admin import ReadOnlyAdmin
from innocluster.finance.models import (
    Account,
    BankAccount,
    BankStatement,
    Budget,
    BudgetLine,
    Commitment,
    JournalEntry,
    JournalLine,
    Period,
    StatementImport,
    StatementLine,
)
from innocluster.finance.services.banking import add_bank_account


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_ru", "type", "normal_side", "postable", "requires_party", "fund_source")
    list_filter = ("type", "postable", "fund_source")
    search_fields = ("code", "name_ru", "name_kk", "name_en", "key")


class JournalLineInline(admin.TabularInline):
    model = JournalLine
    fields = ("account", "debit", "credit", "party", "budget", "fund_source", "memo")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("id", "date", "reference", "description", "kind", "status")
    list_filter = ("status", "kind")
    search_fields = ("reference", "description")
    inlines = (JournalLineInline,)


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "closed_at", "closed_by")


class BankAccountForm(forms.ModelForm):
    class Meta:
        model = BankAccount
        fields = ("iban", "bic", "name", "fund_source")

    def clean(self):
        data = super().clean()
        self.instance_result = None
        if self.errors:
            return data
        try:
            self.instance_result = add_bank_account(
                data["iban"], bic=data["bic"], name=data["name"], fund_source=data.get("fund_source", "")
            )
        except DomainError as error:
            raise ValidationError(str(error)) from error
        return data

    def validate_unique(self):
        """The command answers "already there" itself (and changes nothing)."""

    def save(self, commit=True):
        return self.instance_result[0]

    def save_m2m(self):
        return None


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    form = BankAccountForm
    list_display = ("iban", "bic", "name", "fund_source", "ledger_account")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Written by the command in ``clean``; nothing left to save."""


for model in (BankStatement, StatementImport, StatementLine, BudgetLine, Budget, Commitment):
    admin.site.register(model, ReadOnlyAdmin)
