from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innocluster.core.files import GeneratedName
from innocluster.parties.models import Organisation
from innocluster.workforce.models.reference import DocumentKind
from innocluster.workforce.models.specialists import Specialist

# The national classifier of occupations (НКЗ, built on ISCO-08): a 4-digit unit group, optionally
# with the occupation's own suffix ("2512" or "2512-1-002").
OCCUPATION_CODE = RegexValidator(
    r"^[0-9]{4}(-[0-9](-[0-9]{3})?)?$",
    _(
        "An occupation code of the national classifier is four digits, optionally with its suffix (2512 or 2512-1-002)."
    ),
    code="invalid_occupation_code",
)


class EngagementRequest(models.Model):
    """An employer's request to attract a foreign specialist under the simplified procedure.

    The decision deadline (``deadline``) is ``workforce.decision_days`` Kazakh working days counted
    from the Almaty date of the last (re)submission (day 1: the first working day after it); a
    return for revision stops the clock (no deadline while the employer revises) and a
    resubmission starts it again. SLA breach: decided after the deadline, or undecided and past it.
    """

    class Status(models.TextChoices):
        # In context: Russian agrees the participle with «обращение» (neuter), where the same
        # words for a registry application agree with «заявка».
        DRAFT = "draft", pgettext_lazy("foreign specialist request", "draft")
        SUBMITTED = "submitted", pgettext_lazy("foreign specialist request", "submitted")
        CHECKED = "checked", pgettext_lazy("foreign specialist request", "checked")
        RETURNED = "returned", pgettext_lazy("foreign specialist request", "returned for revision")
        APPROVED = "approved", pgettext_lazy("foreign specialist request", "approved")
        REFUSED = "refused", pgettext_lazy("foreign specialist request", "refused")
        ACTIVE = "active", pgettext_lazy("foreign specialist request", "active")
        ENDED = "ended", pgettext_lazy("foreign specialist request", "ended")

    class Category(models.TextChoices):
        # The normal procedure's categories: managers, then specialists and qualified workers (the
        # Kazakh staff shares of the advice: 70 % for managers, 90 % for the others).
        MANAGER = "manager", _("manager")
        SPECIALIST = "specialist", _("specialist")
        QUALIFIED_WORKER = "qualified_worker", _("qualified worker")

    class EndReason(models.TextChoices):
        DEPARTURE = "departure", _("departure of the specialist")
        CONTRACT_END = "contract_end", _("end of the employment contract")
        EMPLOYER_EXCLUDED = "employer_excluded", _("the employer left the register")
        OTHER = "other", _("other")

    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="engagement_requests", verbose_name=_("employer")
    )
    specialist = models.ForeignKey(
        Specialist, on_delete=models.PROTECT, related_name="requests", verbose_name=_("specialist")
    )
    position = models.CharField(_("position"), max_length=300)
    occupation_code = models.CharField(_("occupation code"), max_length=12, validators=[OCCUPATION_CODE])
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    monthly_salary = models.DecimalField(
        _("monthly salary, KZT"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    contract_start = models.DateField(_("contract start"))
    contract_end = models.DateField(_("contract end"))
    justification = models.TextField(_("justification"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    visa_valid_until = models.DateField(_("visa valid until"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("revision round"), default=0)
    submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    deadline = models.DateField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grounds = models.TextField(_("grounds of the refusal"), blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("foreign specialist request")
        verbose_name_plural = _("foreign specialist requests")
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["employer", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_end__gt=models.F("contract_start")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{_('Request')} #{self.pk}"


class RequestDocument(models.Model):
    """A file of a request. A re-upload of the same kind is a new version; none is deleted."""

    request = models.ForeignKey(EngagementRequest, on_delete=models.PROTECT, related_name="documents")
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind"))
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=GeneratedName("workforce"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "kind", "-version"]
        verbose_name = _("request document")
        verbose_name_plural = _("request documents")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "version"], name="one_request_document_version"
            )
        ]

    def __str__(self):
        return f"{self.original_name} (v{self.version})"


class RevisionItem(models.Model):
    """One item of a return for revision: what is wrong (a field or a document) and what to do;
    the employer answers item by item when resubmitting."""

    request = models.ForeignKey(EngagementRequest, on_delete=models.PROTECT, related_name="revision_items")
    round = models.PositiveSmallIntegerField(_("revision round"))
    item = models.CharField(_("item"), max_length=100)
    text = models.TextField(_("comment"))
    response = models.TextField(_("employer's answer"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "round", "id"]
        verbose_name = _("revision item")
        verbose_name_plural = _("revision items")

    def __str__(self):
        return f"{self.request} #{self.round}: {self.item}"


class Extension(models.Model):
    """An active specialist's contract (and visa) extended: the request stays active."""

    request = models.ForeignKey(EngagementRequest, on_delete=models.PROTECT, related_name="extensions")
    previous_contract_end = models.DateField(_("previous contract end"))
    new_contract_end = models.DateField(_("new contract end"))
    visa_valid_until = models.DateField(_("visa valid until"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self):
        return f"{self.request}: {self.previous_contract_end} → {self.new_contract_end}"


class Letter(models.Model):
    """A letter the Fund issued on approving a request: the confirmation for the employer and the
    visa-support letter for the migration service. The number is unique; the verification code is
    what the letter's QR code points to (the PDFs come with the pages)."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("confirmation letter")
        VISA_SUPPORT = "visa_support", _("visa-support letter")

    request = models.ForeignKey(EngagementRequest, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["request", "kind"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="one_letter_of_a_kind")]

    def __str__(self):
        return self.number


class LetterCounter(models.Model):
    """The last letter number issued in a year, per kind; locked while the next one is taken."""

    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Letter.Kind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="one_letter_counter")]

    def __str__(self):
        return f"{self.year} {self.kind}: {self.last}"
