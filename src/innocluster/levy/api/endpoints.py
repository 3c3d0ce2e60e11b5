"""``/api/v1/levy/contracts/``, ``declarations/``, ``obligations/``: ``levy.api`` to call them at
all; staff with ``levy.read`` see every row, a representative only its companies' (another
company's contract, declaration or obligation answers 404). POST ``declarations/`` files a
declaration (``levy.declare``): a refusal by the rules (a negative amount, a future year, not a
representative of a holder) is 422 with the field it names."""

from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from innocluster.apikit.errors import Unprocessable
from innocluster.apikit.filtering import query
from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.core.access.permissions import can
from innocluster.core.errors import DomainError
from innocluster.core.policy import values as policy
from innocluster.levy.models import Contract, Declaration
from innocluster.levy.selectors import contracts as contract_selectors
from innocluster.levy.selectors import obligations as obligation_selectors
from innocluster.levy.services import declarations
from innocluster.levy.views.common import (
    status_of,
    visible_contracts,
    visible_declarations,
    visible_obligations,
)
from innocluster.parties.models import Organisation

ACTION = "levy.api"
TAGS = ["levy"]
MONEY = {"max_digits": 18, "decimal_places": 2}


def _staff(user) -> bool:
    return can(user, "levy.read").allowed


def _fake(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


# --- serializers ---------------------------------------------------------------------------------

# Machine-readable: fractions as decimal strings (the pages show them as percentages).
SHARE_HELP = 'The holder\'s share, a fraction of one as a decimal string: "0.600000" is 60 %.'
RATE_HELP = 'The levy rate, a fraction of the base as a decimal string: "0.010000" is 1 %.'


class HolderSerializer(serializers.Serializer):
    bin = serializers.CharField(source="organisation.bin")
    name = serializers.CharField(
        source="organisation.name", help_text="In the reader's language where known."
    )
    share = serializers.DecimalField(max_digits=7, decimal_places=6, help_text=SHARE_HELP)


class ContractSerializer(serializers.ModelSerializer):
    region_kato = serializers.CharField(source="region.kato")
    holders = HolderSerializer(many=True, source="holders.all")

    class Meta:
        model = Contract
        fields = [
            "id", "number", "date", "mineral", "region_kato", "stage", "basis", "production_start_year", "holders",
        ]  # fmt: skip


class DocumentSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class DeclarationSerializer(serializers.ModelSerializer):
    contract = serializers.CharField(source="contract.number")
    contract_id = serializers.IntegerField()
    on_behalf_of_bin = serializers.CharField(source="on_behalf_of.bin")
    obligation_year = serializers.IntegerField(read_only=True)
    documents = DocumentSerializer(many=True, source="documents.all")

    class Meta:
        model = Declaration
        fields = [
            "id", "contract", "contract_id", "year", "obligation_year", "version", "current", "base_amount",
            "currency", "original_amount", "rate_date", "rate_used", "on_behalf_of_bin", "declared_at", "reason",
            "documents",
        ]  # fmt: skip


class DeclarationCreateSerializer(serializers.Serializer):
    contract_id = serializers.IntegerField()
    year = serializers.IntegerField(help_text="The base year (the obligation is for the next year).")
    amount = serializers.DecimalField(**MONEY, help_text="The base, in `currency`.")
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False, default="KZT")
    rate_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The National Bank rate's date (another currency).",
    )
    on_behalf_of_bin = serializers.RegexField(
        r"^\d{12}$", required=False, help_text="The holder declared for (default: one the caller represents)."
    )


class ObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    year = serializers.IntegerField()
    contract = serializers.CharField(source="contract.number")
    contract_id = serializers.IntegerField()
    holder_bin = serializers.CharField(source="holder.bin")
    share = serializers.DecimalField(max_digits=7, decimal_places=6, help_text=SHARE_HELP)
    base = serializers.DecimalField(**MONEY)
    rate = serializers.DecimalField(max_digits=9, decimal_places=6, help_text=RATE_HELP)
    amount = serializers.DecimalField(**MONEY)
    due_date = serializers.DateField()
    settled = serializers.DecimalField(**MONEY)
    outstanding = serializers.DecimalField(**MONEY)
    status = serializers.CharField(
        help_text="paid (nothing outstanding), arrears (due and not settled), part_paid, open (not yet due).",
    )


class SettlementSerializer(serializers.Serializer):
    kind = serializers.CharField()
    status = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    applied = serializers.DecimalField(**MONEY)
    created_at = serializers.DateTimeField()


class ObligationDetailSerializer(ObligationSerializer):
    settlements = SettlementSerializer(many=True, source="settlement_rows")


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2013, max_value=2100)


class ContractQuery(serializers.Serializer):
    contract_id = serializers.IntegerField(required=False)
    year = serializers.IntegerField(required=False, min_value=2013, max_value=2100)


# --- contracts -----------------------------------------------------------------------------------


class ContractAccess(Endpoint):
    access_action = ACTION
    serializer_class = ContractSerializer

    def get_queryset(self):
        if _fake(self) or _staff(self.request.user):
            return contract_selectors.contracts().order_by("number")
        return visible_contracts(self.request.user).order_by("number")


class ContractListView(ContractAccess, generics.ListAPIView):
    """Subsoil use contracts with their holders and shares: all for staff, a representative's
    companies' for a representative."""

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ContractDetailView(ContractAccess, generics.RetrieveAPIView):
    """One contract (404 when it is not one of the caller's companies')."""

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- declarations --------------------------------------------------------------------------------


class DeclarationAccess(Endpoint):
    access_action = ACTION
    serializer_class = DeclarationSerializer

    def get_queryset(self):
        if _fake(self) or _staff(self.request.user):
            rows = Declaration.objects.select_related("contract", "on_behalf_of").prefetch_related(
                "documents"
            )
        else:
            rows = visible_declarations(self.request.user)
        return rows.order_by("contract__number", "-year", "-version")


class DeclarationListView(DeclarationAccess, generics.ListAPIView):
    """Declarations of the base, every version (``current`` marks the one in force); POST files a
    new one."""

    def get_queryset(self):
        rows = super().get_queryset()
        if _fake(self):
            return rows
        filters = query(self.request, ContractQuery)
        if filters.get("contract_id"):
            rows = rows.filter(contract_id=filters["contract_id"])
        if filters.get("year"):
            rows = rows.filter(year=filters["year"])
        return rows

    @extend_schema(parameters=[ContractQuery], tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=DeclarationCreateSerializer,
        responses={
            201: DeclarationSerializer,
            422: error(
                "Refused by the rules: a negative amount, a future year, no rate for the date, "
                "already declared (amend it), or the caller does not represent a holder."
            ),
        },
        tags=TAGS,
        description="File the base of a contract for a base year (`levy.declare`). Documents are "
        "attached in the portal.",
    )
    def post(self, request, *args, **kwargs):
        decision = can(request.user, "levy.declare")
        if not decision.allowed:
            raise PermissionDenied(decision.reason)
        form = DeclarationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        contracts = ContractAccess()
        contracts.request = request
        contract = contracts.get_queryset().filter(pk=data["contract_id"]).first()
        if contract is None:
            raise Http404
        on_behalf_of = None
        if data.get("on_behalf_of_bin"):
            on_behalf_of = Organisation.objects.filter(bin=data["on_behalf_of_bin"]).first()
            if on_behalf_of is None:
                raise Unprocessable({"on_behalf_of_bin": ["No organisation has this BIN."]})
        try:
            declaration = declarations.declare(
                contract,
                data["year"],
                str(data["amount"]),
                by=request.user,
                currency=data["currency"],
                rate_date=data["rate_date"],
                on_behalf_of=on_behalf_of,
            )
        except DomainError as refusal:
            raise Unprocessable(_field_errors(refusal)) from None
        found = self.get_queryset().get(pk=declaration.pk)
        return Response(DeclarationSerializer(found).data, status=status.HTTP_201_CREATED)


def _field_errors(refusal: DomainError) -> dict[str, list[str]]:
    with translation.override("en"):
        head, sep, _rest = str(refusal).partition(": ")
    names = {"year": "year", "amount": "amount", "rate_date": "rate_date", "on_behalf_of": "on_behalf_of_bin"}
    text = str(refusal)
    if sep and head in names:
        return {names[head]: [text.partition(": ")[2] or text]}
    return {"non_field_errors": [text]}


class DeclarationDetailView(DeclarationAccess, generics.RetrieveAPIView):
    """One declaration version (404 when it is not one of the caller's companies')."""

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- obligations ---------------------------------------------------------------------------------


class ObligationAccess(Endpoint):
    access_action = ACTION
    serializer_class = ObligationSerializer

    def get_queryset(self):
        if _fake(self) or _staff(self.request.user):
            rows = obligation_selectors.obligations()
        else:
            rows = visible_obligations(self.request.user)
        return rows.order_by("-year", "reference")

    def with_status(self, rows):
        today = policy.today()
        rows = list(rows)
        for row in rows:
            row.status = status_of(row, today)
        return rows


class ObligationListView(ObligationAccess, generics.ListAPIView):
    """Obligations with what is settled and outstanding, newest year first."""

    def get_queryset(self):
        rows = super().get_queryset()
        if _fake(self):
            return rows
        year = query(self.request, YearQuery).get("year")
        return rows.filter(year=year) if year else rows

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return self.with_status(page) if page is not None else page

    @extend_schema(parameters=[YearQuery], tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ObligationDetailView(ObligationAccess, generics.RetrieveAPIView):
    """One obligation with its balance and settlements (404 when it is not the caller's)."""

    serializer_class = ObligationDetailSerializer

    def get_object(self):
        found = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        found.status = status_of(found, policy.today())
        found.settlement_rows = list(obligation_selectors.settlements(found))
        return found

    @extend_schema(
        parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH)],
        responses={200: ObligationDetailSerializer},
        tags=TAGS,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
