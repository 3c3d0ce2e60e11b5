from innocluster.core.access.permissions import anyone, declare, signed_in

declare("accounts.personal_data", signed_in)
# allauth's own pages (login, sign-up, password reset, 2FA) check what they need themselves.
declare("accounts.allauth", anyone)
