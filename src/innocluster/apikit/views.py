"""The base every API endpoint builds on: ``class MyView(Endpoint, generics.ListAPIView)``."""

from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer

from . import conditional
from .authentication import ExpiringTokenAuthentication
from .filtering import check_query
from .pagination import PageNumberPagination
from .permissions import CanPermission
from .schema import ApiAutoSchema


class Endpoint:
    """What every API view shares, whatever its domain.

    The token authenticator comes first so that a refused or missing credential answers 401 with
    ``WWW-Authenticate: Bearer`` rather than 403. Bodies are JSON in and out (a form body answers
    415). Query parameters are checked before the view runs (:func:`~.filtering.check_query`), and
    a 200 to a GET gets an ETag (:mod:`.conditional`).

    A view declares ``access_action`` (and ``object_access_action`` where objects belong to
    someone); errors come out in the one format through the ``EXCEPTION_HANDLER`` setting.
    """

    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [CanPermission]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    pagination_class = PageNumberPagination
    filter_backends: list = []
    schema = ApiAutoSchema()
    access_action: str | None = None
    object_access_action: str | None = None
    strict_query = True  # the rules of ``filtering.check_query``

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.strict_query:
            check_query(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional.apply(request, response)
