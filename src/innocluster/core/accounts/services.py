"""Account actions of our own around allauth: sign-up details, demo enrolment, personal data."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from innocluster.core.access.roles import signup_roles
from innocluster.core.access.services import grant_role
from innocluster.core.audit.services import record_event

from .models import Consent

PERSONAL_DATA = "personal_data_processing"


@transaction.atomic
def complete_signup(*, user, role: str, consent_text: str, ip: str | None = None) -> Consent:
    """Called by allauth's sign-up form: the self-chosen role (only the roles apps offer at sign-up) and the
    consent, with the text shown, recorded and audited."""
    if role not in {r.key for r in signup_roles()}:
        raise ValueError(f"role {role!r} cannot be chosen at sign-up")
    consent = Consent.objects.create(
        user=user, purpose=PERSONAL_DATA, text=consent_text, language=translation.get_language() or "", ip=ip
    )
    record_event(
        action="account.signed_up",
        actor=user,
        obj=user,
        changes={"role": [None, role], "consent": [None, PERSONAL_DATA]},
        ip=ip,
    )
    grant_role(user=user, role=role, by=user, reason="chosen at sign-up")
    return consent


def enrol_totp(user, secret: str):
    """Activate TOTP with a known secret (demo and tests); real users enrol through allauth's pages."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)
        record_event(action="account.mfa.enrolled", actor=user, obj=user, changes={"totp": [False, True]})
    user.__dict__.pop("_innocluster_totp", None)


def totp_secret(user) -> str | None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    row = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(row.data["secret"]) if row else None


def personal_data(user, *, request_ip: str | None = None) -> dict:
    """Everything held about a person (Law "On personal data", right of access), as JSON.

    The read itself is logged: who asked for whose data and when."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.get(pk=user.pk)
    data = {
        "generated_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "roles": [
            {
                "role": a.role,
                "granted_at": a.granted_at.isoformat(),
                "revoked_at": a.revoked_at.isoformat() if a.revoked_at else None,
            }
            for a in user.role_assignments.order_by("granted_at")
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "text": c.text,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in user.consents.order_by("given_at")
        ],
        "actions_recorded": [
            {"time": e["occurred_at"].isoformat(), "action": e["action"], "object": e["object_repr"]}
            for e in user_events(user)
        ],
    }
    record_event(action="account.personal_data.exported", actor=user, obj=user, ip=request_ip)
    return data


def user_events(user):
    from innocluster.core.audit.models import AuditEvent

    return AuditEvent.objects.filter(actor=user).order_by("id").values("occurred_at", "action", "object_repr")
