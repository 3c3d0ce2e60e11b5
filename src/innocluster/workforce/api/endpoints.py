"""``/api/v1/workforce/requests/`` and ``specialists/``: ``workforce.api`` to call them at all; the
Fund's readers (HR officer, executives, auditors) see every employer's rows, a participant's
representative only its employers' (another's answers 404). Personal data (passport number, date
of birth) appears on a specialist's detail only, as the pages show it: in full for the HR officer
and the employer (an audited read), masked for the others.

POST ``requests/<id>/actions/<name>/`` performs the workflow's transition ``name`` through
``WORKFLOW.perform``, as the pages and the CLI do: an unknown action 404, a role that may not 403,
a state that does not allow it 409, a refusal by the rules 422 with the fields it names."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from innocluster.apikit.errors import unprocessable
from innocluster.apikit.filtering import query
from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.core.http import client_ip
from innocluster.core.policy import values as policy
from innocluster.core.workflow import TransitionDenied, UnknownTransition
from innocluster.workforce.models import EngagementRequest, RequestDocument, RevisionItem, Specialist
from innocluster.workforce.selectors.personal_data import personal_data
from innocluster.workforce.selectors.requests import is_breached, requests_for, specialists_for
from innocluster.workforce.workflow import WORKFLOW

ACTION = "workforce.api"
TAGS = ["workforce"]
S = EngagementRequest.Status
STATUS_HELP = "One of: " + ", ".join(S.values) + "."


def _fake(view) -> bool:
    return getattr(view, "swagger_fake_view", False)


# --- serializers ---------------------------------------------------------------------------------


class WorkforceEmployerSerializer(serializers.Serializer):
    bin = serializers.CharField()
    name = serializers.CharField(help_text="In the reader's language where known.")


class WorkforceSpecialistSerializer(serializers.ModelSerializer):
    employer = WorkforceEmployerSerializer(read_only=True)

    class Meta:
        model = Specialist
        fields = [
            "id", "employer", "surname_latin", "given_names_latin", "full_name_cyrillic", "citizenship",
            "passport_expiry", "education", "qualification", "experience_years",
        ]  # fmt: skip
        read_only_fields = fields


class WorkforcePersonalDataSerializer(serializers.Serializer):
    passport_number = serializers.CharField()
    date_of_birth = serializers.CharField(help_text="Formatted for the reader; only the year when masked.")
    masked = serializers.BooleanField(
        help_text="true: the caller's role does not need the data (auditors, executives); false: an audited read."
    )


class WorkforceSpecialistDetailSerializer(WorkforceSpecialistSerializer):
    personal_data = serializers.SerializerMethodField()

    class Meta(WorkforceSpecialistSerializer.Meta):
        fields = [*WorkforceSpecialistSerializer.Meta.fields, "personal_data"]
        read_only_fields = fields

    @extend_schema_field(WorkforcePersonalDataSerializer)
    def get_personal_data(self, specialist):
        request = self.context["request"]
        data = personal_data(
            request.user, specialist, where={"api": "workforce specialist"}, ip=client_ip(request)
        )
        return None if data is None else WorkforcePersonalDataSerializer(data).data


class WorkforceRequestSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    category = serializers.CharField(read_only=True, help_text="manager, specialist or qualified_worker.")
    employer = WorkforceEmployerSerializer(read_only=True)
    specialist_id = serializers.IntegerField(read_only=True)
    specialist_name = serializers.CharField(source="specialist.name_latin", read_only=True)
    overdue = serializers.SerializerMethodField(
        help_text="Waiting for a decision past the deadline, or decided after it (an SLA breach)."
    )

    class Meta:
        model = EngagementRequest
        fields = [
            "id", "status", "status_name", "employer", "specialist_id", "specialist_name", "position",
            "occupation_code", "category", "monthly_salary", "contract_start", "contract_end",
            "visa_valid_until", "submitted_at", "deadline", "decided_at", "overdue",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, request) -> bool:
        return is_breached(request, self.context.get("today"))


class WorkforceDocumentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code")
    name = serializers.CharField(source="original_name")

    class Meta:
        model = RequestDocument
        fields = ["id", "kind", "version", "name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class WorkforceRevisionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = RevisionItem
        fields = ["id", "round", "item", "text", "response", "created_at"]
        read_only_fields = fields


class WorkforceRequestDetailSerializer(WorkforceRequestSerializer):
    documents = WorkforceDocumentSerializer(many=True, read_only=True)
    revision_items = WorkforceRevisionItemSerializer(many=True, read_only=True)
    justification = serializers.CharField(read_only=True)
    grounds = serializers.CharField(read_only=True)
    actions = serializers.SerializerMethodField(help_text="The transitions the caller may perform now.")

    class Meta(WorkforceRequestSerializer.Meta):
        fields = [
            *WorkforceRequestSerializer.Meta.fields, "justification", "grounds", "end_reason", "ended_on", "round",
            "documents", "revision_items", "actions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_actions(self, request) -> list[str]:
        user = getattr(self.context.get("request"), "user", None)
        return [t.name for t in WORKFLOW.available(user, request)]


class WorkforceItemSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=100, help_text="What is wrong: a field or a document.")
    text = serializers.CharField(help_text="What the employer must do.")


class WorkforceActionSerializer(serializers.Serializer):
    """The inputs of the transitions; each takes the ones it needs."""

    items = WorkforceItemSerializer(
        many=True, required=False, help_text="return_for_revision: itemised comments."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="return_for_revision: a general comment; extend: the reason (required); end: details.",
    )
    grounds = serializers.CharField(
        required=False, allow_blank=True, help_text="refuse: the grounds (required)."
    )
    responses = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="resubmit: the answer to each comment of the last return, by its id.",
    )
    visa_valid_until = serializers.DateField(required=False, allow_null=True, help_text="activate, extend.")
    new_contract_end = serializers.DateField(required=False, help_text="extend (required).")
    end_reason = serializers.ChoiceField(
        choices=EngagementRequest.EndReason.choices, required=False, help_text="end (required)."
    )

    def inputs(self) -> dict:
        data = dict(self.validated_data)
        if "items" in data:
            data["items"] = [(row["item"], row["text"]) for row in data["items"]]
        return data


class WorkforceRequestQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=S.choices, required=False, help_text="Only this status.")
    overdue = serializers.BooleanField(
        required=False, help_text="true: only those waiting past the deadline."
    )


# --- views ---------------------------------------------------------------------------------------


class RequestAccess(Endpoint):
    access_action = ACTION
    queryset = EngagementRequest.objects.none()

    def get_queryset(self):
        if _fake(self):
            return EngagementRequest.objects.none()
        return requests_for(self.request.user).order_by("-id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": policy.today()}


class RequestListView(RequestAccess, generics.ListAPIView):
    """Requests to attract foreign specialists: every employer's for the Fund's readers, the
    caller's employers' for a representative; newest first."""

    serializer_class = WorkforceRequestSerializer

    def get_queryset(self):
        rows = super().get_queryset()
        if _fake(self):
            return rows
        filters = query(self.request, WorkforceRequestQuery)
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        if filters.get("overdue"):
            rows = rows.filter(status__in=(S.SUBMITTED, S.CHECKED), deadline__lt=policy.today())
        return rows

    @extend_schema(parameters=[WorkforceRequestQuery], tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RequestDetailView(RequestAccess, generics.RetrieveAPIView):
    """One request with its documents, revision comments and the actions the caller may take (404
    when it is not the caller's employer's)."""

    serializer_class = WorkforceRequestDetailSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("documents__kind", "revision_items")

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


CONFLICT = error("Not possible in the request's state now, or the check found it incomplete.")


class RequestActionView(RequestAccess, generics.GenericAPIView):
    """Perform a workflow transition: submit, check, return_for_revision, resubmit, approve,
    refuse, activate, extend, end."""

    serializer_class = WorkforceActionSerializer

    @extend_schema(
        request=WorkforceActionSerializer,
        parameters=[
            OpenApiParameter(
                "name", str, OpenApiParameter.PATH, enum=WORKFLOW.names(), description="The transition."
            )
        ],
        responses={
            200: WorkforceRequestDetailSerializer,
            409: CONFLICT,
            422: error("Refused by the rules, by field (grounds, items, new_contract_end, ...)."),
        },
        tags=TAGS,
        description=(
            "404 for an unknown action or a request that is not the caller's; 403 when the caller's "
            "role may not perform it (the employer files and resubmits; the HR officer checks, returns, "
            "decides and manages); 409 when the request's state does not allow it now."
        ),
    )
    def post(self, request, pk: int, name: str):
        found = self.get_object()
        form = WorkforceActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            WORKFLOW.find(name)
            WORKFLOW.perform(found, name, by=request.user, **form.inputs())
        except UnknownTransition as refused:
            raise NotFound(str(refused)) from None
        except TransitionDenied as refused:
            raise PermissionDenied(str(refused)) from None
        except DjangoValidationError as refused:
            raise unprocessable(refused) from None
        fresh = self.get_queryset().prefetch_related("documents__kind", "revision_items").get(pk=found.pk)
        return Response(WorkforceRequestDetailSerializer(fresh, context=self.get_serializer_context()).data)


class SpecialistAccess(Endpoint):
    access_action = ACTION
    queryset = Specialist.objects.none()

    def get_queryset(self):
        if _fake(self):
            return Specialist.objects.none()
        return specialists_for(self.request.user).order_by("surname_latin", "given_names_latin", "id")


class SpecialistListView(SpecialistAccess, generics.ListAPIView):
    """Foreign specialists (without personal data: see one specialist's detail)."""

    serializer_class = WorkforceSpecialistSerializer

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SpecialistDetailView(SpecialistAccess, generics.RetrieveAPIView):
    """One specialist, with the passport number and date of birth in full (an audited read) for
    the HR officer and the employer, masked for the others."""

    serializer_class = WorkforceSpecialistDetailSerializer

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
