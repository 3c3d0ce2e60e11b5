"""``GET /api/v1/grants/funded/``: the funded projects (every award not terminated), for anyone,
paginated with a ``count``; ``?programme=<code>``, ``?year=`` and ``?status=`` filter the list."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from innocluster.apikit.views import Endpoint
from innocluster.grants.models import Award
from innocluster.grants.selectors import funded as selectors


class FundedQuerySerializer(serializers.Serializer):
    programme = serializers.CharField(
        required=False, min_length=1, max_length=30, help_text="A programme's code."
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="The year of the award decision."
    )
    status = serializers.ChoiceField(
        required=False,
        choices=Award.Status.choices,
        help_text="Only this status (terminated awards are never listed).",
    )


class FundedProjectSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="application.project.title", read_only=True)
    organisation = serializers.CharField(source="application.organisation.name_ru", read_only=True)
    organisation_bin = serializers.CharField(source="application.organisation.bin", read_only=True)
    programme = serializers.CharField(source="application.call.programme.code", read_only=True)
    paid = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    year = serializers.IntegerField(source="decision.decided_on.year", read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = [
            "number", "project", "organisation", "organisation_bin", "programme", "amount", "paid",
            "status", "year", "results",
        ]  # fmt: skip
        read_only_fields = fields

    def get_results(self, award) -> str:
        return award.results if award.status == Award.Status.CLOSED else ""


class FundedListView(Endpoint, generics.ListAPIView):
    """The funded projects, newest decision first."""

    access_action = "grants.public"
    serializer_class = FundedProjectSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Award.objects.none()
        query = FundedQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.funded_awards(**query.validated_data)

    @extend_schema(
        tags=["grants"],
        parameters=[FundedQuerySerializer],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
