"""Who the Fund deals with: organisations (BIN), individuals (IIN), the KATO and OKED reference data,
who acts for an organisation, and the claims of authority that make someone act for it.

Every domain refers to these rows: a participant, a subsoil user, a bank counterparty or a foreign
specialist's employer is an organisation. ``parties`` knows none of those domains.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from innocluster.core.files import GeneratedName
from innocluster.core.identifiers import BINValidator, IINValidator, mask_iin


def name_in_reader_language(obj) -> str:
    """``obj.name_<language>`` for the reader's language, else the Russian, else the English name."""
    language = (get_language() or "kk").split("-")[0]
    return getattr(obj, f"name_{language}", "") or obj.name_ru or getattr(obj, "name_en", "")


class Localized(models.Model):
    """Names in the three UI languages; ``name`` picks the reader's."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return name_in_reader_language(self)


class Region(Localized):
    """A region (облыс) or a city of national significance, by its KATO code."""

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        CITY = "city", _("city of national significance")

    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["kato"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Activity(Localized):
    """A kind of economic activity by its OKED code (a section letter or a numeric code)."""

    oked = models.CharField(_("OKED code"), max_length=10, unique=True)
    section = models.CharField(_("OKED section"), max_length=1)

    class Meta:
        ordering = ["oked"]
        verbose_name = _("activity (OKED)")
        verbose_name_plural = _("activities (OKED)")


class Organisation(models.Model):
    """A legal entity by its BIN, with what the rules of every domain ask about it."""

    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[BINValidator()])
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, db_index=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=50)
    resident = models.BooleanField(_("resident of Kazakhstan"), default=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="+", verbose_name=_("main activity (OKED)")
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    state_share = models.DecimalField(
        _("state and quasi-state ownership share"), max_digits=5, decimal_places=4, default=0
    )
    subsoil_user = models.BooleanField(_("subsoil user"), default=False)
    sez_participant = models.BooleanField(_("special economic zone participant"), default=False)
    excisable_goods = models.BooleanField(_("produces excisable goods"), default=False)
    general_tax_regime = models.BooleanField(_("general tax regime"), default=True)
    investment_priority_project = models.BooleanField(
        _("implements or has implemented an investment priority project"), default=False
    )
    has_branches = models.BooleanField(_("has branches"), default=False)
    separate_tax_accounting = models.BooleanField(_("keeps separate tax accounting"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return name_in_reader_language(self)


class Individual(models.Model):
    """A natural person. The IIN is personal data: shown only to staff who need it, masked elsewhere."""

    iin = models.CharField(_("IIN"), max_length=12, unique=True, validators=[IINValidator()])
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("individual")
        verbose_name_plural = _("individuals")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def masked_iin(self) -> str:
        """The IIN as everyone but the roles that read personal data sees it (the register, the
        certificate): one masking everywhere, so no two printed forms add up to the whole number."""
        return mask_iin(self.iin)


class Representative(models.Model):
    """A user account that acts for an organisation, with its role there.

    Rows are deactivated, never deleted, so who could act for whom on a given day stays known.
    """

    class Role(models.TextChoices):
        HEAD = "head", _("head of the organisation")
        AUTHORISED = "authorised", _("authorised representative")
        CONTACT = "contact", _("contact person")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="representatives")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="representations"
    )
    role = models.CharField(_("role in the organisation"), max_length=20, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "user"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_representation")]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


class AuthorityClaim(models.Model):
    """A person's claim to act for an organisation, with the document that shows it (the charter
    naming the head, or a power of attorney). Entering a BIN makes one; until a registrar confirms it
    against the document the claimant may prepare a draft but not submit, sign or see the
    organisation's other records. Confirming makes (or re-activates) the :class:`Representative`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # What a claim may ask for: the contact person role is given by a head, never claimed.
    CLAIMABLE_ROLES = (Representative.Role.HEAD, Representative.Role.AUTHORISED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authority_claims",
        verbose_name=_("claimant"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="authority_claims",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("claimed role"), max_length=20, choices=Representative.Role.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("document"), upload_to=GeneratedName("claims"), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("claim of authority")
        verbose_name_plural = _("claims of authority")
        constraints = [
            # One open claim per person and organisation: a second one replaces nothing silently.
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_claim",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.status})"
