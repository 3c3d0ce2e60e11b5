"""The public register over the API: serializers and views, routed by ``innocluster.api.urls``.

The views build on apikit's ``Endpoint`` (authentication, ``can()``, the error format, pagination,
conditional GET) and declare their ``access_action``; ``innocluster.api.urls`` routes them with
``api_view_for``. Filters as on ``/register/``, but strictly: an unknown category or region code
finds nothing (200, an empty page), a parameter given empty or twice is refused (400).
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from innocluster.apikit.filtering import query
from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.registry.forms.public import SORT_CHOICES
from innocluster.registry.models import Participant, StatusChange
from innocluster.registry.selectors.register import RegisterFilter, participant_by_number, search_register


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


class RegisterQuerySerializer(serializers.Serializer):
    """The register's filters. Codes are not checked against the reference tables: a code that
    names nothing finds nothing, as a filter should."""

    q = serializers.CharField(
        required=False,
        max_length=300,
        help_text="Part of the name (any language), or a BIN or register number exactly.",
    )
    category = serializers.CharField(required=False, max_length=50, help_text="Participant category code.")
    status = serializers.ChoiceField(required=False, choices=Participant.Status.choices)
    region = serializers.CharField(required=False, max_length=20, help_text="KATO code of the region.")
    sort = serializers.ChoiceField(
        required=False, choices=SORT_CHOICES, help_text="Order of the rows (`-` first: descending)."
    )


class ParticipantListView(Endpoint, generics.ListAPIView):
    """The public register, filtered and sorted like ``/register/``, paginated with a ``count``."""

    access_action = "registry.public"
    serializer_class = ParticipantSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participant.objects.none()
        return search_register(RegisterFilter.from_mapping(query(self.request, RegisterQuerySerializer)))

    @extend_schema(parameters=[RegisterQuerySerializer], tags=["registry"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ParticipantDetailView(Endpoint, generics.RetrieveAPIView):
    """One register entry by its number, with the full status history."""

    access_action = "registry.public"
    serializer_class = ParticipantDetailSerializer
    lookup_field = "number"
    queryset = Participant.objects.none()  # for the schema; get_object reads through the selector

    def get_object(self):
        participant = participant_by_number(self.kwargs["number"])
        if participant is None:
            raise Http404(_("No participant has this register number."))
        self.check_object_permissions(self.request, participant)
        return participant

    @extend_schema(
        parameters=[OpenApiParameter("number", str, OpenApiParameter.PATH, description="Register number.")],
        responses={200: ParticipantDetailSerializer, 404: error("No participant has this register number.")},
        tags=["registry"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
