"""The public register: search, exports, a page per participant, and certificate verification.

Everything here is public (``registry.public``) and shows no personal data of individuals beyond
their name and category.
"""

import json
from collections.abc import Iterable, Iterator

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from innocluster.core import exports
from innocluster.core.access.views import requires
from innocluster.core.identifiers import mask_iin
from innocluster.registry.forms.public import RegisterSearchForm
from innocluster.registry.models import Participant
from innocluster.registry.selectors.register import (
    EXPORT_COLUMNS,
    participant_by_number,
    register_rows,
    search_register,
    status_counts,
    status_on,
    today,
)

PAGE_SIZE = 50


def _search(request):
    form = RegisterSearchForm(request.GET or None)
    return form, search_register(form.filters())


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@requires("registry.public")
@require_safe
def register(request):
    """Search the register by name or BIN, category, status and region; sort; page through."""
    form, participants = _search(request)
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = status_counts(participants)
    statuses = [(value, label, counts[value]) for value, label in Participant.Status.choices]
    query = _query_without_page(request)
    return render(
        request,
        "registry/register.html",
        {"form": form, "page": page, "query": query, "statuses": statuses, "today": today()},
    )


def _filename(extension: str) -> str:
    return f'attachment; filename="register-{today().isoformat()}.{extension}"'


@requires("registry.public")
@require_safe
def export_csv(request):
    """The register (with the page's filters and sort) as CSV: one header row of stable English
    column keys, names in the reader's language, streamed so 100,000 rows need little memory."""
    _form, participants = _search(request)
    rows = ([row[column] for column in EXPORT_COLUMNS] for row in register_rows(participants))
    return exports.csv_response(f"register-{today().isoformat()}.csv", EXPORT_COLUMNS, rows)


def _json_chunks(count: int, rows: Iterable[dict]) -> Iterator[str]:
    head = json.dumps({"count": count, "date": today().isoformat(), "columns": list(EXPORT_COLUMNS)})
    yield head[:-1] + ', "results": ['
    for i, row in enumerate(rows):
        yield ("," if i else "") + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield "]}"


@requires("registry.public")
@require_safe
def export_json(request):
    """The register as one JSON object ``{"count", "date", "columns", "results": [...]}``, streamed."""
    _form, participants = _search(request)
    response = StreamingHttpResponse(
        _json_chunks(participants.count(), register_rows(participants)), content_type="application/json"
    )
    response["Content-Disposition"] = _filename("json")
    return response


def _participant_or_404(number: str) -> Participant:
    participant = participant_by_number(number)
    if participant is None:
        raise Http404("no such register number")
    return participant


@requires("registry.public")
@require_safe
def participant(request, number):
    """A participant's public page: who, category, region, activity, status and its history."""
    entry = _participant_or_404(number)
    masked_iin = mask_iin(entry.individual.iin) if entry.individual_id else ""
    context = {"participant": entry, "masked_iin": masked_iin, "today": status_on(entry)}
    return render(request, "registry/participant.html", context)


@requires("registry.public")
@require_safe
def verify(request, number):
    """Is registration No. ``number`` valid today (in Almaty)? A plain answer for anyone holding a
    certificate or a printed link/QR code; 404 for a number the register never issued."""
    entry = _participant_or_404(number)
    return render(request, "registry/verify.html", {"participant": entry, "today": status_on(entry)})
