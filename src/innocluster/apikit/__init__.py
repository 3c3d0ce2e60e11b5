"""The API's shared pieces, below every domain: one way to authenticate, authorise, fail, page,
filter and answer conditional GETs, so every domain's endpoints look and fail the same way.

A domain endpoint is a DRF view that mixes in :class:`~innocluster.apikit.views.Endpoint` first and
declares its ``access_action`` (and, where objects belong to someone, ``object_access_action``)::

    class ThingListView(Endpoint, generics.ListAPIView):
        access_action = "things.read"          # declared with core.access.permissions.declare
        serializer_class = ThingSerializer
        query_serializer = ThingQuerySerializer  # optional: the query parameters, documented

        @extend_schema(tags=["things"], responses={200: ThingSerializer(many=True)})
        def get(self, request, *args, **kwargs): ...

and is routed with :func:`~innocluster.apikit.permissions.api_view_for`. It then gets:

* authentication by token (issued only after the user's two-factor rule; always expiring) or
  session (``authentication``);
* the permission from ``can()`` (``permissions``): 401 without credentials, 403 when the rule
  refuses, 404 for another's object;
* one error body for every 4xx/5xx, ``{"detail", "code", "errors"?}`` (``errors``), JSON also for
  unknown or malformed addresses under ``/api/`` (``errors.JsonErrorsMiddleware``);
* bounded page-number pagination (``pagination``) and strict query parameters (``filtering``);
* a weak ETag on every 200 GET and 304 on ``If-None-Match`` (``conditional``);
* an OpenAPI operation that documents all of that with the ``Error`` component (``schema``).

apikit imports only ``innocluster.core`` (the layers contract in ``pyproject.toml``).
"""
