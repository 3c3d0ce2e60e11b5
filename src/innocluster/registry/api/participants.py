"""The later life of a register entry over the API: ``POST /api/v1/participants/<number>/<action>/``
with ``action`` one of ``PARTICIPANT_WORKFLOW``'s transitions (suspend, reinstate, exclude, exit).

Routed by ``innocluster.api.urls``; like the other registry API modules it does not import
``innocluster.api`` (the layers contract). The endpoint reads the body into the commands' inputs and
calls ``PARTICIPANT_WORKFLOW.perform``, as the staff page, the portal's exit page and the CLI do:
a role without the right is 403, a status the transition does not start from 409 (from
``DomainErrorMiddleware``), a missing ground or an unknown decision 422 by field.

The register is public, so an entry's existence is not private: an unknown number or action is 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.core.workflow import TransitionDenied, UnknownTransition
from innocluster.registry.api.applications import _bad_request
from innocluster.registry.api.register import ParticipantDetailSerializer
from innocluster.registry.models import Participant
from innocluster.registry.selectors.register import participant_by_number
from innocluster.registry.selectors.staff import decision_by_number
from innocluster.registry.workflow import PARTICIPANT_WORKFLOW

# Registrars (suspend, reinstate, exclude) and the head of a participant organisation (exit); which
# transition each may perform on which entry is the workflow's question, asked by the dispatcher.
API_ACTION = "registry.membership.api"


class DecisionReferenceSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=50, help_text="The number of a recorded decision.")
    decided_on = serializers.DateField(
        required=False, help_text="Needed only when several decisions have this number."
    )


class ParticipantTransitionSerializer(serializers.Serializer):
    grounds = serializers.CharField(
        required=False, allow_blank=True, help_text="suspend, reinstate, exclude: the grounds (required)."
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="exit: why the participant leaves (required)."
    )
    on = serializers.DateField(required=False, help_text="The day the change takes effect (default today).")
    decision = DecisionReferenceSerializer(
        required=False, help_text="exclude: the recorded decision the exclusion is made on (required)."
    )

    def validate_decision(self, value):
        found = decision_by_number(value["number"], value.get("decided_on"))
        if not found:
            raise serializers.ValidationError(_("No decision is recorded under this number."))
        if len(found) > 1:
            raise serializers.ValidationError(
                _("Several decisions have this number: give the decision date.")
            )
        return found[0]

    def inputs(self) -> dict:
        """The body as the commands' inputs (each command takes the ones it needs)."""
        return {key: value for key, value in self.validated_data.items() if value not in (None, "")}


ACTION_PARAMETER = OpenApiParameter(
    "action",
    str,
    OpenApiParameter.PATH,
    enum=PARTICIPANT_WORKFLOW.names(),
    description="suspend, reinstate or exclude (registrar); exit (the head of the organisation).",
)
NUMBER_PARAMETER = OpenApiParameter("number", str, OpenApiParameter.PATH, description="Register number.")


class ParticipantTransitionView(Endpoint, generics.GenericAPIView):
    """Suspend a participant (the answer period starts), reinstate it, exclude it on a recorded
    decision, or take it out of the cluster at its own request."""

    access_action = API_ACTION
    serializer_class = ParticipantTransitionSerializer
    filter_backends: list = []
    queryset = Participant.objects.none()  # for the schema; the entry is read through the selector

    @extend_schema(
        parameters=[NUMBER_PARAMETER, ACTION_PARAMETER],
        request=ParticipantTransitionSerializer,
        responses={
            200: ParticipantDetailSerializer,
            404: error("No entry has this register number, or no such action."),
            409: error("Not possible in the entry's status now (code `illegal_transition`)."),
            422: error(
                "Refused by the rules, by field: e.g. no grounds, or an exclusion before the answer period ends."
            ),
        },
        tags=["registry"],
        description=(
            "Perform a membership transition. Per action, the role's rule: suspend, reinstate and "
            "exclude `registry.membership.manage`; exit `registry.membership.exit`."
        ),
    )
    def post(self, request, number: str, action: str):
        participant = participant_by_number(number)
        if participant is None:
            raise Http404(_("No participant has this register number."))
        try:
            PARTICIPANT_WORKFLOW.check(request.user, action, participant)
            form = ParticipantTransitionSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            PARTICIPANT_WORKFLOW.perform(participant, action, by=request.user, **form.inputs())
        except UnknownTransition as error:
            raise Http404(str(error)) from None
        except TransitionDenied as error:
            raise PermissionDenied(str(error)) from None
        except DjangoValidationError as error:
            raise _bad_request(error) from None
        fresh = participant_by_number(number)
        return Response(ParticipantDetailSerializer(fresh, context=self.get_serializer_context()).data)
