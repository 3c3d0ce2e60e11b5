"""Page-number pagination with bounds the schema states and the server keeps.

* ``page``: an integer from 1 (``minimum: 1``); ``page=0``, a negative or non-integer page answers
  400 with the error format. A page past the end answers 200 with ``results: []`` and the true
  ``count`` (the client asked a fair question: there is nothing there), ``previous`` pointing at
  the last page.
* ``page_size``: 1 to :attr:`PageNumberPagination.max_page_size` (default
  :attr:`~PageNumberPagination.page_size`); outside that, 400 — never silently clamped.
"""

import re

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

INTEGER = re.compile(r"(-?)0*([0-9]+)")
# Any number of digits is an integer to the schema; past this one, every page is past the end.
HUGE = 10**18


def _bounded(request, name: str, default: int, maximum: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    found = INTEGER.fullmatch(raw)
    if not found:
        raise ValidationError({name: [_("A whole number is required.")]})
    sign, digits = found.groups()
    value = int(digits) if len(digits) <= 18 else HUGE  # no int() of thousands of digits
    if sign:
        value = -value
    if value < 1:
        raise ValidationError({name: [_("Ensure this value is greater than or equal to 1.")]})
    if maximum is not None and value > maximum:
        raise ValidationError(
            {name: [_("Ensure this value is less than or equal to %(max)d.") % {"max": maximum}]}
        )
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    max_page_size = 200
    page_query_param = "page"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.number = _bounded(request, self.page_query_param, 1, None)
        self.size = _bounded(request, self.page_size_query_param, self.page_size, self.max_page_size)
        paginator = Paginator(queryset, self.size)
        self.count = paginator.count
        self.num_pages = paginator.num_pages if self.count else 0
        if self.number > self.num_pages:
            return []
        return list(paginator.page(self.number).object_list)

    def _link(self, number: int | None) -> str | None:
        if number is None:
            return None
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_next_link(self):
        return self._link(self.number + 1 if self.number < self.num_pages else None)

    def get_previous_link(self):
        if self.number <= 1 or not self.num_pages:
            return None
        return self._link(min(self.number - 1, self.num_pages))

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the end answers an empty `results`.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
