"""The serializers of the applications endpoints (``api/applications.py``): what an application
looks like over the API, and what a caller may send to start, submit or move one."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from innocluster.apikit.errors import Unprocessable
from innocluster.apikit.schema import error
from innocluster.registry.models import Application, ApplicationDocument, ParticipantCategory, RevisionComment
from innocluster.registry.selectors.applications import current_comments, is_overdue
from innocluster.registry.selectors.register import today
from innocluster.registry.workflow import APPLICATION_WORKFLOW

from .project_serializers import ProjectInputSerializer, ProjectSerializer, project_data

S = Application.Status


STATUS_HELP = "One of: " + ", ".join(S.values) + "."


class OrganisationSummarySerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The name in the reader's language where known.")
    bin = serializers.CharField()


class IndividualSummarySerializer(serializers.Serializer):
    """A person by name only: the IIN is personal data and is not shown."""

    name = serializers.CharField()


class ApplicationDecisionSerializer(serializers.Serializer):
    number = serializers.CharField()
    decided_on = serializers.DateField()


class ApplicationSerializer(serializers.ModelSerializer):
    """An application as listed."""

    # A plain string rather than an enum: ``status`` already names the register's status enum in
    # the schema, and a second choice set under the same name is a schema warning.
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    kind = serializers.CharField(
        source="category.kind", read_only=True, help_text="organisation or individual"
    )
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)
    individual = IndividualSummarySerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField(
        help_text="The running deadline (the commission's, else moderation's) has passed."
    )
    register_number = serializers.CharField(
        source="participant.number",
        read_only=True,
        allow_null=True,
        help_text="Once registered; null before.",
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "status",
            "status_name",
            "category",
            "category_name",
            "kind",
            "organisation",
            "individual",
            "submitted_on",
            "moderation_due",
            "commission_due",
            "total_due",
            "overdue",
            "register_number",
            "created_at",
        ]
        read_only_fields = fields

    def get_overdue(self, application) -> bool:
        return is_overdue(application, today=self.context.get("today") or today())


class RevisionCommentSerializer(serializers.ModelSerializer):
    """One item of the last return for revision, with the applicant's answer once given."""

    class Meta:
        model = RevisionComment
        fields = ["id", "round", "item", "text", "response", "created_at"]
        read_only_fields = fields


class ApplicationDocumentSerializer(serializers.ModelSerializer):
    """A filed document (every version is kept; the highest version of a kind is the current one)."""

    kind = serializers.CharField(source="kind.code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = ApplicationDocument
        fields = [
            "id",
            "kind",
            "kind_name",
            "version",
            "name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
        ]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    """An application with what the applicant and staff need to act on it."""

    comments = serializers.SerializerMethodField(
        help_text="The comments of the last return for revision, with the applicant's answers."
    )
    documents = ApplicationDocumentSerializer(many=True, read_only=True)
    decision = ApplicationDecisionSerializer(
        read_only=True, allow_null=True, help_text="The commission's decision, once taken."
    )
    actions = serializers.SerializerMethodField(
        help_text="The transitions the caller may perform now (submit, resubmit, accept, ...)."
    )
    project = serializers.SerializerMethodField(
        help_text="The project: period, measures, budget, activities."
    )

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "project_summary",
            "project",
            "comments",
            "documents",
            "decision",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(RevisionCommentSerializer(many=True))
    def get_comments(self, application):
        return RevisionCommentSerializer(current_comments(application), many=True).data

    @extend_schema_field(ProjectSerializer)
    def get_project(self, application):
        return ProjectSerializer(project_data(application)).data

    def get_actions(self, application) -> list[str]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return [t.name for t in APPLICATION_WORKFLOW.available(user, application)]


class ApplicationStartSerializer(serializers.Serializer):
    category = serializers.CharField(
        max_length=50, help_text="The participant category code (see the register's categories)."
    )
    project = ProjectInputSerializer(
        required=False, help_text="Optional: the project, as PUT …/project/ takes it, saved with the draft."
    )

    def validate_category(self, code):
        # A code that names no category is well formed but refused (422), not a malformed request.
        category = ParticipantCategory.objects.filter(code=code).first()
        if category is None:
            raise Unprocessable({"category": [_("No participant category has this code.")]})
        return category


class ApplicationSubmitSerializer(serializers.Serializer):
    responses = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="After a return for revision: the answer to each comment, by comment id.",
    )

    def validate_responses(self, value):
        answers = {}
        for key, text in value.items():
            try:
                answers[int(key)] = text
            except (TypeError, ValueError):
                # Any key is schema-valid (OpenAPI 3.0 cannot constrain keys): a rule, so 422.
                raise Unprocessable(
                    {"responses": [_("“%(key)s” is not a comment id.") % {"key": key}]}
                ) from None
        return answers


class RevisionItemSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=100, help_text="What is wrong: a field or a document.")
    text = serializers.CharField(help_text="What the applicant must do.")


class CommissionDecisionSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=50, help_text="The commission's decision number, as issued.")
    decided_on = serializers.DateField()
    basis = serializers.CharField(help_text="The law or rules under which the commission decided.")
    meeting_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)


TRANSITIONS = ("accept", "return_for_revision", "approve", "reject", "issue_certificate")


class ApplicationTransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(
        choices=[(name, APPLICATION_WORKFLOW.get(name).label) for name in TRANSITIONS],
        help_text="The transition to perform.",
    )
    items = RevisionItemSerializer(
        many=True,
        required=False,
        help_text="return_for_revision: the itemised comments for the applicant.",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="return_for_revision: a general comment (with or instead of items); "
        "reject: the reasons (required).",
    )
    decision = CommissionDecisionSerializer(
        required=False, help_text="approve and reject: the commission's decision record (required)."
    )

    def validate(self, attrs):
        if attrs["name"] in ("approve", "reject") and not attrs.get("decision"):
            # The schema cannot tie ``decision`` to the transition's name: a rule, so 422.
            raise Unprocessable({"decision": [_("Refer to the commission's decision record.")]})
        return attrs

    def inputs(self) -> dict:
        """The body as the commands' inputs (each command takes the ones it needs)."""
        data = self.validated_data
        return {
            "reason": data.get("reason", ""),
            "items": [(item["item"], item["text"]) for item in data.get("items", [])],
            **data.get("decision", {}),
        }


CONFLICT = error("Not possible in the application's state now (code `illegal_transition`).")


class ApplicationQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=S.choices, required=False, help_text="Only this status.")
    overdue = serializers.BooleanField(
        required=False, help_text="true: only applications whose running deadline has passed."
    )
