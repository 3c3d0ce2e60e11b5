"""The public register over the API: serializers and views, routed by ``innocluster.api.urls``.

The registry sits below the API app in the layers contract (``pyproject.toml``), so this module
does not import ``innocluster.api``: the views take the project's DRF defaults from settings
(``CanPermission``, the token and session authenticators, page-number pagination) and declare their
``access_action``; ``innocluster.api.urls`` wraps them with ``api_view_for`` which checks both.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from innocluster.registry.forms.public import SORT_CHOICES, RegisterSearchForm
from innocluster.registry.models import Participant, StatusChange
from innocluster.registry.selectors.register import participant_by_number, search_register


class StatusChangeSerializer(serializers.ModelSerializer):
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    grounds = serializers.CharField(source="reason", read_only=True)
    decision = serializers.SerializerMethodField(help_text="The decision this change rests on, if recorded.")

    class Meta:
        model = StatusChange
        fields = ["status", "status_name", "effective_on", "grounds", "decision"]
        read_only_fields = fields

    def get_decision(self, change) -> str | None:
        return str(change.decision) if change.decision_id else None


class ParticipantSerializer(serializers.ModelSerializer):
    """A register entry. Individuals are shown by name and category only (no IIN)."""

    name = serializers.SerializerMethodField(help_text="The name in the reader's language where known.")
    kind = serializers.SerializerMethodField(help_text="organisation or individual")
    bin = serializers.CharField(
        source="organisation.bin", allow_null=True, read_only=True, help_text="null for individuals"
    )
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    region = serializers.CharField(
        source="region.kato", allow_null=True, read_only=True, help_text="KATO code"
    )
    region_name = serializers.CharField(source="region.name", allow_null=True, read_only=True)

    class Meta:
        model = Participant
        fields = [
            "number",
            "name",
            "kind",
            "bin",
            "category",
            "category_name",
            "status",
            "status_name",
            "status_since",
            "registered_on",
            "region",
            "region_name",
        ]
        read_only_fields = fields

    def get_name(self, participant) -> str:
        return participant.organisation.name if participant.organisation_id else participant.display_name

    def get_kind(self, participant) -> str:
        return "organisation" if participant.organisation_id else "individual"


class ParticipantDetailSerializer(ParticipantSerializer):
    activity = serializers.CharField(
        source="organisation.activity.oked",
        allow_null=True,
        read_only=True,
        help_text="OKED code of the main activity",
    )
    activity_name = serializers.CharField(
        source="organisation.activity.name", allow_null=True, read_only=True
    )
    history = StatusChangeSerializer(many=True, read_only=True)

    class Meta(ParticipantSerializer.Meta):
        fields = [*ParticipantSerializer.Meta.fields, "activity", "activity_name", "history"]
        read_only_fields = fields


FILTERS = [
    OpenApiParameter(
        "q", str, description="Part of the name (any language), or a BIN or register number exactly."
    ),
    OpenApiParameter("category", str, description="Participant category code."),
    OpenApiParameter("status", str, enum=Participant.Status.values),
    OpenApiParameter("region", str, description="KATO code of the region."),
    OpenApiParameter(
        "sort", str, enum=[value for value, _label in SORT_CHOICES], description="Order of the rows."
    ),
]


class ParticipantListView(generics.ListAPIView):
    """The public register, filtered and sorted like ``/register/``, paginated with a ``count``."""

    access_action = "registry.public"
    serializer_class = ParticipantSerializer
    filter_backends: list = []

    def get_queryset(self):
        form = RegisterSearchForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        return search_register(form.filters())

    @extend_schema(parameters=FILTERS, tags=["registry"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ParticipantDetailView(generics.RetrieveAPIView):
    """One register entry by its number, with the full status history."""

    access_action = "registry.public"
    serializer_class = ParticipantDetailSerializer
    lookup_field = "number"
    filter_backends: list = []
    queryset = Participant.objects.none()  # for the schema; get_object reads through the selector

    def get_object(self):
        participant = participant_by_number(self.kwargs["number"])
        if participant is None:
            raise Http404(_("No participant has this register number."))
        self.check_object_permissions(self.request, participant)
        return participant

    @extend_schema(
        parameters=[OpenApiParameter("number", str, OpenApiParameter.PATH, description="Register number.")],
        tags=["registry"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
