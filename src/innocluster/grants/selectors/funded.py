"""The public list of funded projects: every award not terminated, with its project, organisation,
programme, amount, what is paid so far, status, results (once closed) and year (of the decision)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from innocluster.grants.models import Award, Programme, Tranche

ZERO = Decimal("0.00")
PUBLIC_STATUSES = (Award.Status.ACTIVE, Award.Status.SUSPENDED, Award.Status.CLOSED)


def funded_awards(*, programme: str = "", year: int | None = None, status: str = "") -> QuerySet[Award]:
    """Awards not terminated, newest decision first; ``programme`` is a programme's code."""
    paid = (
        Tranche.objects.filter(award=OuterRef("pk"), status=Tranche.Status.PAID)
        .values("award")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    rows = (
        Award.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related(
            "application__project", "application__organisation", "application__call__programme", "decision"
        )
        .annotate(
            paid=Coalesce(
                Subquery(paid, output_field=DecimalField(max_digits=18, decimal_places=2)),
                Value(ZERO),
                output_field=DecimalField(max_digits=18, decimal_places=2),
            )
        )
    )
    if programme:
        rows = rows.filter(application__call__programme__code=programme)
    if year:
        rows = rows.filter(decision__decided_on__year=year)
    if status:  # a status never published (terminated) finds nothing
        rows = rows.filter(status=status)
    return rows.order_by("-decision__decided_on", "number")


def programmes_with_awards() -> list[Programme]:
    return list(
        Programme.objects.filter(calls__applications__award__status__in=PUBLIC_STATUSES)
        .distinct()
        .order_by("code")
    )


def years_with_awards() -> list[int]:
    return sorted(
        {
            d.year
            for d in Award.objects.filter(status__in=PUBLIC_STATUSES).values_list(
                "decision__decided_on", flat=True
            )
        },
        reverse=True,
    )


def amounts_by_programme(awards) -> list[tuple[str, Decimal]]:
    """The amount awarded per programme code, for the chart."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for award in awards:
        totals[award.application.call.programme.code] += award.amount
    return sorted(totals.items())
