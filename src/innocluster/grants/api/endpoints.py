"""``GET /api/v1/grants/calls/``: the published calls (open, coming and closed), for anyone, with
their window, amounts, eligible categories, documents and rubric. Drafts, calls waiting for
approval and withdrawn calls are not listed."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from innocluster.apikit.views import Endpoint
from innocluster.grants import selectors
from innocluster.grants.models import Call, CallDocument, Criterion


class GrantsDocumentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="In the reader's language.")

    class Meta:
        model = CallDocument
        fields = ["position", "code", "title", "title_kk", "title_ru", "title_en", "required"]
        read_only_fields = fields


class GrantsCriterionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="In the reader's language.")

    class Meta:
        model = Criterion
        fields = [
            "position",
            "code",
            "title",
            "title_kk",
            "title_ru",
            "title_en",
            "description",
            "weight",
            "scale_max",
        ]
        read_only_fields = fields


class GrantsCallSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(
        source="programme.code", read_only=True, help_text="The programme's code."
    )
    title = serializers.CharField(read_only=True, help_text="In the reader's language.")
    phase = serializers.ChoiceField(
        choices=["open", "coming", "closed"], read_only=True, help_text="Computed from the window now."
    )
    eligible_categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    documents = GrantsDocumentSerializer(many=True, read_only=True)
    criteria = GrantsCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "id", "programme", "code", "title", "title_kk", "title_ru", "title_en", "summary_kk", "summary_ru",
            "summary_en", "opens_at", "closes_at", "phase", "year", "budget", "max_amount", "max_months",
            "cofinancing_share", "eligible_categories", "documents", "criteria",
        ]  # fmt: skip
        read_only_fields = fields


class CallListView(Endpoint, generics.ListAPIView):
    """The published calls, soonest closing first, paginated with a ``count``."""

    access_action = "grants.public"
    serializer_class = GrantsCallSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Call.objects.none()
        return selectors.published_calls()

    @extend_schema(tags=["grants"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
