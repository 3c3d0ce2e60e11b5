"""Query parameters: strict, and as the schema says.

Two rules hold for every endpoint (checked by :class:`~innocluster.apikit.views.Endpoint` before the
view runs, stated in the schema by :mod:`~innocluster.apikit.schema`):

* a parameter is given with a value or not at all: ``?status=`` is refused (400), and a string
  parameter is documented with ``minLength: 1`` (an empty filter is neither silently "any" nor
  accepted against the schema);
* a parameter is given once: ``?page=1&page=2`` is refused (400) — none of ours is a list.

(A view that serves something other than the API's data, such as the schema or its documentation
page, sets ``strict_query = False``.)

A view validates its parameters with a DRF serializer (:func:`query`), which drf-spectacular
documents when passed as ``extend_schema(parameters=[TheSerializer])``, or with a django-filter
:class:`FilterSet` through the ``DjangoFilterBackend``.
"""

import django_filters
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


def check_query(request) -> None:
    """400 for a query parameter given empty or more than once (the rules above)."""
    errors: dict[str, list[str]] = {}
    for name, values in request.query_params.lists():
        if len(values) > 1:
            errors[name] = [_("Give this parameter once.")]
        elif values[0] == "":
            errors[name] = [_("Give a value, or leave the parameter out.")]
    if errors:
        raise ValidationError(errors)


def query(request, serializer_class) -> dict:
    """The query parameters validated by ``serializer_class`` (400 with the errors by field)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class FilterSet(django_filters.FilterSet):
    """A django-filter FilterSet for an API list. An invalid value answers 400 in the error format
    (the backend raises ``ValidationError``), an empty one never reaches it (:func:`check_query`),
    and the schema says ``minLength: 1`` for its string filters."""
