"""Forms of parties: a claim of authority (portal), deciding it and revoking a representative (staff): deciding a claim of authority and revoking a representative. The
services check the rules; their refusals are shown beside the fields they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.core.identifiers import BINValidator
from innocluster.parties.models import AuthorityClaim, Representative


class ConfirmClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        help_text=_("For example, which document and page names the person."),
    )


class RejectClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The claimant reads it: say what the document lacks."),
        error_messages={"required": _("Say why the claim is rejected, so the claimant can put it right.")},
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The representative and the organisation's heads read it."),
        error_messages={"required": _("Say why the representative no longer acts.")},
    )


class FindOrganisationForm(forms.Form):
    bin = forms.CharField(label=_("BIN"), max_length=12, min_length=12)


class ClaimForm(forms.Form):
    """``I act for this organisation``: an organisation already known to the Fund, by its BIN."""

    bin = forms.CharField(
        label=_("BIN"),
        max_length=12,
        validators=[BINValidator()],
        help_text=_("The 12-digit business identification number of the organisation."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("You act for the organisation as"),
        choices=[(r.value, r.label) for r in AuthorityClaim.CLAIMABLE_ROLES],
        initial=Representative.Role.HEAD,
        widget=forms.RadioSelect,
    )
    document = forms.FileField(
        label=_("Document showing your authority"),
        help_text=_(
            "The charter or the decision naming you head, or a power of attorney (PDF, PNG or JPEG)."
        ),
    )

    def clean_bin(self):
        return "".join((self.cleaned_data.get("bin") or "").split())
