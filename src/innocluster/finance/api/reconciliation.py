"""``/api/v1/finance/statement-lines/``: the reconciliation queue and its commands (the same as the
officer's page): ``match`` (one part or a split), ``suspense``, ``unmatch``. Reading needs
``finance.read``; acting ``finance.reconcile``. A refusal by the rules (a split that does not add
up, a line already matched) is 409 with its code."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from innocluster.apikit.filtering import query
from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.core.access.permissions import can
from innocluster.finance.matchers import Part
from innocluster.finance.models import Account, StatementLine
from innocluster.finance.selectors import banking as selectors
from innocluster.finance.services import reconciliation
from innocluster.parties import selectors as parties


class LineQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=StatementLine.Status.choices, required=False)
    account = serializers.RegexField(
        r"^[A-Z0-9]{15,34}$", required=False, help_text="The Fund's account (IBAN)."
    )
    direction = serializers.ChoiceField(choices=["in", "out"], required=False)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


class PartOutSerializer(serializers.Serializer):
    account = serializers.CharField(source="account.code")
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    party_bin = serializers.CharField(source="party.bin", allow_null=True, default=None)
    memo = serializers.CharField()


class LineSerializer(serializers.ModelSerializer):
    account_iban = serializers.CharField(source="bank_account.iban")

    class Meta:
        model = StatementLine
        fields = [
            "id", "account_iban", "booked_on", "value_on", "amount", "currency", "counterparty_name",
            "counterparty_id", "counterparty_iban", "counterparty_bic", "purpose", "knp", "bank_reference",
            "is_reversal", "status",
        ]  # fmt: skip


class LineDetailSerializer(LineSerializer):
    entry = serializers.SerializerMethodField()
    parts = serializers.SerializerMethodField()

    class Meta(LineSerializer.Meta):
        fields = [*LineSerializer.Meta.fields, "entry", "parts"]

    def _current(self, line):
        return next((m for m in line.matches.all() if m.undone_at is None), None)

    def get_entry(self, line) -> int | None:
        current = self._current(line)
        return current.entry_id if current else None

    def get_parts(self, line) -> list[dict]:
        current = self._current(line)
        return PartOutSerializer(current.parts.all(), many=True).data if current else []


class LineListView(Endpoint, generics.ListAPIView):
    """Bank statement lines, oldest first, filtered like the officer's queue."""

    access_action = "finance.read"
    serializer_class = LineSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StatementLine.objects.none()
        params = query(self.request, LineQuery)
        account = None
        if params.get("account"):
            found = selectors.bank_accounts().filter(iban=params["account"]).first()
            if found is None:
                return StatementLine.objects.none()
            account = found.pk
        return selectors.queue(
            selectors.QueueFilter(
                status=params.get("status", ""),
                account=account,
                direction=params.get("direction", ""),
                since=params.get("since"),
                until=params.get("until"),
            )
        )

    @extend_schema(parameters=[LineQuery], tags=["finance"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The statement line's id.")


def _line_or_404(pk: int) -> StatementLine:
    line = selectors.line_detail(pk)
    if line is None:
        raise Http404(_("There is no such statement line."))
    return line


class LineDetailView(Endpoint, generics.GenericAPIView):
    access_action = "finance.read"
    serializer_class = LineDetailSerializer

    @extend_schema(
        parameters=[PK], responses={200: LineDetailSerializer, 404: error("No such line.")}, tags=["finance"]
    )
    def get(self, request, pk: int):
        return Response(LineDetailSerializer(_line_or_404(pk)).data)


class PartInSerializer(serializers.Serializer):
    account = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Account.objects.filter(postable=True),
        help_text="Account code, e.g. 1281.",
    )
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0)
    party_bin = serializers.CharField(required=False, allow_blank=True, max_length=12)
    memo = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    def validate_party_bin(self, value):
        if not value:
            return None
        found = parties.organisation_by_bin(value)
        if found is None:
            raise serializers.ValidationError(_("No organisation with this BIN is known."))
        return found


class MatchSerializer(serializers.Serializer):
    parts = PartInSerializer(many=True, help_text="Where the money goes; several parts split the line.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


ACTIONS = {"match": MatchSerializer, "suspense": ReasonSerializer, "unmatch": ReasonSerializer}


class LineActionView(Endpoint, generics.GenericAPIView):
    """Match a line (one part, or a split whose parts add up to it), send a receipt to
    unidentified receipts, or undo a match (its entry is reversed)."""

    access_action = "finance.read"
    serializer_class = MatchSerializer

    @extend_schema(
        parameters=[
            PK,
            OpenApiParameter(
                "action",
                str,
                OpenApiParameter.PATH,
                enum=list(ACTIONS),
                description="match, suspense or unmatch.",
            ),
        ],
        request=MatchSerializer,
        responses={
            200: LineDetailSerializer,
            404: error("No such line or action."),
            409: error(
                "Refused by the rules (already matched, parts do not add up, a payment to suspense…)."
            ),
        },
        tags=["finance"],
        description="`match` takes `{parts, note}`; `suspense` and `unmatch` take `{reason}`. Needs `finance.reconcile`.",
    )
    def post(self, request, pk: int, action: str):
        if action not in ACTIONS:
            raise Http404(_("There is no such action."))
        decision = can(request.user, "finance.reconcile")
        if not decision.allowed:
            raise PermissionDenied(decision.reason)
        line = _line_or_404(pk)
        body = ACTIONS[action](data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if action == "match":
            parts = [
                Part(p["account"], p["amount"], party=p.get("party_bin"), memo=p.get("memo", ""))
                for p in data["parts"]
            ]
            reconciliation.match(line, parts, by=request.user, note=data.get("note", ""))
        elif action == "suspense":
            reconciliation.to_suspense(line, reason=data["reason"], by=request.user)
        else:
            reconciliation.unmatch(line, reason=data["reason"], by=request.user)
        return Response(LineDetailSerializer(_line_or_404(pk)).data)
