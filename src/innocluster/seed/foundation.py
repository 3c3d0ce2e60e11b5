"""Foundation data: regimes and policy values, calendar decree overrides, one account per role."""

import os
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.contrib.auth import get_user_model
from django.db import transaction

from innocluster.core import services as core_services
from innocluster.core.access.roles import FUND_ADMIN, role_keys, two_factor_roles
from innocluster.core.access.services import grant_role
from innocluster.core.accounts.services import enrol_totp, totp_secret
from innocluster.core.audit.services import record_event
from innocluster.core.policy import services as policy_services

DEMO_ADMIN = "admin"


@dataclass
class FoundationResult:
    regimes_added: int
    values_added: int
    overrides_added: int
    accounts_created: bool
    password: str
    logins: list[tuple[str, str, str]]  # role, username, TOTP secret or "-"


def demo_admin_password() -> str:
    return os.environ.get("INNOCLUSTER_DEMO_PASSWORD", "demo-Astana-2026")


@transaction.atomic
def seed_foundation() -> FoundationResult:
    """Idempotent: a second run adds nothing and writes no audit events."""
    policy = policy_services.load_defaults()
    overrides = core_services.load_overrides()
    User = get_user_model()
    created = False
    password = demo_admin_password()
    logins: list[tuple[str, str, str]] = []
    for role in role_keys():
        username = DEMO_ADMIN if role == FUND_ADMIN else role.replace("_", "-")
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            logins.append((role, username, totp_secret(existing) or "-"))
            continue
        if role == FUND_ADMIN:
            # Not a superuser: the fund_admin role alone opens the admin (core.access.backends).
            user = User.objects.create_user(
                username, f"{username}@innocluster.example", password, is_staff=True
            )
        else:
            user = User.objects.create_user(username, f"{username}@innocluster.example", password)
        record_event(
            action="account.created",
            obj=user,
            changes={"username": [None, username]},
            reason="demo account",
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        grant_role(user=user, role=role, reason="demo account")
        secret = "-"  # noqa: S105  (no TOTP for this role)
        if role in two_factor_roles():
            secret = generate_totp_secret()
            enrol_totp(user, secret)
        logins.append((role, username, secret))
        created = True
    return FoundationResult(policy.regimes_added, policy.values_added, overrides, created, password, logins)
