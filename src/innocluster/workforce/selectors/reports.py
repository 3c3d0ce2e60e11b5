"""The workforce documents' reads: a letter as its verification page shows it, the report of
attracted foreigners the state bodies receive (the migration service, the security committee),
the statistics (by country, occupation, employer, category; SLA compliance) and the month-end
series of the governance metrics. Each in a fixed number of queries whatever the number of rows.

**Who is in the state report** for a period ``start``–``end`` (both days included): every
foreigner whose request was approved in the period (the letters were issued then), and every
foreigner who worked in it: an approved, active or ended engagement whose contract overlaps the
period, up to the day it ended if it ended early. Refused, returned, draft and pending requests are
not (no foreigner was attracted by them)."""

import calendar
import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import get_language

from innocluster.core.calendar import almaty_date
from innocluster.core.policy import values as policy
from innocluster.workforce.countries import country_name
from innocluster.workforce.models import EngagementRequest, Letter
from innocluster.workforce.selectors.personal_data import mask_birth_date, mask_passport
from innocluster.workforce.selectors.requests import AWAITING_DECISION, SLA

S = EngagementRequest.Status
ENGAGED = (S.APPROVED, S.ACTIVE, S.ENDED)  # a foreigner was attracted (letters issued)

# --- letters and their verification -------------------------------------------------------------

VALID, ENDED, EXPIRED, NOT_VALID = "valid", "ended", "expired", "not_valid"


def letter_by_number(number: str) -> Letter | None:
    return (
        Letter.objects.select_related("request__employer", "request__specialist", "issued_by")
        .filter(number=str(number)[:30])
        .first()
    )


def verified_letter(number: str, code: str) -> Letter | None:
    """The letter ``number`` if ``code`` is its verification code, else ``None``: a wrong code and
    an unknown number answer the same (no oracle for guessing either)."""
    letter = letter_by_number(number)
    expected = letter.verification_code if letter else secrets.token_hex(16)
    if not secrets.compare_digest(str(code or "").encode(), expected.encode()) or letter is None:
        return None
    return letter


def letter_status(letter: Letter, on: dt.date | None = None) -> str:
    """``valid`` while the engagement is approved or active and its contract not over; ``ended``
    once the engagement ended; ``expired`` past the contract's end; ``not_valid`` otherwise (a
    request no longer approved)."""
    on = on or policy.today()
    request = letter.request
    if request.status == S.ENDED:
        return ENDED
    if request.status not in (S.APPROVED, S.ACTIVE):
        return NOT_VALID
    return EXPIRED if on > request.contract_end else VALID


# --- the report to the state bodies -------------------------------------------------------------

REPORT_COLUMNS = (
    "surname_latin",
    "given_names_latin",
    "full_name_cyrillic",
    "citizenship",
    "date_of_birth",
    "passport_number",
    "passport_expiry",
    "employer_name",
    "employer_bin",
    "position",
    "occupation_code",
    "category",
    "contract_start",
    "contract_end",
    "visa_valid_until",
    "status",
    "letters",
)
PERSONAL = ("date_of_birth", "passport_number")


@dataclass
class ReportRow:
    request_id: int
    specialist_id: int
    values: dict


def _in_period(start: dt.date, end: dt.date) -> Q:
    approved = Q(decided_at__isnull=False) & Q(
        decided_at__date__gte=start - dt.timedelta(days=1), decided_at__date__lte=end + dt.timedelta(days=1)
    )
    worked = (
        Q(contract_start__lte=end, contract_end__gte=start)
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        & Q(status__in=(S.ACTIVE, S.ENDED, S.APPROVED))
    )
    return Q(status__in=ENGAGED) & (approved | worked)


def report_rows(start: dt.date, end: dt.date, *, masked: bool) -> list[ReportRow]:
    """The attracted foreigners of ``start``–``end`` (module doc), by surname: two queries (the
    requests with their specialist and employer, the letters). ``masked`` hides the date of birth
    and the passport number (the readers who do not need them)."""
    requests = list(
        EngagementRequest.objects.filter(_in_period(start, end))
        .select_related("specialist", "employer")
        .order_by("specialist__surname_latin", "specialist__given_names_latin", "id")
    )
    # The approval's Almaty date, exactly (the query above widened it by a day for time zones).
    requests = [r for r in requests if _kept(r, start, end)]
    letters: dict[int, list[str]] = {}
    for request_id, number in (
        Letter.objects.filter(request__in=[r.pk for r in requests])
        .order_by("request_id", "kind")
        .values_list("request_id", "number")
    ):
        letters.setdefault(request_id, []).append(number)
    statuses = dict(S.choices)
    categories = dict(EngagementRequest.Category.choices)
    rows = []
    for r in requests:
        person = r.specialist
        values = {
            "surname_latin": person.surname_latin,
            "given_names_latin": person.given_names_latin,
            "full_name_cyrillic": person.full_name_cyrillic,
            "citizenship": f"{person.citizenship} {country_name(person.citizenship)}",
            "date_of_birth": mask_birth_date(person.date_of_birth) if masked else person.date_of_birth,
            "passport_number": mask_passport(person.passport_number) if masked else person.passport_number,
            "passport_expiry": person.passport_expiry,
            "employer_name": r.employer.name,
            "employer_bin": r.employer.bin,
            "position": r.position,
            "occupation_code": r.occupation_code,
            "category": str(categories.get(r.category, r.category)),
            "contract_start": r.contract_start,
            "contract_end": r.ended_on if r.ended_on and r.ended_on < r.contract_end else r.contract_end,
            "visa_valid_until": r.visa_valid_until,
            "status": str(statuses.get(r.status, r.status)),
            "letters": ", ".join(letters.get(r.pk, [])),
        }
        rows.append(ReportRow(r.pk, person.pk, values))
    return rows


def _kept(request: EngagementRequest, start: dt.date, end: dt.date) -> bool:
    if request.decided_at is not None and start <= almaty_date(request.decided_at) <= end:
        return True
    last = request.ended_on if request.ended_on else request.contract_end
    return request.contract_start <= end and min(last, request.contract_end) >= start


# --- statistics ------------------------------------------------------------------------------

DIMENSIONS = ("country", "occupation", "employer", "category")
_KEYS = {
    "country": ("specialist__citizenship",),
    "occupation": ("occupation_code",),
    "employer": ("employer_id", "employer__name_ru", "employer__name_kk", "employer__bin"),
    "category": ("category",),
}


@dataclass
class GroupRow:
    key: str
    label: str
    requests: int = 0  # filed (anything but a draft)
    approved: int = 0  # approved, active or ended
    refused: int = 0
    working: int = 0  # active with the contract covering the day


@dataclass
class Statistics:
    on: dt.date
    groups: dict[str, list[GroupRow]] = field(default_factory=dict)
    sla: SLA = field(default_factory=lambda: SLA(0, 0, 0))

    @property
    def late(self) -> int:
        return self.sla.decided - self.sla.on_time


def _label(dimension: str, key: tuple) -> tuple[str, str]:
    if dimension == "country":
        return key[0], f"{country_name(key[0])} ({key[0]})"
    if dimension == "employer":
        name = key[2] if (get_language() or "").startswith("kk") and key[2] else key[1]
        return str(key[0]), name or key[3]
    if dimension == "category":
        return key[0], str(dict(EngagementRequest.Category.choices).get(key[0], key[0]))
    return key[0], key[0]


def statistics(on: dt.date | None = None) -> Statistics:
    """The requests filed, approved, refused and working on ``on`` (default today) grouped by the
    specialist's country, the occupation code, the employer and the category, largest first; and
    the SLA on ``on``. Five queries: one grouped query per dimension, one for the SLA."""
    on = on or policy.today()
    result = Statistics(on)
    base = EngagementRequest.objects.exclude(status=S.DRAFT).order_by()
    for dimension in DIMENSIONS:
        rows = []
        for *key, requests, approved, refused, working in base.values_list(*_KEYS[dimension]).annotate(
            n=Count("id"),
            approved=Count("id", filter=Q(status__in=ENGAGED)),
            refused=Count("id", filter=Q(status=S.REFUSED)),
            working=Count("id", filter=Q(status=S.ACTIVE, contract_start__lte=on, contract_end__gte=on)),
        ):
            code, label = _label(dimension, tuple(key))
            rows.append(GroupRow(code, label, requests, approved, refused, working))
        rows.sort(key=lambda r: (-r.requests, r.label))
        result.groups[dimension] = rows
    result.sla = sla_points([on])[0][1]
    return result


# --- metric series ------------------------------------------------------------------------------


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month that ends between ``start`` and ``end`` (both inclusive)."""
    points: list[dt.date] = []
    year, month = start.year, start.month
    while True:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if last > end:
            return points
        if last >= start:
            points.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


_FIELDS = ("status", "contract_start", "contract_end", "ended_on", "submitted_at", "decided_at", "deadline")


def _sla_on(rows, on: dt.date) -> SLA:
    """``selectors.requests.sla(on)`` over rows already read (the same rule)."""
    decided = on_time = overdue = 0
    for status, _start, _end, _ended, _submitted, decided_at, deadline in rows:
        if deadline is None:
            continue
        if decided_at is not None:
            day = almaty_date(decided_at)
            if day <= on:
                decided += 1
                on_time += day <= deadline
                continue
        undecided = status in AWAITING_DECISION or decided_at is not None
        if undecided and on > deadline:
            overdue += 1
    return SLA(decided, on_time, overdue)


def sla_points(days: list[dt.date]) -> list[tuple[dt.date, SLA]]:
    rows = list(EngagementRequest.objects.filter(deadline__isnull=False).values_list(*_FIELDS))
    return [(day, _sla_on(rows, day)) for day in days]


@dataclass
class MonthPoint:
    """The metrics at the end of a month (``on``). ``active``: active or since ended, the contract
    covering ``on`` and not ended by then (the current contract end: an extension counts from the
    start); ``pending``: submitted by ``on`` and not decided by then, among the requests waiting
    now or decided since (a request returned for revision since is not counted: the steps'
    history is in the audit log). At today's date each equals the metric's ``value``."""

    on: dt.date
    active: int = 0
    pending: int = 0
    sla: SLA = field(default_factory=lambda: SLA(0, 0, 0))


def month_points(start: dt.date, end: dt.date) -> list[MonthPoint]:
    """:class:`MonthPoint` at every month end between ``start`` and ``end``: one query whatever
    the range (none when no month ends in it)."""
    points = month_ends(start, end)
    if not points:
        return []
    rows = list(EngagementRequest.objects.exclude(status=S.DRAFT).values_list(*_FIELDS))
    out = []
    for on in points:
        point = MonthPoint(on, sla=_sla_on(rows, on))
        for status, c_start, c_end, ended_on, submitted_at, decided_at, _deadline in rows:
            if (
                status in (S.ACTIVE, S.ENDED)
                and c_start <= on <= c_end
                and (ended_on is None or ended_on > on)
            ):
                point.active += 1
            waiting_now = status in AWAITING_DECISION and decided_at is None
            if (
                (waiting_now or decided_at is not None)
                and submitted_at is not None
                and almaty_date(submitted_at) <= on
                and (decided_at is None or almaty_date(decided_at) > on)
            ):
                point.pending += 1
        out.append(point)
    return out


def active_series(start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    return [(p.on, p.active) for p in month_points(start, end)]


def pending_series(start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    return [(p.on, p.pending) for p in month_points(start, end)]


def sla_compliance_series(start: dt.date, end: dt.date) -> list[tuple[dt.date, Decimal | None]]:
    return [(p.on, p.sla.compliance) for p in month_points(start, end)]


def sla_breaches_series(start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    return [(p.on, p.sla.breaches) for p in month_points(start, end)]


def record_report_read(user, rows: list[ReportRow], *, where: dict, ip: str | None = None) -> None:
    """The HR officer saw the personal data of every foreigner of the report: one audited read per
    specialist (the fields and where, never their values), written in one batch."""
    from innocluster.core.audit.services import event, record_events

    seen = {}
    for row in rows:
        seen.setdefault(row.specialist_id, row)
    record_events(
        [
            event(
                action="workforce.personal_data.read",
                actor=user,
                object_type="workforce.specialist",
                object_id=str(pk),
                object_repr=f"{row.values['surname_latin']} {row.values['given_names_latin']}",
                changes={"fields": list(PERSONAL), **where},
                ip=ip,
            )
            for pk, row in seen.items()
        ]
    )
