"""Reads of the public register, shared by the pages, the exports and the API.

The register is public, but an individual's IIN is personal data: nothing here selects
``Individual`` columns other than through ``display_name`` (the person's name), and a search by an
IIN finds nothing (only a BIN is matched exactly), so the register cannot be used to learn whether a
given IIN belongs to a participant.
"""

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import get_language

from innocluster.core.db import fetch_chunks
from innocluster.core.identifiers import compact
from innocluster.core.policy.values import today
from innocluster.registry import search
from innocluster.registry.models import Participant, ParticipantCategory, Region, RegisterTally, StatusChange

# Public sort keys -> ORM ordering; the register number breaks ties so pages never overlap.
SORTS = {
    "number": ("number",),
    "name": ("display_name", "number"),
    "registered_on": ("registered_on", "number"),
}
DEFAULT_SORT = "number"

EXPORT_COLUMNS = (
    "number",
    "name",
    "bin",
    "category",
    "category_name",
    "status",
    "status_name",
    "region",
    "region_name",
    "registered_on",
    "status_since",
)


@dataclass(frozen=True)
class RegisterFilter:
    """What a reader asks of the register; empty strings mean "any"."""

    q: str = ""
    category: str = ""  # ParticipantCategory.code
    status: str = ""  # Participant.Status value
    region: str = ""  # Region.kato
    sort: str = DEFAULT_SORT  # a key of SORTS, "-" in front for descending

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "RegisterFilter":
        """From a form's ``cleaned_data`` (model choices become their codes) or a plain dict."""

        def code(value, attribute):
            return getattr(value, attribute, value) or ""

        return cls(
            q=(data.get("q") or "").strip(),
            category=code(data.get("category"), "code"),
            status=data.get("status") or "",
            region=code(data.get("region"), "kato"),
            sort=data.get("sort") or DEFAULT_SORT,
        )


def _language() -> str:
    return (get_language() or "kk").split("-")[0]


def _ordering(sort: str) -> tuple[str, ...]:
    descending = sort.startswith("-")
    fields = SORTS.get(sort.removeprefix("-"), SORTS[DEFAULT_SORT])
    return tuple(f"-{f}" if descending else f for f in fields)


def _matching(q: str) -> Q:
    """Names containing ``q`` (through the engine's search index), or the register number or the
    BIN exactly. Each part is a condition on the participant's own columns (the BIN through a
    subquery, not a join), so the engine can answer each from an index and merge them."""
    condition = search.names_containing(q.casefold(), Participant._meta.db_table) | Q(number=q)
    number = compact(q)
    if number.isdigit() and len(number) == 12:
        condition |= Q(pk__in=Participant.objects.filter(organisation__bin=number).values("pk"))
    return condition


def _as_filter(filters: "RegisterFilter | Mapping[str, Any] | None") -> "RegisterFilter":
    if filters is None:
        return RegisterFilter()
    if isinstance(filters, RegisterFilter):
        return filters
    return RegisterFilter.from_mapping(filters)


def search_register(filters: RegisterFilter | Mapping[str, Any] | None = None) -> QuerySet[Participant]:
    """Register entries matching ``filters``, with everything a list row shows joined in (constant
    queries however many rows a page has). ``q`` matches names (any language) or a BIN exactly."""
    filters = _as_filter(filters)
    qs = Participant.objects.select_related("organisation", "category", "region")
    if filters.q:
        qs = qs.filter(_matching(filters.q))
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.region:
        qs = qs.filter(region__kato=filters.region)
    return qs.order_by(*_ordering(filters.sort))


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """What a row of the register's list shows, read as plain values (no model instances)."""

    number: str
    display_name: str
    name: str  # the organisation's name in the reader's language; the individual's name
    bin: str  # "" for an individual
    category_name: str
    region_name: str  # "" without a region
    status: str
    registered_on: dt.date
    status_since: dt.date


@dataclass(frozen=True)
class RegisterPage:
    """A page of the register's list: its rows, its number (the page actually shown) and how
    many entries matching the filters are in each status (their sum: how many match)."""

    rows: list[RegisterRow]
    number: int
    counts: dict[str, int]


def _in_language(language: str, kk, ru, en) -> str:
    """The name in ``language``, else the Russian, else the English (``name_in_reader_language``)."""
    return {"kk": kk, "ru": ru, "en": en}.get(language, "") or ru or en or ""


_ROW_VALUES = (
    "pk",
    "number",
    "display_name",
    "status",
    "registered_on",
    "status_since",
    "organisation_id",
    "organisation__bin",
    "organisation__name_kk",
    "organisation__name_ru",
    "organisation__name_en",
    "category__name_kk",
    "category__name_ru",
    "category__name_en",
    "region__name_kk",
    "region__name_ru",
    "region__name_en",
)


def _rows(values: QuerySet) -> dict[int, RegisterRow]:
    """:class:`RegisterRow` by id from a ``values_list(*_ROW_VALUES)``, in its order."""
    language = _language()
    return {
        pk: RegisterRow(
            number=number,
            display_name=display_name,
            name=display_name if organisation is None else _in_language(language, *names[0:3]),
            bin=bin_ or "",
            category_name=_in_language(language, *names[3:6]),
            region_name=_in_language(language, *names[6:9]),
            status=status,
            registered_on=registered_on,
            status_since=status_since,
        )
        for pk, number, display_name, status, registered_on, status_since, organisation, bin_, *names in values
    }


def rows_of(ids: list[int]) -> list[RegisterRow]:
    """The list rows of the entries ``ids``, in that order, in one query of plain values (a model
    instance each for the entry, its organisation, category and region cost more than the query)."""
    found = _rows(Participant.objects.filter(pk__in=ids).values_list(*_ROW_VALUES))
    return [found[pk] for pk in ids]


def page_of(qs: QuerySet[Participant], bottom: int, top: int) -> list[RegisterRow]:
    """Rows ``bottom:top`` of ``qs`` (from :func:`search_register`, sorted) in one query: the page's ids
    are a subquery sorted on the participant table alone (``LIMIT`` and ``OFFSET``), and only those
    rows are joined to what a list row shows and sorted again. A search matching thousands of
    entries then joins 50 rows, not every match, whatever plan the engine picks for the join."""
    ordering = qs.query.order_by
    page = qs.values("pk")[bottom:top]
    rows = Participant.objects.filter(pk__in=page).order_by(*ordering).values_list(*_ROW_VALUES)
    return list(_rows(rows).values())


def register_page(
    filters: RegisterFilter | Mapping[str, Any] | None, number: int | None, per_page: int
) -> RegisterPage:
    """Page ``number`` (from 1; ``None`` or past the end: the last page, as ``Paginator.get_page``
    reads it) of the entries matching ``filters``, with the status counts of all the matches, in a
    constant number of queries however many entries match.

    Two queries with a name query: on SQLite the matches are looked up once for the page's ids and
    the counts together (:func:`_page_and_counts_at_once`), then the page's rows are read. Otherwise
    the counts come first (:func:`status_counts`: from the tallies without a name query), then the
    page's rows (:func:`page_of`). PostgreSQL keeps the two lookups: its page of a name query
    comes from the register number's index, filtered (about 1 ms at 100,000 entries), and its
    counts from the trigram index; gathering the matches once there was slower than both."""
    filters = _as_filter(filters)
    if filters.q and connection.vendor == "sqlite":
        ids, counts, number = _page_and_counts_at_once(filters, number, per_page)
        return RegisterPage(rows_of(ids), number, counts)
    counts = status_counts(filters)
    last = max(1, math.ceil(sum(counts.values()) / per_page))
    number = last if number is None or number > last else number
    bottom = (number - 1) * per_page
    return RegisterPage(page_of(search_register(filters), bottom, bottom + per_page), number, counts)


def _page_and_counts_at_once(
    filters: RegisterFilter, number: int | None, per_page: int
) -> tuple[list[int], dict[str, int], int]:
    """The ids of page ``number`` of a name query's matches, the matches' status counts and the
    page's number, from one pass over the search index: the matches (id, status and the sort's
    columns) are gathered once in a CTE, counted by status and sorted for the page. Past the end
    (or with ``number`` ``None``) the offset is the last page's, worked out in the same query.

    Every row carries the counts; there are none only when nothing matches. The sort is the
    ORM's (:func:`_ordering`) on the same columns, so the order is the one ``search_register``
    gives, the register number last to break ties."""
    ordering = _ordering(filters.sort)
    keys = [field.removeprefix("-") for field in ordering]
    matches = search_register(filters).order_by().values_list("pk", "status", *keys)
    inner, params = matches.query.sql_with_params()
    statuses = Participant.Status.values
    key_columns = ", ".join(f"k{i}" for i in range(len(keys)))
    status_columns = ", ".join(f"n{i}" for i in range(len(statuses)))
    sums = ", ".join("SUM(CASE WHEN status = %s THEN 1 ELSE 0 END)" for _ in statuses)
    order = ", ".join(
        f"m.k{i} {'DESC' if field.startswith('-') else 'ASC'}" for i, field in enumerate(ordering)
    )
    # A page number beyond any register (too big for an SQL integer) is past the end too.
    bottom = None if number is None or number > 2**40 else (number - 1) * per_page
    # The table and column names are the code's; every value is a parameter.
    sql = (
        f"WITH m (id, status, {key_columns}) AS MATERIALIZED ({inner}),"  # noqa: S608
        f" c (total, {status_columns}) AS MATERIALIZED (SELECT COUNT(*), {sums} FROM m)"
        f" SELECT m.id, c.total, {status_columns} FROM m, c ORDER BY {order} LIMIT %s"
        # A NULL bottom (the last page asked for) is never below the total.
        " OFFSET (CASE WHEN %s < (SELECT total FROM c) THEN %s ELSE ((SELECT total FROM c) - 1) / %s * %s END)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *statuses, per_page, bottom, bottom, per_page, per_page])
        rows = cursor.fetchall()
    if not rows:
        return [], dict.fromkeys(statuses, 0), 1
    total, *figures = rows[0][1:]
    if bottom is None or bottom >= total:
        number = math.ceil(total / per_page)
    return [row[0] for row in rows], dict(zip(statuses, figures, strict=True)), number


def status_counts(filters: RegisterFilter | Mapping[str, Any] | None = None) -> dict[str, int]:
    """How many entries matching ``filters`` are in each status, every status present, zero if
    none; their sum is the number of matches. One query, which never counts the whole register:
    without a name query the figures are summed from the few ``RegisterTally`` rows (kept exact by
    the database, see ``registry.search``); with one, the matches found through the search index
    are counted."""
    filters = _as_filter(filters)
    if filters.q:
        found = dict(search_register(filters).order_by().values_list("status").annotate(n=Count("pk")))
    else:
        tally = RegisterTally.objects.all()
        if filters.category:
            category = ParticipantCategory.objects.filter(code=filters.category).order_by().values("pk")
            tally = tally.filter(category_id=Subquery(category[:1]))
        if filters.region:
            region = Region.objects.filter(kato=filters.region).order_by().values("pk")
            tally = tally.filter(region_id=Subquery(region[:1]))
        if filters.status:
            tally = tally.filter(status=filters.status)
        found = dict(tally.order_by().values_list("status").annotate(n=Sum("n")))
    return {status: found.get(status) or 0 for status in Participant.Status.values}


def participant_by_number(number: str) -> Participant | None:
    """One register entry with what its public page shows: organisation, activity, region,
    category and the status history (with decisions), in three queries; ``None`` if unknown."""
    history = StatusChange.objects.select_related("decision").order_by("effective_on", "id")
    return (
        Participant.objects.select_related(
            "organisation__activity", "organisation__region", "category", "region"
        )
        .prefetch_related(Prefetch("history", queryset=history))
        .filter(number=number)
        .first()
    )


def participant_of(organisation) -> Participant | None:
    """The organisation's register entry with its status history (for :func:`status_on`), in two
    queries; ``None`` if it never joined. Other apps ask a participant's standing through this."""
    history = StatusChange.objects.order_by("effective_on", "id")
    return (
        Participant.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("history", queryset=history))
        .first()
    )


@dataclass(frozen=True)
class StatusToday:
    """The status in force on a day: ``status`` is ``None`` before the registration takes effect."""

    status: str | None
    since: dt.date | None
    on: dt.date

    @property
    def valid(self) -> bool:
        return self.status == Participant.Status.REGISTERED

    @property
    def label(self) -> str:
        return str(Participant.Status(self.status).label) if self.status else ""


def status_on(participant: Participant, day: dt.date | None = None) -> StatusToday:
    """The status in force on ``day`` (today in Almaty by default), read from the history so that
    a change recorded in advance (effective later) does not show before its date. Uses the
    prefetched history of :func:`participant_by_number`."""
    day = day or today()
    history = sorted(participant.history.all(), key=lambda c: (c.effective_on, c.id))
    if not history:  # entries made before the history existed: the row is all we know
        return StatusToday(participant.status, participant.status_since, day)
    in_force = [c for c in history if c.effective_on <= day]
    if not in_force:
        return StatusToday(None, history[0].effective_on, day)
    return StatusToday(in_force[-1].status, in_force[-1].effective_on, day)


def _table(qs: QuerySet[Participant]) -> QuerySet:
    """``qs`` as the exports' ``values_list`` in ``EXPORT_COLUMNS`` order, every value computed by
    the database (the name in the reader's language where the organisation has one, the BIN for
    organisations and "" for individuals, codes with their names, ISO dates). The reader's
    language is read now, in the request: a streaming response reads the rows later."""
    lang = _language()
    lang = lang if lang in {"kk", "ru", "en"} else "ru"
    status_name = Case(
        *(When(status=value, then=Value(str(label))) for value, label in Participant.Status.choices),
        default=F("status"),
        output_field=CharField(),
    )
    return qs.annotate(
        _name=Coalesce(NullIf(F(f"organisation__name_{lang}"), Value("")), F("display_name")),
        _bin=Coalesce(F("organisation__bin"), Value("")),
        _category_name=Coalesce(
            NullIf(F(f"category__name_{lang}"), Value("")), F("category__name_ru"), Value("")
        ),
        _status_name=status_name,
        _region=Coalesce(F("region__kato"), Value("")),
        _region_name=Coalesce(NullIf(F(f"region__name_{lang}"), Value("")), F("region__name_ru"), Value("")),
        # ISO text from the database (SQLite stores it so; PostgreSQL prints it so): no
        # per-row parsing into ``date`` and formatting back.
        _registered_on=Cast("registered_on", CharField()),
        _status_since=Cast("status_since", CharField()),
    ).values_list(
        "number",
        "_name",
        "_bin",
        "category__code",
        "_category_name",
        "status",
        "_status_name",
        "_region",
        "_region_name",
        "_registered_on",
        "_status_since",
    )


def register_table(qs: QuerySet[Participant]) -> Iterator[tuple]:
    """The exports' rows as tuples in ``EXPORT_COLUMNS`` order (see :func:`_table`), streamed:
    no model instances, no personal data, no Python per value beyond the driver's.

    Not a generator function: the reader's language is read now, in the request, because a
    streaming response consumes the rows after the view has returned."""
    # Big fetches: on PostgreSQL each is a round trip of the server-side cursor.
    return _table(qs).iterator(chunk_size=10_000)


def register_table_chunks(qs: QuerySet[Participant]) -> Iterator[Sequence[tuple]]:
    """The rows of :func:`register_table` in chunks as the database driver hands them out (for the
    CSV export, which writes a chunk at a time): no Python per row at all (``core.db``)."""
    return fetch_chunks(_table(qs))


def register_rows(qs: QuerySet[Participant]) -> Iterator[dict[str, Any]]:
    """The rows of :func:`register_table` as dicts keyed by ``EXPORT_COLUMNS`` (for JSON)."""
    return (dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in register_table(qs))
