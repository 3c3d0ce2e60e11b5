"""The public register: search, exports, a page per participant, and certificate verification.

Everything here is public (``registry.public``) and shows no personal data of individuals beyond
their name and category.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from innocluster.core import exports
from innocluster.core.access.views import requires
from innocluster.core.identifiers import mask_iin
from innocluster.registry.forms.public import RegisterSearchForm
from innocluster.registry.models import Participant
from innocluster.registry.selectors.register import (
    EXPORT_COLUMNS,
    page_of,
    participant_by_number,
    register_rows,
    register_table,
    search_register,
    status_counts,
    status_on,
    today,
)

PAGE_SIZE = 50


def _search(request):
    form = RegisterSearchForm(request.GET or None)
    filters = form.filters()
    return form, filters, search_register(filters)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class _RegisterPaginator(Paginator):
    """Pages read through :func:`page_of`; ``count`` is set by the view from the status counts."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return self._get_page(page_of(self.object_list, bottom, top), number, self)


@dataclass(frozen=True, slots=True)
class _Row:
    number: str
    href: str
    name: str
    bin: str  # "" for an individual
    category: str
    region: str  # "" when none
    registered_on: str
    status: str
    since: str


def _rows(page) -> list[_Row]:
    """The page's rows with every text a cell shows worked out here, in one loop: the template then
    only prints them. (Reversing two URLs, formatting two dates and translating a sentence per row
    in the template cost more than the database's part of the page.)"""
    marker = "__number__"
    href = reverse("registry:participant", args=[marker])
    labels = dict(Participant.Status.choices)
    dates: dict = {}

    def day(value) -> str:
        if value not in dates:
            dates[value] = date_format(value, "DATE_FORMAT")
        return dates[value]

    rows = []
    for p in page:
        organisation = p.organisation
        rows.append(
            _Row(
                number=p.number,
                href=href.replace(marker, p.number),
                name=organisation.name if organisation is not None else p.display_name,
                bin=organisation.bin if organisation is not None else "",
                category=p.category.name,
                region=p.region.name if p.region_id else "",
                registered_on=day(p.registered_on),
                status=labels.get(p.status, p.status),
                since=gettext("since %(date)s") % {"date": day(p.status_since)},
            )
        )
    return rows


@requires("registry.public")
@require_safe
def register(request):
    """Search the register by name or BIN, category, status and region; sort; page through."""
    form, filters, participants = _search(request)
    counts = status_counts(filters)
    paginator = _RegisterPaginator(participants, PAGE_SIZE)
    paginator.count = sum(counts.values())  # known already: no COUNT(*) over the register
    page = paginator.get_page(request.GET.get("page"))
    statuses = [(value, label, counts[value]) for value, label in Participant.Status.choices]
    query = _query_without_page(request)
    return render(
        request,
        "registry/register.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page),
            "query": query,
            "statuses": statuses,
            "today": today(),
        },
    )


# The free-text cells of an export row: the only ones a spreadsheet could read as a formula.
TEXT_COLUMNS = tuple(EXPORT_COLUMNS.index(c) for c in ("name", "category_name", "region_name"))


def _filename(extension: str) -> str:
    return f'attachment; filename="register-{today().isoformat()}.{extension}"'


@requires("registry.public")
@require_safe
def export_csv(request):
    """The register (with the page's filters and sort) as CSV: one header row of stable English
    column keys, names in the reader's language, streamed so 100,000 rows need little memory."""
    _form, _filters, participants = _search(request)
    return exports.csv_response(
        f"register-{today().isoformat()}.csv",
        EXPORT_COLUMNS,
        register_table(participants),
        text_columns=TEXT_COLUMNS,
    )


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
    _form, filters, participants = _search(request)
    count = sum(status_counts(filters).values())
    response = StreamingHttpResponse(
        _json_chunks(count, register_rows(participants)), content_type="application/json"
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
