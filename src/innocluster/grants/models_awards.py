"""Awards, financing agreements, tranches, amendments, reports and clawbacks.

An **award** cannot exist without the decision record of the body the authority matrix names for its
amount (``decision`` is required) and the ledger commitment that reserves its money (``commitment``):
both are created in the same transaction by the award command. The **agreement** is kept as versions:
version 1 is the agreement as awarded; an amendment (dates, budget reallocation within the policy
tolerance) is a new version that takes effect on approval. A **tranche** is tied to a milestone and
is paid only once that milestone's report is accepted, through the ledger's disbursement command,
never beyond the commitment. Reports (milestone, progress, financial, final) are due on a schedule;
a **clawback** is a receivable from the grantee (``grants_refundable``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innocluster.core.files import GeneratedName
from innocluster.grants.models_applications import MONEY


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("in progress")
    SUSPENDED = "suspended", _("suspended")
    TERMINATED = "terminated", _("terminated")
    CLOSED = "closed", _("closed")


class Award(models.Model):
    """The financing of one application, on a decision record, with its ledger commitment."""

    Status = AwardStatus

    application = models.OneToOneField(
        "grants.ProjectApplication", on_delete=models.PROTECT, related_name="award"
    )
    number = models.CharField(_("agreement number"), max_length=40, unique=True)
    amount = models.DecimalField(_("amount awarded"), **MONEY)
    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="+")
    commitment = models.OneToOneField("finance.Commitment", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    status_reason = models.TextField(_("reason"), blank=True)
    # The Fund executive's decision the last suspension, resumption or termination carried out.
    status_decision = models.ForeignKey(
        "decisions.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision on the status"),
    )
    awarded_at = models.DateTimeField(default=timezone.now)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    results = models.TextField(_("results"), blank=True)  # published with the funded projects

    class Meta:
        ordering = ["-awarded_at", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grants_award_amount_positive")
        ]

    def __str__(self):
        return self.number


class AgreementVersion(models.Model):
    """A version of the financing agreement. Version 1 is signed at award; each amendment is a new
    version, proposed and then approved by another person; ``changes`` keeps what it changes."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("in force")
        REFUSED = "refused", _("refused")
        SUPERSEDED = "superseded", _("superseded")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    starts_on = models.DateField(_("project start"))
    ends_on = models.DateField(_("project end"))
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["award", "version"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [models.UniqueConstraint(fields=["award", "version"], name="grants_agreement_version")]

    def __str__(self):
        return f"{self.award} v{self.version}"


class AwardMilestone(models.Model):
    """A milestone of the agreement in force (copied from the application at award; amendments
    change its dates and amount)."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("measure"), max_length=300)
    deliverable = models.TextField(_("deliverable"), blank=True)
    due_on = models.DateField(_("due"))

    class Meta:
        ordering = ["award", "position"]
        verbose_name = _("agreement milestone")
        verbose_name_plural = _("agreement milestones")
        constraints = [models.UniqueConstraint(fields=["award", "position"], name="grants_award_milestone")]

    def __str__(self):
        return f"{self.position}. {self.title}"


class Tranche(models.Model):
    """A payment of the award tied to a milestone: paid only after that milestone's report is
    accepted (the first tranche, an advance, may be tied to no milestone)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="tranches")
    position = models.PositiveSmallIntegerField(_("position"))
    milestone = models.ForeignKey(
        AwardMilestone, on_delete=models.PROTECT, null=True, blank=True, related_name="tranches"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    planned_on = models.DateField(_("planned payment date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    entry = models.ForeignKey(
        "finance.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["award", "position"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(fields=["award", "position"], name="grants_tranche_position"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grants_tranche_amount_positive"),
        ]

    def __str__(self):
        return f"{self.award} / {self.position}"


class GranteeReport(models.Model):
    """A report the grantee owes: a milestone report (which a tranche waits for), a periodic
    progress or financial report, or the final report that closes the project."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("milestone report")
        PROGRESS = "progress", _("progress report")
        FINANCIAL = "financial", _("financial report")
        FINAL = "final", _("final report")

    class Status(models.TextChoices):
        DUE = "due", pgettext_lazy("report status", "due")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned with comments")
        ACCEPTED = "accepted", _("accepted")
        # An amendment ended the project before the report's period: kept, never removed.
        CANCELLED = "cancelled", _("cancelled by an amendment")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    milestone = models.ForeignKey(
        AwardMilestone, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    period_end = models.DateField(_("period end"), null=True, blank=True)
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DUE)
    text = models.TextField(_("report"), blank=True)
    spent = models.DecimalField(_("spent in the period"), null=True, blank=True, **MONEY)
    file = models.FileField(_("file"), upload_to=GeneratedName("grant-reports"), max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("reviewer's comments"), blank=True)

    class Meta:
        ordering = ["award", "due_on", "id"]
        verbose_name = _("grantee report")
        verbose_name_plural = _("grantee reports")
        indexes = [models.Index(fields=["status", "due_on"], name="grants_report_status_due")]

    def __str__(self):
        return f"{self.award}: {self.kind} {self.due_on}"


class KpiValue(models.Model):
    """A project indicator's value as a report states it (against the application's target)."""

    report = models.ForeignKey(GranteeReport, on_delete=models.CASCADE, related_name="kpi_values")
    kpi = models.ForeignKey("grants.ProjectKpi", on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "kpi"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [models.UniqueConstraint(fields=["report", "kpi"], name="grants_kpi_value_once")]

    def __str__(self):
        return f"{self.kpi}: {self.value}"


class Clawback(models.Model):
    """Money the grantee must return (misuse, termination): a receivable posted in the ledger."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="clawbacks")
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.TextField(_("reason"))
    entry = models.ForeignKey("finance.JournalEntry", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["award", "id"]
        verbose_name = _("clawback")
        verbose_name_plural = _("clawbacks")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grants_clawback_positive")
        ]

    def __str__(self):
        return f"{self.award}: {self.amount}"
