"""allauth's own account and second-factor changes, written to the audit log."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.dispatch import receiver

from innocluster.core.audit.services import record_event


def _ip(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _record(action, request, user, changes=None):
    record_event(action=action, actor=user, obj=user, changes=changes or {}, ip=_ip(request))


@receiver(account_signals.password_changed)
def _password_changed(sender, request, user, **kwargs):
    _record("account.password.changed", request, user)


@receiver(account_signals.password_set)
def _password_set(sender, request, user, **kwargs):
    _record("account.password.set", request, user)


@receiver(account_signals.password_reset)
def _password_reset(sender, request, user, **kwargs):
    _record("account.password.reset", request, user)


@receiver(account_signals.email_added)
def _email_added(sender, request, user, email_address, **kwargs):
    _record("account.email.added", request, user, {"email": [None, email_address.email]})


@receiver(account_signals.email_removed)
def _email_removed(sender, request, user, email_address, **kwargs):
    _record("account.email.removed", request, user, {"email": [email_address.email, None]})


@receiver(account_signals.email_changed)
def _email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    before = from_email_address.email if from_email_address else None
    _record("account.email.primary_changed", request, user, {"email": [before, to_email_address.email]})


@receiver(account_signals.email_confirmed)
def _email_confirmed(sender, request, email_address, **kwargs):
    _record("account.email.confirmed", request, email_address.user, {"verified": [False, True]})


@receiver(mfa_signals.authenticator_added)
def _authenticator_added(sender, request, user, authenticator, **kwargs):
    _record("account.mfa.added", request, user, {"authenticator": [None, authenticator.type]})


@receiver(mfa_signals.authenticator_removed)
def _authenticator_removed(sender, request, user, authenticator, **kwargs):
    _record("account.mfa.removed", request, user, {"authenticator": [authenticator.type, None]})


@receiver(mfa_signals.authenticator_reset)
def _authenticator_reset(sender, request, user, authenticator, **kwargs):
    _record("account.mfa.reset", request, user, {"authenticator": [authenticator.type, "regenerated"]})
