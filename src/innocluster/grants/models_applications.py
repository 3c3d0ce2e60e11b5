"""Project applications to a call, as the Fund's project-expertise rules (2015) describe a project:
measures and milestones with dates, start and end, budget by item and year, co-financing, team,
expected results and KPIs with targets, plus the expertise documents (the explanatory note's
sections and the project passport) and the call's required documents.

A **project** belongs to an organisation and outlives its applications: "one application per project
per call" is a constraint on (call, project) among applications that are not withdrawn. The
application's ``number`` is ``<call code>-<4-digit sequence within the call>``.

The status follows the three-stage expertise (DOMAIN.md, workflow 3): intake by the Fund
(``submitted`` → ``returned`` for revision → ``submitted`` again, or ``ineligible``, or accepted into
``preselection``), pre-selection by the subsoil users who finance the call (``not_preselected`` or on
to ``expertise``), the expert commission's opinion (``decision``: awaiting the decision of the body
the authority matrix names), then ``awarded`` or ``declined``."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innocluster.core.files import GeneratedName

MONEY = {"max_digits": 18, "decimal_places": 2}


class Project(models.Model):
    """An organisation's innovation project; it may be proposed to several calls, once to each."""

    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    title = models.CharField(_("project title"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.title


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted: intake check")
    RETURNED = "returned", _("returned for revision")
    INELIGIBLE = "ineligible", _("refused at intake")
    PRESELECTION = "preselection", _("pre-selection by subsoil users")
    NOT_PRESELECTED = "not_preselected", _("not pre-selected")
    EXPERTISE = "expertise", _("expert commission")
    DECISION = "decision", _("awaiting decision")
    AWARDED = "awarded", _("financed")
    DECLINED = "declined", _("not financed")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "withdrawn")


# Statuses in which the applicant may still change the application.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
# Statuses that no longer count for "one application per project per call".
CLOSED_STATUSES = (ApplicationStatus.WITHDRAWN,)


class Opinion(models.TextChoices):
    EXPEDIENT = "expedient", _("expedient")
    INEXPEDIENT = "inexpedient", _("inexpedient")


class ProjectApplication(models.Model):
    """One project proposed to one call by one organisation (a participant in good standing)."""

    Status = ApplicationStatus

    call = models.ForeignKey("grants.Call", on_delete=models.PROTECT, related_name="applications")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("applicant")
    )
    participant = models.ForeignKey(
        "registry.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("register entry"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    number = models.CharField(_("application number"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    steps_done = models.JSONField(_("steps completed"), default=list, blank=True)
    # --- the project as the rules define it ---
    summary = models.TextField(_("project summary"), blank=True)
    starts_on = models.DateField(_("project start"), null=True, blank=True)
    ends_on = models.DateField(_("project end"), null=True, blank=True)
    requested_amount = models.DecimalField(_("amount requested"), default=Decimal("0.00"), **MONEY)
    cofinancing_amount = models.DecimalField(_("co-financing"), default=Decimal("0.00"), **MONEY)
    cofinancing_source = models.CharField(_("source of co-financing"), max_length=300, blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    # --- the explanatory note (expertise documents) ---
    research_state = models.TextField(_("state of the research"), blank=True)
    industrial_readiness = models.TextField(_("readiness for industrial use"), blank=True)
    prototype = models.TextField(_("prototype"), blank=True)
    novelty = models.TextField(_("novelty against world analogues"), blank=True)
    patent_search = models.TextField(_("patent search"), blank=True)
    ip_owner = models.CharField(_("owner of the intellectual property"), max_length=300, blank=True)
    # --- stages ---
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    revision_round = models.PositiveSmallIntegerField(_("revision round"), default=0)
    intake_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intake_at = models.DateTimeField(_("intake decided at"), null=True, blank=True)
    intake_reason = models.TextField(_("intake reason"), blank=True)
    preselection_closed_at = models.DateTimeField(_("pre-selection closed at"), null=True, blank=True)
    # The expert commission's opinion on the application (after the experts' reviews).
    opinion = models.CharField(_("commission's opinion"), max_length=12, choices=Opinion.choices, blank=True)
    opinion_at = models.DateTimeField(_("opinion given at"), null=True, blank=True)
    opinion_decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when the application comes from a shortlisted answer to a challenge (pre-selection done).
    challenge_answer = models.OneToOneField(
        "grants.ChallengeAnswer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("project application")
        verbose_name_plural = _("project applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "project"],
                condition=~models.Q(status="withdrawn"),
                name="grants_one_application_per_project_per_call",
            ),
            models.UniqueConstraint(
                fields=["call", "number"],
                condition=~models.Q(number=""),
                name="grants_application_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(requested_amount__gte=0, cofinancing_amount__gte=0),
                name="grants_application_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"], name="grants_app_call_status"),
            models.Index(fields=["status", "submitted_at"], name="grants_app_status_submitted"),
            models.Index(fields=["organisation", "status"], name="grants_app_org_status"),
        ]

    def __str__(self):
        return self.number or f"#{self.pk}"

    @property
    def total_budget(self) -> Decimal:
        return self.requested_amount + self.cofinancing_amount

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Milestone(models.Model):
    """A measure of the project with its dates and deliverable; tranches are tied to milestones."""

    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("measure"), max_length=300)
    deliverable = models.TextField(_("deliverable"), blank=True)
    starts_on = models.DateField(_("start"))
    due_on = models.DateField(_("due"))
    amount = models.DecimalField(_("financing for the milestone"), default=Decimal("0.00"), **MONEY)

    class Meta:
        ordering = ["application", "position"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="grants_milestone_position"),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")), name="grants_milestone_dates"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class BudgetItem(models.Model):
    """A line of the project budget: an item of expenditure in a year, requested and co-financed."""

    class Kind(models.TextChoices):
        SALARIES = "salaries", _("salaries")
        EQUIPMENT = "equipment", _("equipment")
        MATERIALS = "materials", _("materials")
        SERVICES = "services", _("third-party services")
        TRAVEL = "travel", _("travel")
        IP = "ip", _("patenting and intellectual property")
        OTHER = "other", _("other")

    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="budget_items")
    kind = models.CharField(_("item"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    requested = models.DecimalField(_("requested"), default=Decimal("0.00"), **MONEY)
    cofinanced = models.DecimalField(_("co-financed"), default=Decimal("0.00"), **MONEY)

    class Meta:
        ordering = ["application", "year", "kind", "id"]
        verbose_name = _("budget item")
        verbose_name_plural = _("budget items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested__gte=0, cofinanced__gte=0),
                name="grants_budget_item_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.kind}: {self.requested}"


class TeamMember(models.Model):
    """A member of the project team (name and role only: no personal identifiers are asked)."""

    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role in the project"), max_length=200)
    qualification = models.CharField(_("qualification"), max_length=300, blank=True)
    share = models.DecimalField(
        _("share of working time"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team")

    def __str__(self):
        return f"{self.name} ({self.role})"


class ProjectKpi(models.Model):
    """An expected result measured by an indicator with a target (reported by the grantee later)."""

    application = models.ForeignKey(ProjectApplication, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=2, default=Decimal("0"))
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("target year"))

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")

    def __str__(self):
        return f"{self.name}: {self.target} {self.unit}"


class ApplicationFile(models.Model):
    """A file of an application: one of the call's documents or the project passport. A re-upload
    is a new version; none is deleted."""

    PASSPORT = "passport"

    application = models.ForeignKey(ProjectApplication, on_delete=models.PROTECT, related_name="files")
    call_document = models.ForeignKey(
        "grants.CallDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(_("document"), max_length=50)  # the call document's code, or "passport"
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=GeneratedName("grants"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "code", "-version"]
        verbose_name = _("application file")
        verbose_name_plural = _("application files")
        constraints = [
            models.UniqueConstraint(fields=["application", "code", "version"], name="grants_file_version")
        ]

    def __str__(self):
        return f"{self.original_name} (v{self.version})"


class IntakeComment(models.Model):
    """One item of a return for revision at intake: what is wrong (a field, a document, a step) and
    what to do; the applicant answers item by item when resubmitting."""

    application = models.ForeignKey(
        ProjectApplication, on_delete=models.PROTECT, related_name="intake_comments"
    )
    round = models.PositiveSmallIntegerField(_("revision round"))
    item = models.CharField(_("item"), max_length=100)
    text = models.TextField(_("comment"))
    response = models.TextField(_("applicant's answer"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "round", "id"]
        verbose_name = _("intake comment")
        verbose_name_plural = _("intake comments")

    def __str__(self):
        return f"{self.application} #{self.round}: {self.item}"
