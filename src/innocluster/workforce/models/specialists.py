from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from innocluster.parties.models import Organisation
from innocluster.workforce.countries import validate_citizenship

LATIN_NAME = RegexValidator(
    r"^[A-Za-z][A-Za-z' .-]*$",
    _("Write the name in Latin letters as in the passport."),
    code="not_latin",
)
CYRILLIC_NAME = RegexValidator(
    r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі' .-]*$",
    _("Write the full name in Cyrillic letters."),
    code="not_cyrillic",
)
PASSPORT_NUMBER = RegexValidator(
    r"^[A-Z0-9]{5,20}$",
    _("A passport number is 5 to 20 capital Latin letters and digits, without spaces."),
    code="invalid_passport_number",
)


class Specialist(models.Model):
    """A foreign specialist an employer attracts. Passport number and date of birth are personal
    data: shown in full only to the HR officer and the employer's representatives (an audited
    read, ``selectors.personal_data``), masked for everyone else."""

    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="foreign_specialists", verbose_name=_("employer")
    )
    surname_latin = models.CharField(
        _("surname (Latin, as in the passport)"), max_length=100, validators=[LATIN_NAME]
    )
    given_names_latin = models.CharField(
        _("given names (Latin, as in the passport)"), max_length=150, validators=[LATIN_NAME]
    )
    full_name_cyrillic = models.CharField(
        _("full name (Cyrillic)"), max_length=250, validators=[CYRILLIC_NAME]
    )
    citizenship = models.CharField(_("citizenship"), max_length=2, validators=[validate_citizenship])
    date_of_birth = models.DateField(_("date of birth"))
    passport_number = models.CharField(_("passport number"), max_length=20, validators=[PASSPORT_NUMBER])
    passport_expiry = models.DateField(_("passport valid until"))
    education = models.TextField(_("education"))
    qualification = models.CharField(_("qualification"), max_length=300)
    experience_years = models.PositiveSmallIntegerField(_("work experience, years"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["surname_latin", "given_names_latin", "id"]
        verbose_name = _("foreign specialist")
        verbose_name_plural = _("foreign specialists")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "citizenship", "passport_number"], name="one_specialist_per_passport"
            )
        ]

    def __str__(self):
        return f"{self.surname_latin} {self.given_names_latin}"

    @property
    def name_latin(self) -> str:
        return f"{self.surname_latin} {self.given_names_latin}"
