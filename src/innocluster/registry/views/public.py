"""The public register: search, exports, a page per participant, and certificate verification.

Everything here is public (``registry.public``) and shows no personal data of individuals beyond
their name and category.
"""

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from html import escape

from django.core.paginator import Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from innocluster.core import exports
from innocluster.core.access.views import requires
from innocluster.core.identifiers import mask_iin
from innocluster.registry.forms.public import RegisterSearchForm
from innocluster.registry.models import Participant
from innocluster.registry.selectors.register import (
    EXPORT_COLUMNS,
    participant_by_number,
    register_page,
    register_rows,
    register_table_chunks,
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


def _page_number(value) -> int | None:
    """The page asked for, read as ``Paginator.get_page`` reads it: anything but a whole number is
    the first page, a number below 1 the last (``None``)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else None


@lru_cache(maxsize=8192)
def _day(language: str, value) -> str:
    """A date as the reader's language writes it, escaped (the same few thousand days recur)."""
    return escape(date_format(value, "DATE_FORMAT"))


@lru_cache(maxsize=8192)
def _since(language: str, value) -> str:
    return escape(gettext("since %(date)s") % {"date": date_format(value, "DATE_FORMAT")})


def _rows_html(page) -> str:
    """The table's rows as HTML, every cell's text worked out and escaped here in one loop.

    Written in Python, not in the template: 50 rows of seven cells through the template engine
    (and reversing two URLs, formatting two dates and translating a sentence per row) cost more
    than the database's part of the page. The markup is what ``registry/register.html`` showed."""
    marker = "__number__"
    href = reverse("registry:participant", args=[marker])
    labels = {value: escape(str(label)) for value, label in Participant.Status.choices}
    individual = f'<span class="empty">{escape(gettext("individual"))}</span>'
    language = get_language()
    html = []
    for p in page:  # RegisterRow values
        number = escape(p.number)
        link = escape(href.replace(marker, p.number))
        name = escape(p.name)
        bin_ = escape(p.bin) if p.bin else individual
        region = escape(p.region_name) or "—"
        status = labels.get(p.status) or escape(p.status)
        html.append(
            f"<tr>\n"
            f'  <td><a href="{link}">{number}</a></td>\n'
            f'  <th scope="row"><a href="{link}">{name}</a></th>\n'
            f"  <td>{bin_}</td>\n"
            f"  <td>{escape(p.category_name)}</td>\n"
            f"  <td>{region}</td>\n"
            f'  <td class="date">{_day(language, p.registered_on)}</td>\n'
            f'  <td><span class="badge">{status}</span><br><small class="date">{_since(language, p.status_since)}</small></td>\n'
            f"</tr>\n"
        )
    return mark_safe("".join(html))  # noqa: S308  (every text above is escaped)


@requires("registry.public")
@require_safe
def register(request):
    """Search the register by name or BIN, category, status and region; sort; page through."""
    form = RegisterSearchForm(request.GET or None)
    found = register_page(form.filters(), _page_number(request.GET.get("page")), PAGE_SIZE)
    paginator = Paginator((), PAGE_SIZE)
    paginator.count = sum(found.counts.values())  # known already: no COUNT(*) over the register
    page = Page(found.rows, found.number, paginator)
    statuses = [(value, label, found.counts[value]) for value, label in Participant.Status.choices]
    query = _query_without_page(request)
    return render(
        request,
        "registry/register.html",
        {
            "form": form,
            "page": page,
            "rows": _rows_html(page),
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
        chunks=register_table_chunks(participants),
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
