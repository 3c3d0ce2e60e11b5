"""Foundation data: regimes and policy values, calendar decree overrides, the first administrator."""

import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from innocluster.core import services as core_services
from innocluster.core.audit.services import record_event
from innocluster.core.policy import services as policy_services

DEMO_ADMIN = "admin"


@dataclass
class FoundationResult:
    regimes_added: int
    values_added: int
    overrides_added: int
    admin_created: bool
    admin_password: str


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
    if not User.objects.filter(username=DEMO_ADMIN).exists():
        user = User.objects.create_superuser(DEMO_ADMIN, "admin@innocluster.example", password)
        record_event(
            action="account.created",
            obj=user,
            changes={"username": [None, DEMO_ADMIN], "is_superuser": [None, True]},
            reason="demo administrator",
        )
        created = True
    return FoundationResult(policy.regimes_added, policy.values_added, overrides, created, password)
