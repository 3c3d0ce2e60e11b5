"""Programmes and their calls for applications.

A programme (grants, venture co-investment, acceleration) owns one budget line of the ledger and
draws on one source of funds. A call is all the data an applicant needs: its window (aware
instants, shown in Almaty time), budget, eligible participant categories, the minimum co-financing
share, the maximum amount and duration, the required documents and the scoring rubric. A call is
entered as a draft, submitted, and published on a second person's approval; whether it is open is
computed from the window, never stored."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from innocluster.finance.models import FundSource


def in_reader_language(obj, field: str) -> str:
    """``obj.<field>_<language>`` for the reader's language, else the Russian, else the English."""
    language = (get_language() or "kk").split("-")[0]
    return (
        getattr(obj, f"{field}_{language}", "")
        or getattr(obj, f"{field}_ru", "")
        or getattr(obj, f"{field}_en", "")
    )


class Titled(models.Model):
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return in_reader_language(self, "title")


class Programme(Titled):
    class Kind(models.TextChoices):
        GRANT = "grant", _("grants")
        VENTURE = "venture", _("venture co-investment")
        ACCELERATION = "acceleration", _("acceleration")

    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    budget_line = models.OneToOneField(
        "finance.BudgetLine",
        on_delete=models.PROTECT,
        related_name="programme",
        verbose_name=_("budget line"),
    )
    fund_source = models.CharField(_("source of funds"), max_length=20, choices=FundSource.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    @property
    def description(self) -> str:
        return in_reader_language(self, "description")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", pgettext_lazy("call status", "withdrawn")


class Call(Titled):
    """A call for applications under a programme."""

    Status = CallStatus

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    code = models.CharField(_("code"), max_length=30)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("budget year"))
    budget = models.DecimalField(_("budget"), max_digits=18, decimal_places=2, default=Decimal("0.00"))
    eligible_categories = models.ManyToManyField(
        "registry.ParticipantCategory", blank=True, related_name="+", verbose_name=_("eligible categories")
    )
    cofinancing_share = models.DecimalField(
        _("minimum co-financing share"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    max_amount = models.DecimalField(
        _("maximum amount"), max_digits=18, decimal_places=2, default=Decimal("0.00")
    )
    max_months = models.PositiveSmallIntegerField(_("maximum duration, months"), default=12)
    status = models.CharField(
        _("status"), max_length=12, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_reason = models.TextField(_("reason for return"), blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["programme__code", "-opens_at", "code"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="grants_call_code_unique"),
            models.CheckConstraint(
                condition=models.Q(cofinancing_share__gte=0, cofinancing_share__lte=1),
                name="grants_call_cofinancing_share_0_1",
            ),
        ]

    @property
    def summary(self) -> str:
        return in_reader_language(self, "summary")

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == CallStatus.PUBLISHED
            and self.opens_at is not None
            and self.opens_at <= now < self.closes_at
        )

    def is_closed(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == CallStatus.PUBLISHED and self.closes_at is not None and now >= self.closes_at

    def is_coming(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == CallStatus.PUBLISHED and self.opens_at is not None and now < self.opens_at

    @property
    def phase(self) -> str:
        """``open``, ``coming`` or ``closed`` for a published call, else its status."""
        if self.status != CallStatus.PUBLISHED:
            return self.status
        if self.is_coming():
            return "coming"
        return "open" if self.is_open() else "closed"

    @property
    def editable(self) -> bool:
        return self.status == CallStatus.DRAFT


class CallDocument(Titled):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=50)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="grants_calldocument_code_unique")
        ]


class Criterion(Titled):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=50)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight, %"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    scale_max = models.PositiveSmallIntegerField(_("highest score"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="grants_criterion_code_unique"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gte=1), name="grants_criterion_scale_at_least_1"
            ),
        ]


# The rest of the app's tables, one module per stage (imported here so Django finds them).
from innocluster.grants.models_applications import (  # noqa: E402
    EDITABLE_STATUSES,
    ApplicationFile,
    ApplicationStatus,
    BudgetItem,
    IntakeComment,
    Milestone,
    Opinion,
    Project,
    ProjectApplication,
    ProjectKpi,
    TeamMember,
)
from innocluster.grants.models_awards import (  # noqa: E402
    AgreementVersion,
    Award,
    AwardMilestone,
    AwardStatus,
    Clawback,
    GranteeReport,
    KpiValue,
    Tranche,
)
from innocluster.grants.models_challenges import Challenge, ChallengeAnswer  # noqa: E402
from innocluster.grants.models_expertise import (  # noqa: E402
    AssignmentStatus,
    CallFinancer,
    ExpertAssignment,
    PreselectionMark,
    Score,
)

__all__ = [
    "EDITABLE_STATUSES",
    "AgreementVersion",
    "ApplicationFile",
    "ApplicationStatus",
    "AssignmentStatus",
    "Award",
    "AwardMilestone",
    "AwardStatus",
    "BudgetItem",
    "Call",
    "CallDocument",
    "CallFinancer",
    "CallStatus",
    "Challenge",
    "ChallengeAnswer",
    "Clawback",
    "Criterion",
    "ExpertAssignment",
    "GranteeReport",
    "IntakeComment",
    "KpiValue",
    "Milestone",
    "Opinion",
    "PreselectionMark",
    "Programme",
    "Project",
    "ProjectApplication",
    "ProjectKpi",
    "Score",
    "TeamMember",
    "Tranche",
    "in_reader_language",
]  # fmt: skip
