"""Applications to join the cluster over the API, for the applicant and for the Fund's staff.

Routed by ``innocluster.api.urls`` (wrapped with ``api_view_for``); the views build on apikit's
``Endpoint`` (authentication, ``can()``, the error format, pagination, conditional GET) and
declare their ``access_action``.

Who sees what:

* a participant representative sees and acts on their own applications only; another applicant's
  application is not found (404), on every endpoint, so its existence stays private;
* staff who read applications (``registry.application.read``) see all of them but drafts (a draft
  is the applicant's until submitted: not found, 404) and perform the transitions their role allows
  (``registry.application.moderate``, ``.decide``, ``.register``);
* anyone else is refused (403), an anonymous caller asked to authenticate (401).

The work is done by the services in ``registry.applications``: a request that does not match the
schema answers 400, a service's ``ValidationError`` (well formed, refused by the rules: an
incomplete application, an unknown category) 422 with the errors by field, a refused role 403, and
a transition the application's state does not allow (``IllegalTransition``, a ``DomainError``) 409
— all in apikit's one error format.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from innocluster.apikit.errors import Unprocessable, unprocessable
from innocluster.apikit.filtering import query
from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.core.access.permissions import can
from innocluster.core.workflow import TransitionDenied
from innocluster.registry.models import Application, ApplicationDocument
from innocluster.registry.permissions import applications_acted_for
from innocluster.registry.selectors.register import today
from innocluster.registry.services import applications as services
from innocluster.registry.workflow import APPLICATION_WORKFLOW, submission

from .application_serializers import (
    CONFLICT,
    ApplicationDetailSerializer,
    ApplicationQuerySerializer,
    ApplicationSerializer,
    ApplicationStartSerializer,
    ApplicationSubmitSerializer,
    ApplicationTransitionSerializer,
)
from .project_serializers import ProjectInputSerializer, project_errors

S = Application.Status


# The applications endpoints: an applicant (their own applications) or staff who read applications
# (declared in ``permissions.py`` with the rest of the register's actions).
API_ACTION = "registry.application.api"


def _visible_to(user):
    """The applications ``user`` may see: those they act for (``permissions.applications_acted_for``),
    and for staff every other one but a draft (nothing is sent to the Fund until it is submitted)."""
    own = applications_acted_for(user)
    if can(user, "registry.application.read").allowed:
        return Application.objects.filter(own | ~Q(status=S.DRAFT))
    return Application.objects.filter(own)


def _bad_request(error: DjangoValidationError) -> Unprocessable:
    """A service's ``ValidationError``: well formed, refused by the rules (422, by field)."""
    return unprocessable(error)


# --- views --------------------------------------------------------------------------------------
class ApplicationAccess(Endpoint):
    """What the application views share: the access rule and the caller's applications."""

    access_action = API_ACTION
    queryset = Application.objects.none()  # for the schema; get_queryset reads the caller's

    def base_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return _visible_to(self.request.user).select_related(
            "category", "organisation", "individual", "participant", "decision"
        )

    def get_queryset(self):
        return self.base_queryset().prefetch_related(
            Prefetch("documents", queryset=ApplicationDocument.objects.select_related("kind")),
            "revision_comments",
        )

    def detail_response(self, application, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=application.pk)
        serializer = ApplicationDetailSerializer(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)


class ApplicationListView(ApplicationAccess, generics.ListAPIView):
    """Applications: a participant representative's own, or all of them for staff who read
    applications; newest first, paginated with a ``count``. POST starts a draft."""

    serializer_class = ApplicationSerializer

    def get_queryset(self):
        queryset = self.base_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        filters = query(self.request, ApplicationQuerySerializer)
        if filters.get("status"):
            queryset = queryset.filter(status=filters["status"])
        if filters.get("overdue"):
            # As ``selectors.applications.is_overdue``: the commission's deadline if set, else moderation's.
            now = today()
            queryset = queryset.filter(
                Q(commission_due__lt=now) | Q(commission_due__isnull=True, moderation_due__lt=now)
            )
        return queryset

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today()}

    @extend_schema(
        parameters=[ApplicationQuerySerializer],
        responses={200: ApplicationSerializer(many=True)},
        tags=["applications"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ApplicationStartSerializer,
        responses={
            201: ApplicationDetailSerializer,
            422: error(
                "No category of this code, an application of yours is already in progress, or the "
                "project given is refused (errors under project.…)."
            ),
        },
        tags=["applications"],
        description=(
            "Start a draft application in a participant category. One application in progress per "
            "applicant: while one is open, the answer is 422 with its number.\n\n"
            "Only a participant representative may start one (`registry.application.submit`)."
        ),
    )
    def post(self, request, *args, **kwargs):
        decision = can(request.user, "registry.application.submit")
        if not decision.allowed:
            raise PermissionDenied(decision.reason)
        form = ApplicationStartSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        # One transaction: a refused project leaves no draft behind.
        with transaction.atomic():
            try:
                application = services.start_application(
                    by=request.user, category=form.validated_data["category"]
                )
            except DjangoValidationError as error:
                raise _bad_request(error) from None
            if "project" in form.validated_data:
                fields = ProjectInputSerializer.service_fields(form.validated_data["project"])
                try:
                    services.save_project(application, by=request.user, **fields)
                except DjangoValidationError as error:
                    raise project_errors(error, prefix="project.") from None
        return self.detail_response(application, status.HTTP_201_CREATED)


class ApplicationDetailView(ApplicationAccess, generics.RetrieveAPIView):
    """One application: state, deadlines, the current revision comments, documents, the decision,
    and the transitions the caller may perform now."""

    object_access_action = API_ACTION
    serializer_class = ApplicationDetailSerializer

    @extend_schema(responses={200: ApplicationDetailSerializer}, tags=["applications"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApplicationSubmitView(ApplicationAccess, generics.GenericAPIView):
    """Submit a draft, or resubmit an application returned for revision (answering every comment of
    the last return). Refused with the reasons by field while anything is missing."""

    access_action = "registry.application.submit"
    serializer_class = ApplicationSubmitSerializer

    def base_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        # Only the applicant submits: anyone else's application is not found.
        return Application.objects.filter(applicant_id=self.request.user.pk).select_related(
            "category", "organisation", "individual", "participant", "decision"
        )

    @extend_schema(
        request=ApplicationSubmitSerializer,
        responses={
            200: ApplicationDetailSerializer,
            409: CONFLICT,
            422: error(
                "Not ready to submit: what is missing, by field (member, project_summary, "
                "project_starts_on, project_ends_on, measures, budget, priority_activities, documents, "
                "eligibility, responses)."
            ),
        },
        tags=["applications"],
    )
    def post(self, request, *args, **kwargs):
        application = self.get_object()
        form = ApplicationSubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        name = submission(application)
        try:
            APPLICATION_WORKFLOW.perform(
                application, name, by=request.user, responses=form.validated_data.get("responses")
            )
        except DjangoValidationError as error:
            raise _bad_request(error) from None
        except TransitionDenied as error:
            raise PermissionDenied(str(error)) from None
        return self.detail_response(application)


class ApplicationTransitionView(ApplicationAccess, generics.GenericAPIView):
    """Staff move an application on: ``accept`` it for the commission or ``return_for_revision``
    with itemised comments (registrar), ``approve`` or ``reject`` it on a recorded decision
    (commission member), ``issue_certificate`` to register the member (registrar)."""

    object_access_action = API_ACTION
    serializer_class = ApplicationTransitionSerializer

    @extend_schema(
        request=ApplicationTransitionSerializer,
        responses={
            200: ApplicationDetailSerializer,
            409: CONFLICT,
            422: error("Refused by the rules, by field: e.g. approve or reject without a decision record."),
        },
        tags=["applications"],
        description=(
            "Perform a transition. 403 when the caller's role may not perform it, 409 when the "
            "application's state does not allow it now.\n\n"
            "Per transition, the role's rule: accept, return_for_revision and issue_certificate "
            "`registry.application.moderate` / `.register`; approve and reject "
            "`registry.application.decide`."
        ),
    )
    def post(self, request, *args, **kwargs):
        application = self.get_object()
        form = ApplicationTransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            # The same dispatcher as the staff page and the CLI: the transition's command, its
            # right, its state and its inputs come from the workflow table.
            APPLICATION_WORKFLOW.perform(
                application, form.validated_data["name"], by=request.user, **form.inputs()
            )
        except DjangoValidationError as error:
            raise _bad_request(error) from None
        except TransitionDenied as error:
            raise PermissionDenied(str(error)) from None
        return self.detail_response(application)
