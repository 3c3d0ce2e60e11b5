"""``GET /api/v1/grants/applications/``: the project applications (never drafts) for the Fund's
staff (``grants.read``), newest submitted first, paginated with a ``count``, filtered by call and
status. The same selector as the staff list and its XLSX export."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from innocluster.apikit.filtering import query
from innocluster.apikit.views import Endpoint
from innocluster.grants.models import ApplicationStatus, ProjectApplication
from innocluster.grants.selectors import applications as selectors


class ApplicationQuerySerializer(serializers.Serializer):
    call = serializers.IntegerField(required=False, min_value=1, help_text="Only this call (its id).")
    status = serializers.ChoiceField(
        choices=ApplicationStatus.choices,
        required=False,
        help_text="Only this status (drafts are never listed: the staff see submitted applications only).",
    )


class StaffApplicationSerializer(serializers.ModelSerializer):
    call = serializers.IntegerField(source="call_id", read_only=True, help_text="The call's id.")
    call_code = serializers.CharField(source="call.code", read_only=True)
    programme = serializers.CharField(source="call.programme.code", read_only=True)
    organisation_bin = serializers.CharField(source="organisation.bin", read_only=True)
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, help_text="In the reader's language."
    )
    project_title = serializers.CharField(source="project.title", read_only=True)
    experts = serializers.IntegerField(
        read_only=True, help_text="Experts assigned (not cancelled or recused)."
    )
    average_score = serializers.DecimalField(
        max_digits=7, decimal_places=2, read_only=True, allow_null=True,
        help_text="Mean weighted score of the submitted reviews; null before any.",
    )  # fmt: skip
    intake_due = serializers.DateField(
        read_only=True, allow_null=True, help_text="While the intake check is pending: the day it is due."
    )

    class Meta:
        model = ProjectApplication
        fields = [
            "id", "number", "call", "call_code", "programme", "organisation_bin", "organisation_name",
            "project_title", "requested_amount", "cofinancing_amount", "status", "submitted_at", "intake_due",
            "revision_round", "experts", "average_score",
        ]  # fmt: skip
        read_only_fields = fields


class StaffApplicationListView(Endpoint, generics.ListAPIView):
    """Project applications for the Fund's staff, newest submitted first."""

    access_action = "grants.read"
    serializer_class = StaffApplicationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProjectApplication.objects.none()
        filters = query(self.request, ApplicationQuerySerializer)
        return selectors.staff_applications(
            selectors.ApplicationFilter(call=filters.get("call"), status=filters.get("status", ""))
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.with_intake_due(page) if page is not None else None

    @extend_schema(
        parameters=[ApplicationQuerySerializer],
        responses={200: StaffApplicationSerializer(many=True)},
        tags=["grants"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
