"""An application's project as the pages, the PDF and the API show it: the period, the measures in
order, the budget grouped by year with each year's total and the whole total (summed in the
database as ``Decimal``, never stored), and the priority activities by OKED code."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from innocluster.parties.models import Activity
from innocluster.registry.models import Application, ProjectBudgetLine, ProjectMeasure

CENT = Decimal("0.01")


@dataclass(frozen=True)
class BudgetYear:
    year: int
    lines: list[ProjectBudgetLine]
    total: Decimal


@dataclass(frozen=True)
class Project:
    """An application's project as the pages, the PDF and the API show it."""

    title: str
    summary: str
    starts_on: date | None
    ends_on: date | None
    measures: list[ProjectMeasure]
    budget: list[BudgetYear]
    total: Decimal
    activities: list[Activity]

    @property
    def is_empty(self) -> bool:
        return not (
            self.summary or self.starts_on or self.ends_on or self.measures or self.budget or self.activities
        )


def project_of(application: Application) -> Project:
    lines = list(application.budget_lines.order_by("year", "position"))
    totals = dict(
        application.budget_lines.values_list("year")
        .annotate(total=Sum("amount"))
        .values_list("year", "total")
    )
    years = sorted({line.year for line in lines})
    budget = [
        BudgetYear(
            year=year,
            lines=[line for line in lines if line.year == year],
            total=Decimal(totals.get(year) or 0).quantize(CENT),
        )
        for year in years
    ]
    return Project(
        title=application.project_title,
        summary=application.project_summary,
        starts_on=application.project_starts_on,
        ends_on=application.project_ends_on,
        measures=list(application.measures.order_by("position")),
        budget=budget,
        total=application.budget_total,
        activities=list(application.priority_activities.order_by("oked")),
    )
