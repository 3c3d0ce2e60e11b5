"""The cluster's members and the public register: participants, applications, their documents and
reports. Who they are (organisations, individuals, representatives, KATO/OKED) is ``parties``'s.

Participant categories are regime data (``ParticipantCategory`` rows named by the policy key
``registry.participant_categories``), not an enum in code.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from innocluster.core.files import GeneratedName
from innocluster.parties.models import Activity, Individual, Localized, Organisation, Region


class ParticipantCategory(Localized):
    """A category of participant named by the law (science organisation, venture fund, ...)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("legal entity")
        INDIVIDUAL = "individual", _("individual")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("participant category")
        verbose_name_plural = _("participant categories")


class Participant(models.Model):
    """An entry of the public register: who, in which category, since when, and in what state."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        SUSPENDED = "suspended", _("suspended")
        EXCLUDED = "excluded", _("excluded")
        EXITED = "exited", _("left voluntarily")

    number = models.CharField(_("register number"), max_length=20, unique=True)
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="participant"
    )
    individual = models.OneToOneField(
        Individual, null=True, blank=True, on_delete=models.PROTECT, related_name="participant"
    )
    category = models.ForeignKey(ParticipantCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    registered_on = models.DateField(_("registered on"))
    status_since = models.DateField(_("status since"))
    # Denormalised for search and sorting across organisations and individuals alike.
    display_name = models.CharField(_("name"), max_length=300, db_index=True)
    # Every name of the member, case-folded, so that a search is one plain LIKE on every database
    # (SQLite's LIKE folds only Latin letters; a Unicode REGEXP cost 7x on 100k rows).
    search_text = models.TextField(blank=True, editable=False)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["number"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, individual__isnull=True)
                | models.Q(organisation__isnull=True, individual__isnull=False),
                name="participant_is_organisation_or_individual",
            )
        ]
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["region", "status"]),
            # The "registered, oldest/newest first" sort, tie broken by number, read in index order.
            models.Index(fields=["registered_on", "number"]),
        ]

    def __str__(self):
        return f"{self.number} {self.display_name}"


def search_text_for(organisation: Organisation | None = None, individual: Individual | None = None) -> str:
    """What ``Participant.search_text`` holds for a member: names in every language, case-folded."""
    if organisation is not None:
        names = (organisation.name_kk, organisation.name_ru, organisation.name_en)
    else:
        names = (individual.name,)
    return " | ".join(n for n in names if n).casefold()


class RegisterTally(models.Model):
    """How many register entries have a status, in a category and a region: the register's
    counts, read in one small query instead of counting 100,000 rows on every page.

    Kept by database triggers on ``registry_participant`` (see ``registry.search`` and the
    migration ``0005_register_search_and_tally_triggers``), in the same transaction as the row
    they count, so the figures are exact whichever code writes the register (the services, the
    bulk seeder, a data migration). Plain integers, not foreign keys: ``region_id`` 0 stands for
    "no region" (individuals), because a NULL would not be unique."""

    status = models.CharField(max_length=20, choices=Participant.Status.choices)
    category_id = models.IntegerField()
    region_id = models.IntegerField(default=0)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status", "category_id", "region_id"], name="register_tally_key")
        ]

    def __str__(self):
        return f"{self.status} {self.category_id} {self.region_id}: {self.n}"


class StatusChange(models.Model):
    """The register's history: every status a participant had, from when, and on which decision."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=Participant.Status.choices)
    effective_on = models.DateField(_("from"))
    reason = models.TextField(_("grounds"), blank=True)
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For a suspension: the date by which the participant may answer the grounds.
    response_due = models.DateField(_("answer due"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["participant", "effective_on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.participant.number}: {self.status} from {self.effective_on}"


class RegisterCounter(models.Model):
    """The last register number issued in a year; locked while the next one is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Application(models.Model):
    """An application to join the cluster, from draft to the commission's decision.

    Deadlines follow DOMAIN.md: counted in Kazakh working days from the (re)submission; a return
    for revision stops the clock and a resubmission restarts moderation; the commission's deadline
    runs from moderation acceptance, capped by the total counted from the last (re)submission.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        MODERATION = "moderation", _("under moderation")
        RETURNED = "returned", _("returned for revision")
        COMMISSION = "commission", _("with the selection commission")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        AGREEMENT_SIGNED = "agreement_signed", _("agreement signed")
        REGISTERED = "registered", _("registered")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    individual = models.ForeignKey(
        Individual, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    category = models.ForeignKey(ParticipantCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The last step of the application form the applicant completed (the form resumes after it).
    step = models.PositiveSmallIntegerField(_("form step completed"), default=0)
    # The project as Law 207-V art. 1 defines it: measures to create or improve production,
    # technologies, goods, works and services, carried out within a defined period. The measures and
    # the budget are ``ProjectMeasure`` and ``ProjectBudgetLine`` rows; the priority activities the
    # agreement binds the participant to are OKED codes of ``parties``'s reference table.
    project_title = models.CharField(_("project title"), max_length=300, blank=True)
    project_summary = models.TextField(_("project summary"), blank=True)
    project_starts_on = models.DateField(_("project start"), null=True, blank=True)
    project_ends_on = models.DateField(_("project end"), null=True, blank=True)
    priority_activities = models.ManyToManyField(
        Activity, blank=True, related_name="+", verbose_name=_("priority activities (OKED)")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_applications",
        verbose_name=_("assigned to"),
    )
    participant = models.OneToOneField(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    submitted_on = models.DateField(_("last submitted on"), null=True, blank=True)
    moderation_due = models.DateField(_("completeness check due"), null=True, blank=True)
    commission_due = models.DateField(_("commission decision due"), null=True, blank=True)
    total_due = models.DateField(_("final answer due"), null=True, blank=True)
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["status", "moderation_due"]),
            models.Index(fields=["status", "commission_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project_starts_on__isnull=True)
                | models.Q(project_ends_on__isnull=True)
                | models.Q(project_ends_on__gt=models.F("project_starts_on")),
                name="application_project_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{_('Application')} #{self.pk}"

    @property
    def budget_total(self) -> Decimal:
        """The project's budget, summed in the database (Decimal, never a float)."""
        total = self.budget_lines.aggregate(total=Sum("amount"))["total"]
        return Decimal(total or 0).quantize(Decimal("0.01"))


class ProjectMeasure(models.Model):
    """One measure of an application's project, in the applicant's order: what is done, when
    (within the project's period, which the service checks), and what it is expected to give."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField(_("No."))
    title = models.CharField(_("measure"), max_length=300)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    expected_result = models.TextField(_("expected result"))

    class Meta:
        ordering = ["application", "position"]
        verbose_name = _("project measure")
        verbose_name_plural = _("project measures")
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="one_measure_per_position"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="measure_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class ProjectBudgetLine(models.Model):
    """One line of an application's project budget: an item, the year it is spent in, the amount
    in tenge (two places, never negative). The total is summed when read, never stored."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(_("No."))
    item = models.CharField(_("budget item"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount, KZT"), max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["application", "year", "position"]
        verbose_name = _("project budget line")
        verbose_name_plural = _("project budget lines")
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="one_budget_line_per_position"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.year} {self.item}: {self.amount}"


class RevisionComment(models.Model):
    """One item of a return for revision: what is wrong (a field or a document) and what to do;
    the applicant answers item by item when resubmitting."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="revision_comments")
    round = models.PositiveSmallIntegerField(_("revision round"))
    item = models.CharField(_("item"), max_length=100)
    text = models.TextField(_("comment"))
    response = models.TextField(_("applicant's answer"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "round", "id"]
        verbose_name = _("revision comment")
        verbose_name_plural = _("revision comments")

    def __str__(self):
        return f"{self.application} #{self.round}: {self.item}"


class DocumentKind(Localized):
    """A kind of document an application carries (business plan, charter, signed agreement...).
    Which kinds a category must provide is the policy key ``registry.documents.required``."""

    code = models.SlugField(_("code"), max_length=50, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")


class ApplicationDocument(models.Model):
    """A file of an application. A re-upload of the same kind is a new version; none is deleted."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=GeneratedName("applications"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "kind", "-version"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "version"], name="one_document_version")
        ]

    def __str__(self):
        return f"{self.original_name} (v{self.version})"


class ComplianceReport(models.Model):
    """A participant's annual report and the regime's tests evaluated on it when it was filed.

    A correction is a new version for the same year; the latest version counts, earlier ones stay.
    """

    class Result(models.TextChoices):
        PASSED = "passed", _("meets the requirements")
        FAILED = "failed", _("does not meet the requirements")
        NOT_APPLICABLE = "not_applicable", _("no test applies")

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="compliance_reports")
    year = models.PositiveSmallIntegerField(_("reporting year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    revenue = models.DecimalField(_("revenue, KZT"), max_digits=18, decimal_places=2)
    priority_revenue = models.DecimalField(
        _("of which from priority activities, KZT"), max_digits=18, decimal_places=2
    )
    staff_count = models.PositiveIntegerField(_("staff (average headcount)"))
    rd_spend = models.DecimalField(_("R&D spending, KZT"), max_digits=18, decimal_places=2)
    exports = models.DecimalField(_("exports, KZT"), max_digits=18, decimal_places=2)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    # The tests as evaluated: [{key, passed, message, reference, value}], so the result stays
    # explainable after the policy changes.
    checks = models.JSONField(_("tests"), default=list)
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["participant", "-year", "-version"]
        verbose_name = _("compliance report")
        verbose_name_plural = _("compliance reports")
        constraints = [
            models.UniqueConstraint(fields=["participant", "year", "version"], name="one_report_version")
        ]

    def __str__(self):
        return f"{self.participant.number} {self.year} v{self.version}"
