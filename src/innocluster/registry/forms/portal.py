"""Forms of the participant portal. They check the shape of what is typed (a BIN's check digit, a
number, a percentage); the services check the rules and their refusals are shown beside the fields
they name."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innocluster.core.access.selectors import roles_of
from innocluster.parties import selectors as parties
from innocluster.parties.models import AuthorityClaim, Individual, Organisation, Representative
from innocluster.registry.models import ParticipantCategory
from innocluster.registry.roles import PARTICIPANT_REP

PERCENT = Decimal(100)
SHARE_PLACES = Decimal("0.0001")


def _model_field(model, name: str, **kwargs):
    """The form field the model declares, with the model's own validators (BIN/IIN checksum)."""
    field = model._meta.get_field(name)
    own = [v for v in field.validators if not isinstance(v, (MaxLengthValidator, MinLengthValidator))]
    kwargs.setdefault("validators", own)
    return field.formfield(**kwargs)


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.oked} — {obj.name}"


class CategoryForm(forms.Form):
    """Step 1: the category the applicant asks to join under."""

    category = CategoryChoiceField(
        label=_("Category of participant"),
        queryset=ParticipantCategory.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "Choose the category that describes your organisation. Only the categories the current rules admit are listed."
        ),
        error_messages={
            "required": _("Choose a category."),
            "invalid_choice": _("Choose one of the categories listed."),
        },
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ParticipantCategory.objects.filter(
            pk__in=[c.pk for c in categories]
        )
        self.categories = categories


class OrganisationForm(forms.Form):
    """Step 2 for a legal entity. The state share is typed as a percentage and kept as a fraction."""

    bin = _model_field(
        Organisation,
        "bin",
        help_text=_(
            "The 12-digit business identification number from the certificate of state registration."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name_kk = _model_field(Organisation, "name_kk", help_text=_("The full name as registered, in Kazakh."))
    name_ru = _model_field(Organisation, "name_ru", help_text=_("The full name as registered, in Russian."))
    name_en = _model_field(Organisation, "name_en", help_text=_("If the organisation has one."))
    legal_form = _model_field(
        Organisation, "legal_form", help_text=_("For example: LLP (limited liability partnership) or JSC.")
    )
    resident = _model_field(
        Organisation, "resident", help_text=_("Registered in the Republic of Kazakhstan.")
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=parties.regions(),
        empty_label=_("Choose the region"),
        help_text=_("Where the organisation is registered."),
    )
    activity = ActivityChoiceField(
        label=_("Main activity (OKED)"),
        queryset=parties.activities(),
        empty_label=_("Choose the activity"),
        help_text=_("The main kind of economic activity, as in the statistical register."),
    )
    address = _model_field(Organisation, "address", help_text=_("The legal address."))
    state_share = forms.DecimalField(
        label=_("State and quasi-state ownership share, %"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=0,
        help_text=_(
            "The share held directly or indirectly by the state and quasi-state companies, from 0 to 100. Type 0 if there is none."
        ),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}),
    )
    subsoil_user = _model_field(
        Organisation, "subsoil_user", help_text=_("Holds a subsoil use contract or licence.")
    )
    sez_participant = _model_field(
        Organisation, "sez_participant", help_text=_("Is a participant of a special economic zone.")
    )
    excisable_goods = _model_field(
        Organisation, "excisable_goods", help_text=_("Produces goods subject to excise duty.")
    )
    general_tax_regime = _model_field(
        Organisation, "general_tax_regime", help_text=_("Pays taxes under the generally established regime.")
    )
    investment_priority_project = _model_field(
        Organisation,
        "investment_priority_project",
        help_text=_(
            "Implements, or has implemented, an investment priority (strategic) project under an investment contract."
        ),
    )
    has_branches = _model_field(
        Organisation, "has_branches", help_text=_("Has registered branches now, when applying.")
    )
    separate_tax_accounting = _model_field(
        Organisation,
        "separate_tax_accounting",
        help_text=_("Keeps separate tax accounting for activities outside the priority ones."),
    )

    claimed_role = forms.ChoiceField(
        label=_("You act for the organisation as"),
        choices=[(r.value, r.label) for r in AuthorityClaim.CLAIMABLE_ROLES],
        initial=Representative.Role.HEAD,
        widget=forms.RadioSelect,
    )
    authority_document = forms.FileField(
        label=_("Document showing your authority"),
        required=False,
        help_text=_(
            "The charter or the decision naming you head, or a power of attorney (PDF, PNG or JPEG). "
            "The Fund's registrar checks it before the application can be submitted. Not needed if you "
            "already act for this organisation in this system."
        ),
    )

    FLAGS = (
        "resident",
        "subsoil_user",
        "sez_participant",
        "excisable_goods",
        "general_tax_regime",
        "investment_priority_project",
        "has_branches",
        "separate_tax_accounting",
    )
    CLAIM = ("claimed_role", "authority_document")

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        if organisation is not None and "initial" not in kwargs:
            initial = {
                name: getattr(organisation, name) for name in self.base_fields if name != "state_share"
            }
            initial["region"] = organisation.region_id
            initial["activity"] = organisation.activity_id
            initial["state_share"] = (Decimal(organisation.state_share) * PERCENT).normalize()
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        if organisation is not None:
            # The BIN of an organisation never changes: shown, not editable.
            self.fields["bin"].disabled = True
            self.fields["bin"].help_text = _("The BIN cannot be changed once the organisation is entered.")
            # The claim of authority was made when the BIN was entered.
            for name in self.CLAIM:
                del self.fields[name]

    def clean_bin(self):
        return "".join((self.cleaned_data.get("bin") or "").split())

    def clean_state_share(self):
        value = self.cleaned_data["state_share"]
        if value is None:
            return value
        return (value / PERCENT).quantize(SHARE_PLACES)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)

    def flag_fields(self):
        return [self[name] for name in self.FLAGS]

    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.FLAGS + self.CLAIM]

    def claim_fields(self):
        return [self[name] for name in self.CLAIM if name in self.fields]


class IndividualForm(forms.Form):
    """Step 2 for a natural person (where the regime admits them)."""

    iin = _model_field(
        Individual,
        "iin",
        help_text=_("Your 12-digit individual identification number, as on your identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    last_name = _model_field(
        Individual, "last_name", widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_name = _model_field(
        Individual, "first_name", widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    middle_name = _model_field(Individual, "middle_name")

    def __init__(self, *args, individual: Individual | None = None, **kwargs):
        if individual is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(individual, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        if individual is not None:
            self.fields["iin"].disabled = True

    def clean_iin(self):
        return "".join((self.cleaned_data.get("iin") or "").split())

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class DocumentsForm(forms.Form):
    """One file field per kind of document; a chosen file is uploaded as that kind's next version."""

    def __init__(self, *args, kinds, required_codes, accept: str = "", limits: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            required = kind.code in required_codes
            help_text = limits if required else _("Optional. %(limits)s") % {"limits": limits}
            self.fields[kind.code] = forms.FileField(
                label=kind.name,
                required=False,
                help_text=help_text,
                widget=forms.ClearableFileInput(attrs={"accept": accept} if accept else {}),
            )
            self.fields[kind.code].is_required_kind = required

    def chosen(self):
        """(kind code, uploaded file) for every field a file was chosen for."""
        return [(code, self.cleaned_data[code]) for code in self.fields if self.cleaned_data.get(code)]


class SubmitForm(forms.Form):
    """The review step: an answer to each comment of the last return for revision."""

    def __init__(self, *args, comments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.comments = list(comments)
        for comment in self.comments:
            self.fields[self.field_name(comment)] = forms.CharField(
                label=_("Your answer on “%(item)s”") % {"item": comment.item},
                initial=comment.response,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=comment.text,
                error_messages={
                    "required": _(
                        "Answer this comment: say what you corrected or why nothing needs correcting."
                    )
                },
            )

    @staticmethod
    def field_name(comment) -> str:
        return f"response_{comment.pk}"

    def responses(self) -> dict[int, str]:
        return {comment.pk: self.cleaned_data.get(self.field_name(comment), "") for comment in self.comments}

    def comment_fields(self):
        return [(comment, self[self.field_name(comment)]) for comment in self.comments]


class SignedAgreementForm(forms.Form):
    file = forms.FileField(
        label=_("Signed agreement"),
        help_text=_(
            "A scan or a signed PDF of the whole agreement, signed by the person who may sign for the organisation."
        ),
        error_messages={"required": _("Choose the file of the signed agreement.")},
    )


def users_by_email(email: str):
    """Active accounts whose e-mail address (on the account or confirmed with allauth) is ``email``."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    via_allauth = EmailAddress.objects.filter(email__iexact=email).values("user_id")
    return User.objects.filter(Q(email__iexact=email) | Q(pk__in=via_allauth), is_active=True).distinct()


class AddRepresentativeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_(
            "The person must already have an account here, registered as a participant representative."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role in the organisation"),
        choices=Representative.Role.choices,
        initial=Representative.Role.CONTACT,
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        matches = [user for user in users_by_email(email) if PARTICIPANT_REP in roles_of(user)]
        # One message whether there is no account or no such role: the form does not tell who exists.
        if len(matches) != 1:
            raise forms.ValidationError(
                _(
                    "No participant representative's account uses this e-mail address. Ask the "
                    "person to register as a participant representative first, then add them."
                ),
                code="no_such_representative",
            )
        self.user = matches[0]
        return email


class DeactivateRepresentativeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does this person no longer act for the organisation?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason.")},
    )


def _kzt(label):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )


class ComplianceReportForm(forms.Form):
    """The annual report; every amount in tenge (KZT)."""

    year = forms.TypedChoiceField(label=_("Reporting year"), coerce=int)
    revenue = _kzt(_("Revenue for the year, KZT"))
    priority_revenue = _kzt(_("Of which from priority activities, KZT"))
    staff_count = forms.IntegerField(label=_("Staff (average headcount)"), min_value=0)
    rd_spend = _kzt(_("Spending on research and development, KZT"))
    exports = _kzt(_("Exports, KZT"))

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["priority_revenue"].help_text = _(
            "The part of the revenue that comes from the priority activities of the cluster."
        )

    def clean(self):
        data = super().clean()
        revenue, priority = data.get("revenue"), data.get("priority_revenue")
        if revenue is not None and priority is not None and priority > revenue:
            self.add_error("priority_revenue", _("This part cannot be larger than the whole revenue."))
        return data


class LeaveForm(forms.Form):
    """A voluntary exit: the reason goes into the register's history."""

    reason = forms.CharField(
        label=_("Why does the organisation leave the cluster?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reason is kept in the register's history with today's date."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the organisation stops being a participant from today."),
        error_messages={"required": _("Confirm that you understand what leaving means.")},
    )
