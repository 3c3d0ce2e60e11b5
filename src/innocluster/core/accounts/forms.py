"""Sign-up for the representatives of organisations (the roles apps offer at sign-up), with consent to personal data
processing (Law of the RK "On personal data and their protection") recorded with time and text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.core.access.roles import signup_roles


def signup_choices() -> list[tuple[str, str]]:
    return [(role.key, role.signup_label) for role in signup_roles()]


class SignupDetailsForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Whom do you represent?"), choices=signup_choices, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_(
            "I consent to the Fund collecting and processing my personal data for registering and "
            "serving my organisation in the innovation cluster."
        ),
        required=True,
    )

    def signup(self, request, user):
        from .services import complete_signup

        complete_signup(
            user=user,
            role=self.cleaned_data["role"],
            consent_text=str(self.fields["consent"].label),
            ip=request.META.get("REMOTE_ADDR") if request else None,
        )
