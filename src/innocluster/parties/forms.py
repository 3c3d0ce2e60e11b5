"""Staff forms of parties: deciding a claim of authority and revoking a representative. The
services check the rules; their refusals are shown beside the fields they name."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
