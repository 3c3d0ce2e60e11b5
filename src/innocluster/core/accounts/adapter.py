from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Our hooks into allauth: sign-up records consent and the chosen role (see forms.py)."""
