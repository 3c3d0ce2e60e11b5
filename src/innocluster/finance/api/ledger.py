"""``/api/v1/finance/accounts/``, ``trial-balance/``, ``entries/<id>/``, ``budgets/``: the books as
data, for the Fund's accounting system and auditors (``finance.read``)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from innocluster.apikit.filtering import query
from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.finance.models import Account, Budget
from innocluster.finance.selectors import journal as journal_selectors
from innocluster.finance.selectors.ledger import trial_balance

READ = "finance.read"


class AccountSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Account
        fields = [
            "code",
            "key",
            "name_kk",
            "name_ru",
            "name_en",
            "type",
            "normal_side",
            "parent",
            "postable",
            "requires_party",
            "fund_source",
        ]


class AccountListView(Endpoint, generics.ListAPIView):
    """The chart of accounts, in code order."""

    access_action = READ
    serializer_class = AccountSerializer

    def get_queryset(self):
        return Account.objects.select_related("parent").order_by("code")

    @extend_schema(tags=["finance"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TrialBalanceQuery(serializers.Serializer):
    at = serializers.DateField(
        required=False, help_text="Balances at the end of this day (default: everything posted)."
    )


class BalanceSerializer(serializers.Serializer):
    code = serializers.CharField(source="account.code")
    name_en = serializers.CharField(source="account.name_en")
    debit = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="Sum of debits.")
    credit = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="Sum of credits.")
    debit_balance = serializers.DecimalField(max_digits=18, decimal_places=2)
    credit_balance = serializers.DecimalField(max_digits=18, decimal_places=2)


class TrialBalanceSerializer(serializers.Serializer):
    at = serializers.DateField(allow_null=True)
    accounts = BalanceSerializer(many=True)
    total_debit = serializers.DecimalField(max_digits=18, decimal_places=2)
    total_credit = serializers.DecimalField(max_digits=18, decimal_places=2)


class TrialBalanceView(Endpoint, generics.GenericAPIView):
    """Every account with postings up to a date; debit balances total credit balances."""

    access_action = READ
    serializer_class = TrialBalanceSerializer
    pagination_class = None

    @extend_schema(parameters=[TrialBalanceQuery], responses={200: TrialBalanceSerializer}, tags=["finance"])
    def get(self, request):
        at = query(request, TrialBalanceQuery).get("at")
        rows = trial_balance(at)
        data = {
            "at": at,
            "accounts": rows,
            "total_debit": sum((b.debit_balance for b in rows), 0),
            "total_credit": sum((b.credit_balance for b in rows), 0),
        }
        return Response(TrialBalanceSerializer(data).data)


class EntryLineSerializer(serializers.Serializer):
    account = serializers.CharField(source="account.code")
    debit = serializers.DecimalField(max_digits=18, decimal_places=2)
    credit = serializers.DecimalField(max_digits=18, decimal_places=2)
    party_bin = serializers.CharField(source="party.bin", allow_null=True, default=None)
    budget_line = serializers.CharField(source="budget.line.code", allow_null=True, default=None)
    fund_source = serializers.CharField()
    memo = serializers.CharField()


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()
    status = serializers.CharField()
    kind = serializers.CharField()
    reference = serializers.CharField()
    description = serializers.CharField()
    source_type = serializers.CharField()
    source_id = serializers.CharField()
    reverses = serializers.IntegerField(source="reversal_of_id", allow_null=True)
    posted_at = serializers.DateTimeField(allow_null=True)
    lines = EntryLineSerializer(many=True, source="lines.all")


class EntryDetailView(Endpoint, generics.GenericAPIView):
    """One journal entry with its lines."""

    access_action = READ
    serializer_class = EntrySerializer

    @extend_schema(
        parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The entry's id.")],
        responses={200: EntrySerializer, 404: error("No such entry.")},
        tags=["finance"],
    )
    def get(self, request, pk: int):
        entry = journal_selectors.entry_detail(pk)
        if entry is None:
            raise Http404(_("There is no such journal entry."))
        return Response(EntrySerializer(entry).data)


class BudgetQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class BudgetSerializer(serializers.ModelSerializer):
    line = serializers.CharField(source="line.code")
    available = serializers.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        model = Budget
        fields = ["line", "year", "source", "amount", "committed", "spent", "available"]


class BudgetListView(Endpoint, generics.ListAPIView):
    """Budget execution: each budget line's budget, committed, spent and available by source."""

    access_action = READ
    serializer_class = BudgetSerializer

    def get_queryset(self):
        budgets = Budget.objects.select_related("line").order_by("year", "line__code", "source")
        year = query(self.request, BudgetQuery).get("year")
        return budgets.filter(year=year) if year else budgets

    @extend_schema(parameters=[BudgetQuery], tags=["finance"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
