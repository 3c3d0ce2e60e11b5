"""Reads of the public register, shared by the pages, the exports and the API.

The register is public, but an individual's IIN is personal data: nothing here selects
``Individual`` columns other than through ``display_name`` (the person's name), and a search by an
IIN finds nothing (only a BIN is matched exactly), so the register cannot be used to learn whether a
given IIN belongs to a participant.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

from innocluster.core.identifiers import compact
from innocluster.core.policy.values import today
from innocluster.registry.models import Participant, StatusChange

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


def search_register(filters: RegisterFilter | Mapping[str, Any] | None = None) -> QuerySet[Participant]:
    """Register entries matching ``filters``, with everything a list row shows joined in (constant
    queries however many rows a page has). ``q`` matches names (any language) or a BIN exactly."""
    if filters is None:
        filters = RegisterFilter()
    elif not isinstance(filters, RegisterFilter):
        filters = RegisterFilter.from_mapping(filters)
    qs = Participant.objects.select_related("organisation", "category", "region")
    if filters.q:
        text = Q(search_text__contains=filters.q.casefold())
        number = compact(filters.q)
        if number.isdigit() and len(number) == 12:
            text |= Q(organisation__bin=number)
        text |= Q(number=filters.q)
        qs = qs.filter(text)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.region:
        qs = qs.filter(region__kato=filters.region)
    return qs.order_by(*_ordering(filters.sort))


def status_counts(qs: QuerySet[Participant]) -> dict[str, int]:
    """How many of ``qs`` are in each status (one query), every status present, zero if none."""
    found = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in Participant.Status.values}


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


def register_rows(qs: QuerySet[Participant]) -> Iterator[dict[str, Any]]:
    """Plain rows for the exports, streamed in chunks (no model instances, no personal data):
    the name in the reader's language where the organisation has one, the BIN for organisations
    and "" for individuals, codes with their names, ISO dates.

    Not a generator function: the reader's language is read now, in the request, because a
    streaming response consumes the rows after the view has returned."""
    lang = _language()
    lang = lang if lang in {"kk", "ru", "en"} else "ru"
    status_names = {value: str(label) for value, label in Participant.Status.choices}
    rows = (
        qs.annotate(
            _name=Coalesce(NullIf(F(f"organisation__name_{lang}"), Value("")), F("display_name")),
            _bin=Coalesce(F("organisation__bin"), Value("")),
            _category_name=Coalesce(
                NullIf(F(f"category__name_{lang}"), Value("")), F("category__name_ru"), Value("")
            ),
            _region_name=Coalesce(
                NullIf(F(f"region__name_{lang}"), Value("")), F("region__name_ru"), Value("")
            ),
        )
        .values(
            "number",
            "_name",
            "_bin",
            "category__code",
            "_category_name",
            "status",
            "region__kato",
            "_region_name",
            "registered_on",
            "status_since",
        )
        .iterator(chunk_size=2000)
    )
    return (
        {
            "number": row["number"],
            "name": row["_name"],
            "bin": row["_bin"],
            "category": row["category__code"],
            "category_name": row["_category_name"],
            "status": row["status"],
            "status_name": status_names.get(row["status"], row["status"]),
            "region": row["region__kato"] or "",
            "region_name": row["_region_name"],
            "registered_on": row["registered_on"].isoformat(),
            "status_since": row["status_since"].isoformat(),
        }
        for row in rows
    )
