"""The levy's reports, read in a fixed number of grouped queries whatever the number of contracts:
collection (due against settled) by year, region or mineral; the ageing of arrears; what was
expected against what came in by month; the top debtors; and the headline figures the governance
dashboards read as metrics (``levy.manifest``).

Terms (docs/levy.md): **due** is the obligations' amount; **paid** what bank payments settled;
**R&D and credits** what approved direct R&D spending and applied credits settled; **collected**
is both (the obligation is settled either way); **outstanding** = due − collected + what was moved
out to credits (an obligation lowered below what was already settled)."""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import ExtractMonth, TruncMonth

from innocluster.core.money import MoneySum
from innocluster.levy.models import Credit, Obligation, ObligationPosting, Settlement
from innocluster.levy.selectors.obligations import with_balances
from innocluster.parties.models import Region, name_in_reader_language

ZERO = Decimal("0.00")
GROUPINGS = ("year", "region", "mineral")
TOP_DEBTORS = 10
# Days past the due date: (label, first day, last day or None for "and more").
AGEING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–30", 0, 30),
    ("31–90", 31, 90),
    ("91–180", 91, 180),
    ("181–365", 181, 365),
    (">365", 366, None),
)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(ZERO)


@dataclass
class CollectionRow:
    key: object
    label: str
    obligations: int = 0
    due: Decimal = ZERO
    paid: Decimal = ZERO
    other: Decimal = ZERO  # R&D spending and credits applied
    released: Decimal = ZERO

    @property
    def collected(self) -> Decimal:
        return self.paid + self.other

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.collected + self.released

    @property
    def rate(self) -> Decimal | None:
        """Collected as a share of due (None when nothing was due)."""
        return (self.collected / self.due).quantize(Decimal("0.0001")) if self.due else None

    @property
    def percent(self) -> Decimal | None:
        """The rate in per cent, to one decimal."""
        return None if self.rate is None else (self.rate * 100).quantize(Decimal("0.1"))


@dataclass
class Collection:
    grouping: str
    year: int | None
    rows: list[CollectionRow]
    total: CollectionRow = field(default_factory=lambda: CollectionRow(None, ""))


def collection(grouping: str = "year", *, year: int | None = None) -> Collection:
    """Due, paid, settled otherwise and outstanding, grouped by the obligation ``year``, the
    contract's region or its mineral (``year`` limits to one obligation year). Two queries."""
    if grouping not in GROUPINGS:
        raise ValueError(f"grouping {grouping!r} is not one of {GROUPINGS}")
    key = {"year": "year", "region": "contract__region_id", "mineral": "contract__mineral"}[grouping]
    obligations = Obligation.objects.all()
    settlements = Settlement.objects.filter(status=Settlement.Status.APPROVED, applied__gt=0)
    if year is not None:
        obligations = obligations.filter(year=year)
        settlements = settlements.filter(obligation__year=year)
    rows: dict[object, CollectionRow] = {}
    for value, count, due, released in (
        obligations.order_by()
        .values_list(key)
        .annotate(n=Count("id"), due=MoneySum("amount"), released=MoneySum("released"))
    ):
        rows[value] = CollectionRow(value, "", count, _money(due), released=_money(released))
    for value, kind, applied in (
        settlements.order_by().values_list(f"obligation__{key}", "kind").annotate(t=MoneySum("applied"))
    ):
        row = rows.setdefault(value, CollectionRow(value, ""))
        if kind == Settlement.Kind.PAYMENT:
            row.paid += _money(applied)
        else:
            row.other += _money(applied)
    names = {}
    if grouping == "region":
        names = {r.pk: r for r in Region.objects.filter(pk__in=[k for k in rows if k is not None])}
    for row in rows.values():
        if grouping == "region":
            region = names.get(row.key)
            row.label = f"{name_in_reader_language(region)}" if region else "—"
        else:
            row.label = str(row.key) if row.key not in (None, "") else "—"
    ordered = sorted(
        rows.values(), key=lambda r: (r.key is None, r.key) if grouping == "year" else (-r.due, r.label)
    )
    total = CollectionRow(None, "")
    for row in ordered:
        total.obligations += row.obligations
        total.due += row.due
        total.paid += row.paid
        total.other += row.other
        total.released += row.released
    return Collection(grouping, year, ordered, total)


@dataclass
class AgeingBucket:
    label: str
    first: int
    last: int | None
    obligations: int = 0
    amount: Decimal = ZERO


@dataclass
class Ageing:
    on: dt.date
    buckets: list[AgeingBucket]
    debtors: int

    @property
    def total(self) -> Decimal:
        return sum((b.amount for b in self.buckets), ZERO)

    @property
    def obligations(self) -> int:
        return sum(b.obligations for b in self.buckets)


def _past_due(on: dt.date):
    return with_balances(Obligation.objects.all()).filter(due_date__lt=on, outstanding__gt=0)


def ageing(on: dt.date) -> Ageing:
    """What is outstanding past its due date on ``on``, by days past due (one query; settlements
    counted are those approved so far)."""
    buckets = [AgeingBucket(label, first, last) for label, first, last in AGEING_BUCKETS]
    debtors: set[int] = set()
    for due_date, outstanding, holder_id in (
        _past_due(on).order_by().values_list("due_date", "outstanding", "holder_id")
    ):
        days = (on - due_date).days
        bucket = next(b for b in buckets if days >= b.first and (b.last is None or days <= b.last))
        bucket.obligations += 1
        bucket.amount += _money(outstanding)
        debtors.add(holder_id)
    return Ageing(on, buckets, len(debtors))


@dataclass
class MonthRow:
    month: int
    expected: Decimal = ZERO
    paid: Decimal = ZERO
    other: Decimal = ZERO

    @property
    def collected(self) -> Decimal:
        return self.paid + self.other


def by_month(year: int) -> list[MonthRow]:
    """Each month of ``year``: what fell due (obligations by due date) and what was settled (by the
    date of the settlement's ledger entry). Two queries."""
    months = {m: MonthRow(m) for m in range(1, 13)}
    for month, due in (
        Obligation.objects.filter(due_date__year=year)
        .order_by()
        .annotate(m=ExtractMonth("due_date"))
        .values_list("m")
        .annotate(t=MoneySum("amount"))
    ):
        months[month].expected += _money(due)
    for month, kind, applied in (
        Settlement.objects.filter(status=Settlement.Status.APPROVED, applied__gt=0, entry__date__year=year)
        .order_by()
        .annotate(m=ExtractMonth("entry__date"))
        .values_list("m", "kind")
        .annotate(t=MoneySum("applied"))
    ):
        if kind == Settlement.Kind.PAYMENT:
            months[month].paid += _money(applied)
        else:
            months[month].other += _money(applied)
    return list(months.values())


@dataclass
class Debtor:
    holder_id: int
    bin: str
    name: str
    obligations: int
    outstanding: Decimal
    oldest_due: dt.date


def top_debtors(on: dt.date, limit: int = 10) -> list[Debtor]:
    """The subsoil users with the most outstanding past due on ``on``, largest first (one query)."""
    rows = (
        _past_due(on)
        .order_by()
        .values("holder_id", "holder__bin", "holder__name_kk", "holder__name_ru", "holder__name_en")
        .annotate(total=Sum(F("outstanding")), n=Count("id"), oldest=Min("due_date"))
        .order_by("-total", "holder__bin")[:limit]
    )
    found = []
    for row in rows:
        names = SimpleNamespace(
            name_kk=row["holder__name_kk"], name_ru=row["holder__name_ru"], name_en=row["holder__name_en"]
        )
        found.append(
            Debtor(
                row["holder_id"],
                row["holder__bin"],
                name_in_reader_language(names),
                row["n"],
                _money(row["total"]),
                row["oldest"],
            )
        )
    return found


# --- the headline figures (metrics) -----------------------------------------------------------


def due_in_year(on: dt.date) -> Decimal:
    """Due for the obligation year of ``on``."""
    return collection("year", year=on.year).total.due


def collected_in_year(on: dt.date) -> Decimal:
    """Collected (paid, R&D spending and credits) on the obligations of the year of ``on``."""
    return collection("year", year=on.year).total.collected


def collection_rate(on: dt.date) -> Decimal | None:
    """Collected as a share of due for the year of ``on`` (None when nothing is due)."""
    return collection("year", year=on.year).total.rate


def arrears_total(on: dt.date) -> Decimal:
    return ageing(on).total


def debtors_count(on: dt.date) -> int:
    return ageing(on).debtors


# --- the headline figures month by month (metric series) --------------------------------------


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month that ends between ``start`` and ``end`` (both inclusive)."""
    points: list[dt.date] = []
    year, month = start.year, start.month
    while start <= end:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if last > end:
            break
        points.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return points


@dataclass
class MonthPoint:
    """The headline figures as the books stood at the end of a month (``on``): ``due`` and
    ``collected`` for the obligations of the year of ``on``; ``arrears`` outstanding past the due
    date on ``on``, and the subsoil users owing it (``debtors``)."""

    on: dt.date
    due: Decimal = ZERO
    collected: Decimal = ZERO
    arrears: Decimal = ZERO
    debtors: int = 0

    @property
    def rate(self) -> Decimal | None:
        return (self.collected / self.due).quantize(Decimal("0.0001")) if self.due else None


@dataclass
class _Track:
    """One obligation's movements by month: (first day of the month, posted, settled, released)."""

    year: int
    due_date: dt.date
    holder_id: int
    moves: list = field(default_factory=list)


def month_points(start: dt.date, end: dt.date) -> list[MonthPoint]:
    """:class:`MonthPoint` at each month end between ``start`` and ``end``, as the books stood on
    that day: what was assessed or adjusted by then (the dates of the obligations' entries), what
    approved settlements had settled by then (the dates of their ledger entries) and what was
    moved out to credits (an obligation lowered below what was settled) by then. Settlements since
    cancelled (a bank match undone) and credits since taken back count on no day: the series
    restates the past as the books hold it now. Three grouped queries whatever the range (none
    when no month ends in it); at a month end on or after the last entry a point equals the
    metric's ``value`` of that day."""
    points = month_ends(start, end)
    if not points:
        return []
    last = points[-1]
    # Due and collected need the obligations of the points' years; arrears those due before the last.
    wanted = Q(obligation__year__in={p.year for p in points}) | Q(obligation__due_date__lt=last)
    meta = ("obligation_id", "obligation__year", "obligation__due_date", "obligation__holder_id")
    tracks: dict[int, _Track] = {}

    def add(rows, slot: int) -> None:
        for pk, year, due_date, holder_id, month, amount in rows:
            track = tracks.setdefault(pk, _Track(year, due_date, holder_id))
            values = [ZERO, ZERO, ZERO]
            values[slot] = _money(amount)
            track.moves.append((_month(month), *values))

    add(
        ObligationPosting.objects.filter(wanted, entry__date__lte=last)
        .order_by()
        .annotate(month=TruncMonth("entry__date"))
        .values_list(*meta, "month")
        .annotate(t=MoneySum("amount")),
        0,
    )
    add(
        Settlement.objects.filter(
            wanted, status=Settlement.Status.APPROVED, applied__gt=0, entry__date__lte=last
        )
        .order_by()
        .annotate(month=TruncMonth("entry__date"))
        .values_list(*meta, "month")
        .annotate(t=MoneySum("applied")),
        1,
    )
    # What was moved out to credits: the credits an obligation's lowering created (they have an
    # entry and no bank match), as they stand now (reduced or cancelled when a payment was undone).
    released = Q(source__year__in={p.year for p in points}) | Q(source__due_date__lt=last)
    add(
        Credit.objects.filter(
            released,
            match__isnull=True,
            entry__isnull=False,
            cancelled_at__isnull=True,
            entry__date__lte=last,
        )
        .order_by()
        .annotate(month=TruncMonth("entry__date"))
        .values_list("source_id", "source__year", "source__due_date", "source__holder_id", "month")
        .annotate(t=MoneySum("amount")),
        2,
    )
    found = [MonthPoint(on) for on in points]
    owing: list[set[int]] = [set() for _ in found]
    for track in tracks.values():
        track.moves.sort(key=lambda move: move[0])
        posted = settled = moved = ZERO
        i = 0
        for point, holders in zip(found, owing, strict=True):
            month = point.on.replace(day=1)
            while i < len(track.moves) and track.moves[i][0] <= month:
                _m, p, s, r = track.moves[i]
                posted, settled, moved = posted + p, settled + s, moved + r
                i += 1
            if track.year == point.on.year:
                point.due += posted
                point.collected += settled
            if track.due_date < point.on:
                owed = posted - settled + moved
                if owed > 0:
                    point.arrears += owed
                    holders.add(track.holder_id)
    for point, holders in zip(found, owing, strict=True):
        point.debtors = len(holders)
    return found


def _month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        value = dt.date.fromisoformat(str(value)[:10])
    return value.replace(day=1)


def due_series(start: dt.date, end: dt.date) -> list[tuple[dt.date, Decimal]]:
    return [(p.on, p.due) for p in month_points(start, end)]


def collected_series(start: dt.date, end: dt.date) -> list[tuple[dt.date, Decimal]]:
    return [(p.on, p.collected) for p in month_points(start, end)]


def collection_rate_series(start: dt.date, end: dt.date) -> list[tuple[dt.date, Decimal | None]]:
    return [(p.on, p.rate) for p in month_points(start, end)]


def arrears_series(start: dt.date, end: dt.date) -> list[tuple[dt.date, Decimal]]:
    return [(p.on, p.arrears) for p in month_points(start, end)]


def debtors_series(start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    return [(p.on, p.debtors) for p in month_points(start, end)]
