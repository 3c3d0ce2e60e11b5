"""``/api/v1/levy/statements/<bin>/``: a subsoil user's account statement as data — the opening
balance, each movement on its levy receivable with the running balance, the closing balance, its
obligations and its credits. The Fund's levy readers read any subsoil user's; a company's
representative only one it represents (another's answers 404, as if it did not exist)."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from innocluster.apikit.filtering import query
from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.core.access.permissions import can
from innocluster.core.policy import values as policy
from innocluster.levy.api.endpoints import RATE_HELP, SHARE_HELP
from innocluster.levy.selectors import statement as selectors
from innocluster.parties import selectors as parties
from innocluster.parties.models import Organisation

MONEY = {"max_digits": 18, "decimal_places": 2}


class StatementQuery(serializers.Serializer):
    # "from" is a Python keyword: the field is named in the serializer's fields below.
    to = serializers.DateField(required=False, help_text="The last day of the period (default: today).")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False,
            help_text="The first day of the period (default: 1 January of the last day's year).",
        )
        return fields

    def validate(self, attrs):
        end = attrs.get("to") or policy.today()
        start = attrs.get("from") or dt.date(end.year, 1, 1)
        if start > end:
            raise serializers.ValidationError({"from": [_("The period starts after it ends.")]})
        return {"from": start, "to": end}


class MovementSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.CharField(
        help_text="What the movement was: assessed, adjusted, payment, rnd (direct R&D spending), "
        "credit_applied, released (settled above a lowered obligation, moved to a credit), "
        "release_undone (a payment undone after such a move: its credit taken back) or other."
    )
    reference = serializers.CharField()
    description = serializers.CharField()
    charged = serializers.DecimalField(**MONEY, help_text="Raises what is owed (debit of levy receivable).")
    settled = serializers.DecimalField(**MONEY, help_text="Lowers what is owed (credit of levy receivable).")
    balance = serializers.DecimalField(**MONEY, help_text="Owed to the Fund after this movement.")


class StatementObligationSerializer(serializers.Serializer):
    reference = serializers.CharField()
    contract = serializers.CharField(source="contract.number")
    year = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=7, decimal_places=6, help_text=SHARE_HELP)
    rate = serializers.DecimalField(max_digits=9, decimal_places=6, help_text=RATE_HELP)
    amount = serializers.DecimalField(**MONEY)
    settled = serializers.DecimalField(**MONEY)
    outstanding = serializers.DecimalField(**MONEY)
    due_date = serializers.DateField()


class StatementCreditSerializer(serializers.Serializer):
    kind = serializers.CharField()
    source_year = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    used = serializers.DecimalField(**MONEY)
    refunded = serializers.DecimalField(**MONEY)
    expired = serializers.DecimalField(**MONEY)
    left = serializers.DecimalField(**MONEY)
    expires_on = serializers.DateField(allow_null=True, help_text="null: usable without a time limit")
    cancelled = serializers.SerializerMethodField()

    def get_cancelled(self, credit) -> bool:
        return credit.cancelled_at is not None


class StatementSerializer(serializers.Serializer):
    bin = serializers.CharField(source="holder.bin")
    name_ru = serializers.CharField(source="holder.name_ru")
    name_kk = serializers.CharField(source="holder.name_kk")
    start = serializers.DateField()
    end = serializers.DateField()
    opening = serializers.DecimalField(**MONEY)
    charged = serializers.DecimalField(**MONEY)
    settled = serializers.DecimalField(**MONEY)
    closing = serializers.DecimalField(**MONEY)
    movements = MovementSerializer(many=True)
    obligations = StatementObligationSerializer(many=True)
    credits = StatementCreditSerializer(many=True)


class StatementView(Endpoint, generics.GenericAPIView):
    """A subsoil user's account statement for a period."""

    access_action = "levy.statement.read"
    serializer_class = StatementSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("bin", str, OpenApiParameter.PATH, description="The subsoil user's BIN."),
            StatementQuery,
        ],
        responses={200: StatementSerializer, 404: error("No such subsoil user, or not one you represent.")},
        tags=["levy"],
    )
    def get(self, request, bin: str):
        holder = Organisation.objects.filter(bin=bin).first()
        if holder is None or not (
            can(request.user, "levy.read").allowed or parties.represents(request.user, holder.pk)
        ):
            raise Http404(_("There is no such statement."))
        period = query(request, StatementQuery)
        data = selectors.statement(holder, period["from"], period["to"])
        return Response(StatementSerializer(data).data)
