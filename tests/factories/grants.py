"""Grants test data shared by the stages' tests: an open published call and applications placed
directly in a stage (the stage's own tests drive the commands; these only set the scene).

Everything is built through the models because each stage's tests start where the previous stage
ends; the commands of a stage are exercised by that stage's tests."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from innocluster.core.calendar import ALMATY
from innocluster.grants.models import (
    ApplicationFile,
    BudgetItem,
    Call,
    CallStatus,
    Milestone,
    Project,
    ProjectApplication,
    ProjectKpi,
    TeamMember,
)

D = Decimal
FIFTEEN_MILLION = D("15000000.00")
FIVE_MILLION = D("5000000.00")
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def publish_now(call: Call, approver, *, opens_days: int = -1, length_days: int = 30) -> Call:
    """Put a submitted or draft call in force as published, its window around today (Almaty)."""
    today = timezone.now().astimezone(ALMATY).date()
    opens = dt.datetime.combine(today + dt.timedelta(days=opens_days), dt.time(10, 0), tzinfo=ALMATY)
    Call.objects.filter(pk=call.pk).update(
        status=CallStatus.PUBLISHED,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=length_days),
        approved_by=approver,
        approved_at=timezone.now(),
    )
    call.refresh_from_db()
    return call


def application(
    call: Call,
    organisation,
    applicant,
    *,
    status: str = "submitted",
    participant=None,
    title: str = "Digital twin of a gas processing line",
    requested: Decimal = FIFTEEN_MILLION,
    cofinanced: Decimal = FIVE_MILLION,
    number: str | None = None,
) -> ProjectApplication:
    """A complete application (two milestones, budget, team, two KPIs, the passport and the call's
    required documents) in ``status``."""
    year = call.year
    project = Project.objects.create(organisation=organisation, title=title, created_by=applicant)
    seq = ProjectApplication.objects.filter(call=call).count() + 1
    submitted = status != "draft"
    app = ProjectApplication.objects.create(
        call=call,
        project=project,
        organisation=organisation,
        participant=participant,
        applicant=applicant,
        number=number if number is not None else (f"{call.code}-{seq:04d}" if submitted else ""),
        status=status,
        steps_done=["project", "plan", "budget", "team", "note", "documents"],
        summary="A digital twin cuts unplanned stops of the line.",
        starts_on=dt.date(year, 3, 1),
        ends_on=dt.date(year + 1, 2, 28),
        requested_amount=requested,
        cofinancing_amount=cofinanced,
        cofinancing_source="own funds",
        expected_results="A working twin on one line; 10% fewer stops.",
        research_state="Pilot model validated on historical data.",
        industrial_readiness="TRL 5",
        prototype="Laboratory prototype",
        novelty="No analogue runs on this kind of line.",
        patent_search="Searched KZ, RU, EP, US: no blocking patents.",
        ip_owner=str(organisation),
        submitted_at=timezone.now() if submitted else None,
    )
    Milestone.objects.create(
        application=app,
        position=1,
        title="Model and data pipeline",
        starts_on=dt.date(year, 3, 1),
        due_on=dt.date(year, 8, 31),
        amount=requested * D("0.6"),
        deliverable="Model report",
    )
    Milestone.objects.create(
        application=app,
        position=2,
        title="Pilot on the line",
        starts_on=dt.date(year, 9, 1),
        due_on=dt.date(year + 1, 2, 28),
        amount=requested - requested * D("0.6"),
        deliverable="Pilot act",
    )
    BudgetItem.objects.create(
        application=app, kind="salaries", year=year, requested=requested, cofinanced=cofinanced
    )
    TeamMember.objects.create(application=app, name="A. Seitkali", role="Project lead", qualification="PhD")
    ProjectKpi.objects.create(
        application=app, name="Unplanned stops avoided", unit="%", target=D("10"), year=year + 1
    )
    ProjectKpi.objects.create(application=app, name="Pilot lines", unit="pcs", target=D("1"), year=year + 1)
    codes = [ApplicationFile.PASSPORT] + [d.code for d in call.documents.filter(required=True)]
    for code in codes:
        stored = ApplicationFile(
            application=app,
            code=code,
            version=1,
            original_name=f"{code}.pdf",
            content_type="application/pdf",
            size=len(TINY_PDF),
            sha256="0" * 64,
            uploaded_by=applicant,
            call_document=call.documents.filter(code=code).first(),
        )
        stored.file.save(f"{code}.pdf", ContentFile(TINY_PDF), save=False)
        stored.save()
    return app
