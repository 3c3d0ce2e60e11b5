"""``/applications/<pk>/project/``: the applicant reads and writes the project of their own
application (another applicant's is not found, as everywhere in ``api.applications``)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from innocluster.apikit.schema import error
from innocluster.core.workflow import TransitionDenied
from innocluster.registry.api.applications import ApplicationAccess
from innocluster.registry.api.project_serializers import (
    ProjectInputSerializer,
    ProjectSerializer,
    project_data,
    project_errors,
)
from innocluster.registry.models import Application
from innocluster.registry.services import applications as services


class ApplicationProjectView(ApplicationAccess, generics.GenericAPIView):
    """The project of one's own application: read it, or write it while the application is a draft
    or returned for revision (``PUT`` and ``PATCH`` alike: a field left out stays as it is)."""

    access_action = "registry.application.submit"
    serializer_class = ProjectInputSerializer

    def base_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        # Only the applicant writes the project: anyone else's application is not found.
        return Application.objects.filter(applicant_id=self.request.user.pk).select_related("category")

    @extend_schema(responses={200: ProjectSerializer}, tags=["applications"])
    def get(self, request, *args, **kwargs):
        return Response(ProjectSerializer(project_data(self.get_object())).data)

    @extend_schema(
        request=ProjectInputSerializer,
        responses={
            200: ProjectSerializer,
            422: error(
                "Refused by the rules, by field: the period (ends_on after starts_on), a measure or a "
                "budget line by index (measures.1.ends_on, budget.0.amount), an unknown OKED code, or "
                "an application that can no longer be changed."
            ),
        },
        tags=["applications"],
    )
    def put(self, request, *args, **kwargs):
        application = self.get_object()
        form = ProjectInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            services.save_project(
                application, by=request.user, **ProjectInputSerializer.service_fields(form.validated_data)
            )
        except DjangoValidationError as error:
            raise project_errors(error) from None
        except TransitionDenied as error:
            raise PermissionDenied(str(error)) from None
        application.refresh_from_db()
        return Response(ProjectSerializer(project_data(application)).data)

    @extend_schema(
        request=ProjectInputSerializer,
        responses={200: ProjectSerializer, 422: error("As PUT.")},
        tags=["applications"],
    )
    def patch(self, request, *args, **kwargs):
        return self.put(request, *args, **kwargs)
