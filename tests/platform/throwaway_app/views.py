from django.http import HttpResponse
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from innocluster.apikit.views import Endpoint
from innocluster.core.guards import requires


@requires("throwaway.view")
@require_safe
def index(request):
    return HttpResponse("throw-away things")


class ThingsView(Endpoint, APIView):
    """The throw-away things, for anyone."""

    access_action = "throwaway.api"

    @extend_schema(responses={200: dict}, tags=["throwaway"], operation_id="throwaway_things")
    def get(self, request):
        return Response({"things": []})
